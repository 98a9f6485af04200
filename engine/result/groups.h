/* What a group's run amounts to: the latency of its latency job (a workload whose headline is the
 * mean latency, chase) beside the load the other members pushed. One run per swept value makes the
 * loaded-latency curve (Intel MLC's --loaded_latency). */
#ifndef DAXPERF_GROUPS_H
#define DAXPERF_GROUPS_H

#include "run/runner.h"

struct group_run {
	char group[OPT_NAME_MAX];     /* "loaded[delay=1us]", as the jobs record it */
	const struct job_result *latency; /* the member measuring latency, or NULL */
	unsigned members;
	double load_bytes_per_sec;    /* the other members' bytes/s, summed */
	int ok;                       /* every member ran */
};

/* Fills runs with the groups of the results, in order; returns how many (at most cap). */
size_t group_runs(const struct job_result *rs, size_t n, struct group_run *runs, size_t cap);

#endif
