#include "result/groups.h"
#include "workloads/workload.h"

#include <stdio.h>
#include <string.h>

size_t group_runs(const struct job_result *rs, size_t n, struct group_run *runs, size_t cap)
{
	size_t count = 0;
	for (size_t i = 0; i < n; i++) {
		const char *g = rs[i].spec->o.group;
		if (!g[0])
			continue;
		struct group_run *run = NULL;
		for (size_t k = 0; k < count && !run; k++)
			if (!strcmp(runs[k].group, g))
				run = &runs[k];
		if (!run) {
			if (count == cap)
				continue;
			run = &runs[count++];
			memset(run, 0, sizeof(*run));
			snprintf(run->group, sizeof(run->group), "%s", g);
			run->ok = 1;
		}
		const struct job_result *r = &rs[i];
		run->members++;
		run->ok &= r->status == JOB_OK;
		if (r->spec->wl->headline == WL_HEADLINE_MEAN_LATENCY && !run->latency)
			run->latency = r;
		else if (r->runtime_ns)
			run->load_bytes_per_sec += (double)r->bytes / ((double)r->runtime_ns / 1e9);
	}
	return count;
}
