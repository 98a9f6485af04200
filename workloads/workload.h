/*
 * The workload interface. A workload is one file in workloads/ exporting one `const struct workload`
 * and one line in workloads/registry.c. The engine owns the clock, the loop, the threads and the
 * job file; a workload prepares what it needs and performs exactly one operation per op() call.
 */
#ifndef DAXPERF_WORKLOAD_H
#define DAXPERF_WORKLOAD_H

#include <stddef.h>
#include <stdint.h>
#include "config/opt.h"
#include "config/jobopts.h"
#include "measure/verify.h"
#include <errno.h>

#define REASON_MAX 256

/* An op's return when the thread has nothing left to do (every page faulted, say): the phase ends
 * for that thread, which is not an error. */
#define WL_END (-ENODATA)
/* Latency classes a workload may split its ops into (first write to a shared block vs later ones). */
#define WL_CLASSES_MAX 4

/* Per job state handed to the workload; the engine fills everything but priv. */
struct wl_job {
	const struct job_opts *o;
	const void *wo;          /* the workload's own options (struct of its table) */
	const char *path;        /* the job file, already created and filled with `size` bytes; a path through
	                          * a directory descriptor (/proc/self/fd/N/...): helper files made beside it
	                          * (path + suffix) are as safe from renames as the job file */
	const char *shown_path;  /* the same as the user knows it: for records that outlive the run */
	unsigned nthreads;
	int dax;                 /* the file's effective mode by statx: 1, 0, or -1 when unknown */
	uint64_t map_align;      /* on a device DAX (path is /dev/daxX.Y, not a file): its alignment; every
	                          * mapping's length, offset and address must be a multiple of it. 0: a file */
	struct verify_map *vmap; /* with verify = 1: the generation each block of the job file must hold */
	void *priv;              /* the workload's per-job state */
	/* The job file's shared mapping, for workloads that keep one (poison recovery remaps its pages) */
	void *map;
	uint64_t map_len;
	int map_flags;
	char reason[REASON_MAX]; /* why setup failed or skipped */
	char detail[REASON_MAX]; /* what the workload did that a reader must know (e.g. "nt stores") */
	int durable;             /* its writes survive power loss when the op returns: 1, 0, or -1 when
	                          * it does not say (no writes, or a workload that does not judge it) */
};

/* Per thread state: the slice of the file this thread works on and its private random state. */
struct wl_thread {
	struct wl_job *job;
	unsigned index;
	uint64_t rng;
	uint64_t slice_off;      /* byte offset of this thread's slice */
	uint64_t slice_len;      /* bytes in the slice, a multiple of bs */
	uint64_t next;           /* sequential / stride cursor within the slice */
	void *buf;               /* bs bytes, 4 KiB aligned, for copies */
	void *priv;
	/* The op the engine calls: the workload's op, unless thread_setup picks a version
	 * specialised for this job's options (the timed loop then pays for no option checks). */
	long (*op)(struct wl_thread *t);
	/* Optional, set by thread_setup beside op: n ops in one call, each exactly what op() would do,
	 * in the same order; the bytes done, or -errno. The engine uses it where it does not time each
	 * op (the untimed ops of lat_sample, the timed group of lat_batch), so small ops do not pay a
	 * call, a reload of their state and the engine's bookkeeping each; NULL: op() n times. Only for
	 * ops that neither fail nor end nor change op_class; the engine drops it when it wraps op (a
	 * poison job's guard is taken per op). */
	long (*op_batch)(struct wl_thread *t, uint64_t n);
	unsigned op_class;       /* the class of the op just done, when the workload has classes */
	uint64_t last_off;       /* WL_POISON_READ_WRITE workloads: the op's file offset, to place an EIO */
};

enum wl_setup_status { WL_OK = 0, WL_SKIP = 1, WL_FAIL = -1 };

/* How a poisoned page of the job file reaches the workload: never (poison is refused at config
 * time), through loads and stores of job->map (SIGBUS), or through pread / pwrite (EIO; the op
 * sets last_off so the engine can place the hit). */
enum wl_poison_path { WL_POISON_NONE, WL_POISON_MAPPED, WL_POISON_READ_WRITE };
/* The one figure that sums a job up (sweep matrices, --format simple): the op rate (bytes/s for
 * sequential patterns), or the mean latency where each op is one dependent load. */
enum wl_headline { WL_HEADLINE_RATE, WL_HEADLINE_MEAN_LATENCY };
/* Whether fio can run the same work: yes, no (why says so), or only once the job file is known to be
 * DAX (fio's libpmem engine). */
enum wl_fio { WL_FIO_YES, WL_FIO_NO, WL_FIO_IF_DAX };
/* fio's side of a job: its engine and the engine's own lines ("sync=1\n"); the access pattern,
 * sizes, threads and runtime are the engine's to write from the job's common options. */
struct wl_fio_job {
	const char *engine;
	char lines[160];
	char why[192];
};

struct workload {
	const char *name;
	const char *summary;
	const struct opt_def *opts;         /* the workload's own options, or NULL */
	size_t opts_size;                   /* bytes of the struct those options live in */
	const char *const *ignores;         /* common options that mean nothing here */
	const char *const *classes;         /* names of its latency classes (NULL: one class) */
	int always_verifies;                /* its stores are self-checking whatever `verify` says */
	int maps_devdax;                    /* can run on a device DAX: it only maps the job file */
	enum wl_poison_path poison_path;    /* whether and how poison jobs can run it */
	enum wl_headline headline;          /* its headline figure */
	/* The fio equivalent of a job with these options on a file whose mode is dax (1, 0, or -1 not yet
	 * known); NULL: none, for the reason in no_fio. */
	enum wl_fio (*fio)(const struct job_opts *o, const void *wo, int dax, struct wl_fio_job *f);
	const char *no_fio;
	/* Checks option combinations once the job is resolved; 0, or -1 with the reason in err. */
	int (*validate)(const struct job_opts *o, const void *wo, char *err, size_t errlen);
	/* Prepares the job (maps, opens); WL_SKIP / WL_FAIL with job->reason filled. */
	int (*job_setup)(struct wl_job *job);
	/* Per thread preparation outside the timed phase; 0 or -errno. */
	int (*thread_setup)(struct wl_thread *t);
	/* One operation: bytes done, or -errno. */
	long (*op)(struct wl_thread *t);
	void (*thread_teardown)(struct wl_thread *t);
	void (*job_teardown)(struct wl_job *job);
	/* With verify = 1: checks what the job wrote (default: the job file against job->vmap). */
	int (*verify)(struct wl_job *job, struct verify_report *r);
};

extern const struct workload *const workloads[];

const struct workload *workload_find(const char *name);

#endif
