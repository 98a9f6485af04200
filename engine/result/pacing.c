#include "result/pacing.h"

int pacing_of(const struct job_result *r, struct pacing *p)
{
	const struct job_opts *o = &r->spec->o;
	double secs = (double)r->runtime_ns / 1e9;
	if ((!o->rate && !o->rate_iops) || secs <= 0)
		return -1;
	if (o->rate) {
		p->unit = "bytes/s";
		p->asked = (double)o->rate;
		p->reached = (double)r->bytes / secs;
	} else {
		p->unit = "ops/s";
		p->asked = (double)o->rate_iops;
		p->reached = (double)r->ops / secs;
	}
	p->met = p->reached >= PACING_MET * p->asked;
	return 0;
}
