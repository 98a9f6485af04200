/* What a paced job (rate, rate_iops) asked for and what it reached: said in the result and the
 * summary, so a paced figure never passes for the asked one. */
#ifndef DAXPERF_PACING_H
#define DAXPERF_PACING_H

#include "run/runner.h"

/* A rate is met when the job reached this share of it. */
#define PACING_MET 0.98

struct pacing {
	const char *unit;      /* "bytes/s" or "ops/s" */
	double asked, reached; /* per second, the whole job */
	int met;
};

/* Fills p for a job paced by rate or rate_iops (rate wins when both are set); 0, or -1 when the job
 * is not paced by a rate (delay alone asks for no rate). */
int pacing_of(const struct job_result *r, struct pacing *p);

#endif
