/* What a group's run amounts to: the latency of its latency job (a workload whose headline is the
 * mean latency, chase) beside the load the other members pushed. One run per swept value makes the
 * loaded-latency curve (Intel MLC's --loaded_latency); compare and sweep --numa run it once per side
 * (series), and their rounds of one side merge into one point. */
#ifndef DAXPERF_GROUPS_H
#define DAXPERF_GROUPS_H

#include "measure/hist.h"
#include "run/runner.h"

struct group_run {
	char group[OPT_NAME_MAX];     /* "loaded[delay=1us]", as the jobs record it */
	const char *series;           /* the members' spec series: "" in a plain run */
	const struct job_result *latency; /* the member measuring latency (its first round), or NULL */
	struct hist lat;              /* the latency member's histogram, merged over the rounds */
	const struct job_spec *first; /* its first member: each of its results is one run of the group */
	const struct job_spec **specs; /* its distinct jobs, in order (members of them) */
	unsigned members;             /* distinct jobs */
	unsigned char cpu_seen[128];  /* CPUs 0..1023 its members' threads were pinned to, in their first round */
	unsigned rounds;              /* times the group ran (results of its first member) */
	double load_bytes_per_sec;    /* the other members' bytes/s, summed over members, mean of rounds */
	const struct job_result *idle; /* the zero-load reference: the latency job's work alone, or NULL */
	struct hist idle_lat;         /* its histogram, merged over its rounds (its series only) */
	unsigned threads, cpus;       /* its members' threads, and the distinct CPUs they were pinned to */
	int ok;                       /* every member ran in every round */
	const char *why;              /* when not: the first member's reason */
};

/* Fills runs with the groups of the results, in order of first appearance, one per (group, series);
 * returns how many (at most cap). Free with group_runs_free. */
size_t group_runs(const struct job_result *rs, size_t n, struct group_run *runs, size_t cap);
void group_runs_free(struct group_run *runs, size_t count);
/* Whether result r ran in group run g. */
int group_run_has(const struct group_run *g, const struct job_result *r);

#endif
