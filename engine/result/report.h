/* What a person (or a script with --format simple) sees of a run; never parsed back. */
#ifndef DAXPERF_REPORT_H
#define DAXPERF_REPORT_H

#include <stdio.h>
#include "run/runner.h"
#include "measure/target.h"

enum out_format { FORMAT_HUMAN, FORMAT_JSON, FORMAT_SIMPLE };

/* The figure a job is judged by: mean latency for chase, bytes/s for sequential jobs, ops/s otherwise. */
double headline(const struct job_result *r, const char **unit);

void report_header(FILE *f, const char *config, const struct target *t);
/* What poison did over the results given (one job, or the rounds of one compare side). */
void report_poison(FILE *f, const char *label, const struct job_result *const *rs, unsigned n);
void report_table(FILE *f, const struct job_result *rs, size_t n);
/* Lines under a table where its figures need a word: a mean above p99 (a tail), rounds that
 * disagree, a clock read that is a large share of an op (or more than an op's p50). */
void report_notes(FILE *f, const struct job_result *rs, size_t n);
/* One line naming the jobs (each once, whatever its rounds) whose p50 a clock read is a quarter or
 * more of, for commands whose tables show no per-job notes (compare). */
void report_clock_share(FILE *f, const struct job_result *rs, size_t n);
/* The loaded-latency table of the groups that ran (nothing when no group has a latency job). */
void report_groups(FILE *f, const struct job_result *rs, size_t n);
void report_simple(FILE *f, const struct job_result *rs, size_t n);

/* The live status line on stderr (only when it is a terminal). */
struct status_ctx {
	size_t index, total;
	double after_s;   /* planned seconds of the jobs after this one, for the ETA */
	int enabled;
};
void status_progress(void *ctx, const struct job_result *r, double elapsed_s, uint64_t ops);
void status_clear(struct status_ctx *s);

#endif
