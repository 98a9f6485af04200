/*
 * `daxperf diff`: result directories compared job by job. A side is one result, or several (per-boot
 * results of one kernel) whose rounds are pooled; jobs are matched by name and must agree on every
 * effective option, the filesystem, the DAX mode and their status to be compared. The outcome is one
 * JSON document (behaviour first, then figures with their verdicts); printing is the command's.
 */
#ifndef DAXPERF_DIFF_H
#define DAXPERF_DIFF_H

#include <jansson.h>
#include <stddef.h>

struct diff_figure {
	const char *key;       /* the per-round field in jobs[].rounds[] */
	const char *label;
	int lower_is_better;
};
#define DIFF_FIGURES 6
extern const struct diff_figure diff_figures[DIFF_FIGURES];

/* One job of one side: every entry of that name in the side's results, merged. */
struct diff_job {
	const char *name;
	json_t *first;             /* the first entry (owned by its result) */
	json_t *entries;           /* every entry of this name, in order */
	json_t *options;           /* its effective options */
	const char *status;        /* ok, skipped, failed, or crashed (the run died in it) */
	const char *reason;
	char *inconsistent;        /* entries disagreeing on an option, or NULL */
	double *fig[DIFF_FIGURES]; /* per round, pooled over entries */
	unsigned nfig[DIFF_FIGURES];
	unsigned nentries;
	int interrupted;
	json_t *kernel_events;     /* the result's kernel_events for this job, pooled */
};

struct diff_side {
	char *label;               /* the path as given */
	json_t **roots;
	char **paths;              /* of each result.json */
	size_t nroots;
	struct diff_job *jobs;
	size_t njobs;
	json_t *log_events;        /* findings not tied to a job: kernel_events / dmesg.txt, with "source" */
	const char *emulated;      /* the lab's sentence, or NULL */
	const char *kernel;        /* host.kernel of the first result */
	const char *crashed_in;
	int interrupted;
	int log_only;              /* no result, only the dmesg.txt of a run that died before writing one */
};

/* Reads PATH: a result.json, a directory holding one, or a directory whose subdirectories hold one
 * each (pooled), or a directory with only the dmesg.txt of a run that wrote no result. 0, or -1 after one
 * error line. */
int diff_side_load(const char *path, struct diff_side *s);
void diff_side_free(struct diff_side *s);
const struct diff_job *diff_side_job(const struct diff_side *s, const char *name);

/* The comparison of every new side against base; threshold_pct is the minimum effect. */
json_t *diff_compute(const struct diff_side *base, const struct diff_side *news, size_t nnew, double threshold_pct);

/* What's new in n against b that is behaviour, not speed (status, verification, poison, placement,
 * PMD faults, kernel findings), appended to out as {side, job, kind, gate, text}. */
void diff_job_behaviour(const struct diff_job *b, const struct diff_job *n, const char *side, json_t *out);
void diff_side_behaviour(const struct diff_side *b, const struct diff_side *n, json_t *out);

/* The bisection gate over a diff: 1 when a figure regressed significantly by at least fail_pct, or a
 * behaviour finding gates (new kernel fault, new verification failure, a job newly failed or crashed);
 * 125 when nothing could be compared; else 0. Each reason is appended to reasons as text. */
int diff_gate(json_t *diff, double fail_pct, json_t *reasons);

#endif
