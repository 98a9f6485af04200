#include "result/groups.h"
#include "workloads/workload.h"

#include <stdio.h>
#include <string.h>

int group_run_has(const struct group_run *g, const struct job_result *r)
{
	return !strcmp(r->spec->o.group, g->group) && !strcmp(r->spec->series, g->series);
}

size_t group_runs(const struct job_result *rs, size_t n, struct group_run *runs, size_t cap)
{
	size_t count = 0;
	for (size_t i = 0; i < n; i++) {
		const struct job_result *r = &rs[i];
		if (!r->spec->o.group[0])
			continue;
		struct group_run *run = NULL;
		for (size_t k = 0; k < count && !run; k++)
			if (group_run_has(&runs[k], r))
				run = &runs[k];
		if (!run) {
			if (count == cap)
				continue;
			run = &runs[count++];
			memset(run, 0, sizeof(*run));
			snprintf(run->group, sizeof(run->group), "%s", r->spec->o.group);
			run->series = r->spec->series;
			hist_init(&run->lat, HIST_FINE_BITS);
			run->ok = 1;
		}
		/* a member seen before is a later round of the same job; the first member counts the rounds */
		int seen = 0;
		for (size_t k = 0; k < i && !seen; k++)
			seen = rs[k].spec == r->spec;
		run->members += !seen;
		if (!run->first)
			run->first = r->spec;
		run->rounds += r->spec == run->first;
		if (r->status != JOB_OK && run->ok) {
			run->ok = 0;
			run->why = r->reason;
		}
		if (r->spec->wl->headline == WL_HEADLINE_MEAN_LATENCY && (!run->latency || run->latency->spec == r->spec)) {
			if (!run->latency)
				run->latency = r;
			if (r->status == JOB_OK)
				hist_merge(&run->lat, &r->lat);
		} else if (r->runtime_ns) {
			run->load_bytes_per_sec += (double)r->bytes / ((double)r->runtime_ns / 1e9);
		}
	}
	for (size_t k = 0; k < count; k++)
		if (runs[k].rounds > 1)
			runs[k].load_bytes_per_sec /= runs[k].rounds;
	return count;
}

void group_runs_free(struct group_run *runs, size_t count)
{
	for (size_t k = 0; k < count; k++)
		hist_free(&runs[k].lat);
}
