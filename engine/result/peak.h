/* The peak-bandwidth table (Intel MLC's --peak_injection_bandwidth): MB/s by read:write mix (rows)
 * and thread count (columns), for a result whose jobs are mmap jobs swept over threads and over
 * nothing but the mix (rw, persist). Built from option texts, so `run` (from its results) and
 * `plot` (from result.json) fill the same table and say the same. */
#ifndef DAXPERF_PEAK_H
#define DAXPERF_PEAK_H

#include "run/runner.h"

#include <stdio.h>

#define PEAK_ROWS 16
#define PEAK_COLS 16

struct peak_table {
	char rows[PEAK_ROWS][48];        /* "all reads", "3:1", "nt writes" */
	unsigned threads[PEAK_COLS];     /* ascending */
	double mbs[PEAK_ROWS][PEAK_COLS];
	char have[PEAK_ROWS][PEAK_COLS]; /* 1 measured, -1 the job did not run, 0 no such job */
	size_t nrows, ncols;
};

/* A mix as MLC names it: read -> "all reads", mix:75 -> "3:1", mix:67 -> "2:1", mix:50 -> "1:1",
 * mix:25 -> "1:3", write with persist = nt -> "nt writes", another persist in brackets. */
void peak_mix_label(const char *rw, const char *persist, char *out, size_t len);

/* Whether a job belongs in the table: workload mmap, swept ("k=v,k=v") over threads and otherwise
 * only over rw and persist. */
int peak_job(const char *workload, const char *swept);

/* Adds one job (ok: it ran with ops; its bytes/s then). The first job of a cell stands for it (a
 * compare's later rounds repeat it). A job that is no peak job, or past the table's size, is left
 * out. */
void peak_add(struct peak_table *t, const char *workload, const char *swept, const char *rw, const char *persist,
	      const char *threads, int ok, double bytes_per_sec);

/* Whether the table says something: two mixes or more, and two thread counts or more. */
int peak_ready(const struct peak_table *t);

/* peak_add for a job as specified (its options read from the spec). */
void peak_add_job(struct peak_table *t, const struct job_spec *spec, int ok, double bytes_per_sec);
/* Prints a ready table with a cell measured (nothing otherwise), its heading ending ", LABEL" when label is given. */
void peak_print(FILE *f, const struct peak_table *t, const char *label);
/* The table under run's summary, when the results hold one. */
void report_peak(FILE *f, const struct job_result *rs, size_t n);

#endif
