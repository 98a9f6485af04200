/* Running one job: its file, its workload's setup, `repeat` rounds of workers, the merged figures. */
#ifndef DAXPERF_RUNNER_H
#define DAXPERF_RUNNER_H

#include <limits.h>
#include "measure/hist.h"
#include "run/jobs.h"
#include "poison/poison.h"
#include "measure/target.h"
#include "measure/timeline.h"
#include "measure/daxmode.h"
#include "measure/verify.h"
#include "run/group.h"

enum job_status { JOB_OK, JOB_SKIPPED, JOB_FAILED };

struct round_result {
	uint64_t ops, bytes, runtime_ns;
	uint64_t start_mono_ns; /* CLOCK_MONOTONIC_RAW at the start line, to place rounds on one time axis */
	double ops_per_sec, bytes_per_sec, mean_ns, p50_ns, p99_ns, p999_ns;
	struct timeline tl;     /* merged over threads */
};

struct job_result {
	const struct job_spec *spec;
	int status;
	int interrupted;        /* stopped early by SIGINT / SIGTERM */
	char reason[512];
	char detail[256];       /* what the workload did that a reader must know */
	int durable;            /* writes durable on return: 1, 0, -1 not said (the workload's wl_job.durable) */
	char path[PATH_MAX];       /* the job file through the work directory's descriptor (/proc/self/fd/N/...) */
	char shown_path[PATH_MAX]; /* the same as the user knows it: results and messages */
	int dax_effective;      /* 1, 0, or -1 when the kernel could not say */
	int has_toggle;
	struct dax_toggle toggle;
	int64_t page_cache_bytes; /* the job file's pages resident in the page cache after the run; -1 unknown */
	char dax_unknown_why[128];
	char latency_mode[96];
	struct hist lat;        /* merged over threads and rounds */
	struct hist cls[4];     /* per latency class of the workload, merged likewise */
	unsigned ncls;
	int verified;           /* verify = 1 ran its check */
	unsigned mem_sampled, mem_unknown, mem_counts[64]; /* where the job file's pages were (move_pages) */
	struct verify_report vr;
	uint64_t ops, bytes, runtime_ns;
	unsigned nrounds;
	struct round_result *rounds;
	unsigned nthreads;
	int *cpu_pinned, *cpu_seen;
	struct poison_job *poison; /* poison = ...: what was injected, hit and recovered */
};

/* Progress for the live status line: called by the runner as each round starts (elapsed 0, r->nrounds
 * the round's index) and while it runs. */
typedef void (*progress_fn)(void *ctx, const struct job_result *r, double elapsed_s, uint64_t ops);

/* Runs the job in t->workdir; never fails as a whole: the outcome is in r->status. A job of a
 * group runs in its own thread and starts each round at the group's gate (seat NULL: alone). */
void run_job(const struct job_spec *spec, const struct target *t, struct job_result *r, progress_fn fn, void *ctx,
	     const struct group_seat *seat);
void job_result_free(struct job_result *r);

#endif
