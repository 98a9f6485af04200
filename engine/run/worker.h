/* A worker thread: pinned, prepared by its workload, then the timed loop. */
#ifndef DAXPERF_WORKER_H
#define DAXPERF_WORKER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include "lib/stop.h"
#include "measure/hist.h"
#include "measure/timeline.h"
#include "run/jobs.h"
#include "workloads/workload.h"
#include "poison/poison.h"

/* What the workers of one round share: the start line and the stop flag. */
struct round_sync {
	atomic_int gate;          /* 0 wait, 1 go on to the barriers, -1 give up (a thread failed to start) */
	pthread_barrier_t ready;  /* workers prepared and warmed up, main waiting */
	pthread_barrier_t go;     /* main has taken the start time */
	uint64_t start;           /* ticks, written by main between the barriers */
	uint64_t window_ticks;
	uint64_t runtime_ticks;
};

/* This thread's share of the job's pacing, in ticks (rate, rate_iops, delay). */
struct pace {
	double ticks_per_byte, ticks_per_op; /* the time one byte / one op may take at the asked rate */
	uint64_t delay_ticks;                /* idle time after each op */
};

struct worker {
	struct wl_thread t;
	struct pace pace;
	const struct job_spec *spec;
	struct round_sync *sync;
	int cpu;                  /* pinned to, or -1 when pinning failed */
	int cpu_seen;             /* sched_getcpu() at the end of the timed phase */
	int setup_err;            /* -errno from pinning or thread_setup */
	int op_err;               /* -errno of the failing op, 0 if none */
	uint64_t ops, bytes, end;
	struct hist lat;
	struct hist cls[WL_CLASSES_MAX]; /* per latency class, when the workload has classes */
	unsigned ncls;
	struct timeline tl;
	_Atomic uint64_t progress; /* ops so far, for the status line */
	struct poison_job *pj;    /* the job's poison state, or NULL */
	struct poison_catch pc;   /* where a poisoned access returns to */
	pthread_t tid;
} __attribute__((aligned(64)));

void *worker_main(void *arg);

#endif
