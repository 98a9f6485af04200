#include "result/groups.h"
#include "lib/util.h"
#include "workloads/workload.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int group_run_has(const struct group_run *g, const struct job_result *r)
{
	return !strcmp(r->spec->o.group, g->group) && !strcmp(r->spec->series, g->series);
}

/* Every option of a job but its group and its file's name, as "name=value\n" lines: two jobs doing
 * the same work (compare names each job's file apart). */
struct work_text {
	char *text;
	size_t len;
};

static void add_option(void *ctx, const char *name, const char *value)
{
	struct work_text *w = ctx;
	if (!strcmp(name, "group") || !strcmp(name, "file"))
		return;
	char *line = xasprintf("%s=%s\n", name, value);
	size_t n = strlen(line);
	w->text = xrealloc(w->text, w->len + n + 1);
	memcpy(w->text + w->len, line, n + 1);
	w->len += n;
	free(line);
}

static int same_work(const struct job_spec *a, const struct job_spec *b)
{
	if (a->wl != b->wl)
		return 0;
	struct work_text x = { 0 }, y = { 0 };
	jobs_each_option(a, add_option, &x);
	jobs_each_option(b, add_option, &y);
	int same = x.text && y.text && !strcmp(x.text, y.text);
	free(x.text);
	free(y.text);
	return same;
}

/* The latency job's zero-load reference: the same work outside every group, on the same side. */
static void find_idle(const struct job_result *rs, size_t n, struct group_run *run)
{
	for (size_t i = 0; i < n; i++) {
		const struct job_result *r = &rs[i];
		if (r->spec->o.group[0] || strcmp(r->spec->series, run->series) || r->status != JOB_OK)
			continue;
		if (run->idle ? r->spec != run->idle->spec : !same_work(r->spec, run->latency->spec))
			continue;
		if (!run->idle)
			run->idle = r;
		hist_merge(&run->idle_lat, &r->lat);
	}
}

/* Adds r's threads to the run's, and each CPU they were pinned to that the run had not seen. */
static void count_cpus(struct group_run *run, const struct job_result *r)
{
	for (unsigned t = 0; t < r->nthreads && r->cpu_pinned; t++) {
		int cpu = r->cpu_pinned[t];
		run->threads++;
		if (cpu < 0 || cpu >= (int)(8 * sizeof(run->cpu_seen)) || run->cpu_seen[cpu / 8] & (1u << (cpu % 8)))
			continue;
		run->cpu_seen[cpu / 8] |= (unsigned char)(1u << (cpu % 8));
		run->cpus++;
	}
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
			hist_init(&run->idle_lat, HIST_FINE_BITS);
			run->ok = 1;
		}
		/* a member seen before is a later round of the same job; the first member counts the rounds */
		int seen = 0;
		for (unsigned k = 0; k < run->members && !seen; k++)
			seen = run->specs[k] == r->spec;
		if (!seen) { /* its first round: which CPUs its threads were pinned to, beside the others' */
			run->specs = xrealloc(run->specs, (run->members + 1) * sizeof(*run->specs));
			run->specs[run->members++] = r->spec;
			count_cpus(run, r);
		}
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
	for (size_t k = 0; k < count; k++) {
		if (runs[k].rounds > 1)
			runs[k].load_bytes_per_sec /= runs[k].rounds;
		if (runs[k].latency)
			find_idle(rs, n, &runs[k]);
	}
	return count;
}

void group_runs_free(struct group_run *runs, size_t count)
{
	for (size_t k = 0; k < count; k++) {
		hist_free(&runs[k].lat);
		hist_free(&runs[k].idle_lat);
		free(runs[k].specs);
	}
}
