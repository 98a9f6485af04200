/*
 * Poison: memory errors injected into a job's own file while it runs (poison = badblocks | hwpoison |
 * ndctl | emulated), hits caught in the workers (SIGBUS, SIGSEGV for the emulation, EIO), pages
 * recovered by the job's `recover` policy, and every injection journaled before it is made and
 * cleared and checked clear afterwards.
 *
 * poison_backend.c  the four ways of poisoning a page and of clearing it
 * poison_catch.c    the signal handler and the guarded op the workers run
 * poison_journal.c  the fsync'ed journal, leftovers of dead runs, `daxperf poison status|clear`
 * poison_run.c      per job and per round: the injector thread, hits, recovery, the final check
 */
#ifndef DAXPERF_POISON_H
#define DAXPERF_POISON_H

#include <pthread.h>
#include <setjmp.h>
#include <stdatomic.h>
#include <stdint.h>

#include "measure/hist.h"
#include "config/jobopts.h"
#include "workloads/workload.h"

#define POISON_PAGE 4096u
#define POISON_PAGES_MAX 4096
#define POISON_EVENTS_MAX 4096
/* What the guarded op returns when its access hit poison: never a real op's result. */
#define POISON_HIT (-1000001L)
/* An event's code for a hit on emulated poison (no kernel signal or errno behind it). */
#define POISON_CODE_EMULATED (-1000)

/* A page's outcome: still poisoned (never hit yet), recovered by the job, lost to it (skip / none),
 * or cleared at the round's end without ever being hit. */
enum page_state { PAGE_POISONED, PAGE_RECOVERED, PAGE_LOST, PAGE_CLEARED };
enum poison_event_kind { EV_INJECT, EV_HIT, EV_RECOVER, EV_LOST, EV_STOP, EV_KINDS };
/* How a hit was reported to the worker (si_code values stay in `code`). */
enum hit_via { HIT_SIGBUS, HIT_EIO, HIT_EMULATED };

struct poison_page {
	uint64_t off;          /* file offset, 4 KiB aligned */
	uint64_t sector;       /* badblocks / ndctl: first 512-byte sector on the whole disk */
	uint64_t pfn;          /* hwpoison: the page frame poisoned (0: unknown) */
	uint64_t inject_ns;    /* since the round's start */
	uint64_t first_hit_ns; /* since the round's start; 0 = never hit */
	uint64_t hits;
	unsigned jid;          /* journal record number */
	int state;             /* enum page_state */
	int data_ok;           /* recovered: 1 when the page read back held what recovery wrote */
	int freed;             /* recover = punch: the poisoned sectors went to free space */
	int done;              /* cleared and checked at its round's end (or never poisoned): out of play */
};

struct poison_event {
	uint64_t t_ns;         /* since the round's start */
	uint64_t off;
	uint64_t lat_ns;       /* EV_RECOVER: how long recovery took */
	unsigned round;
	int kind;              /* enum poison_event_kind */
	int thread;            /* -1: the injector */
	int code;              /* EV_HIT: si_code, or -EIO */
	int lsb;               /* EV_HIT by SIGBUS: si_addr_lsb (12: a 4 KiB page, 21: a PMD; 0: not given) */
};

/* Where the job file's blocks live, for the device backends. */
struct poison_dev {
	char disk[64];         /* whole-disk name: pmem0 */
	char dev_path[96];     /* /dev/pmem0 */
	char badblocks[160];   /* /sys/block/pmem0/badblocks */
	char ns[64];           /* ndctl namespace, e.g. namespace0.0 */
	uint64_t part_start;   /* sectors from the disk's start to the filesystem's device */
};

struct poison_job {
	const struct job_opts *o;
	struct wl_job *job;
	int fd;                /* the job file, O_RDWR: recovery writes through it */
	int backend;           /* enum poison_backend */
	int is_read_path;      /* the workload reads with pread/pwrite (EIO), not loads (SIGBUS) */
	struct poison_dev dev;
	uint64_t rng;
	pthread_mutex_t lock;  /* pages, events, counters; only the slow paths take it */
	struct poison_page *pages;
	unsigned npages;
	struct poison_event *ev;
	unsigned nev;
	uint64_t ev_dropped;
	uint64_t hits, hits_via[3], hits_unknown, skipped_ops, async_signals, recovered, lost;
	uint64_t recovered_data_ok; /* recovered pages that read back with what recovery wrote */
	uint64_t healed_by_workload; /* injected pages the workload's own writes cleared */
	uint64_t codes[8];     /* hits by si_code 0..7 (BUS_ADRERR 2, BUS_MCEERR_AR 4, AO 5) */
	unsigned threads_stopped;
	struct hist recovery;  /* ticks per recovery */
	/* the round in progress */
	unsigned round;
	uint64_t round_start;  /* ticks */
	uint64_t deadline;     /* ticks */
	pthread_t injector;
	int injector_running;
	pthread_cond_t wake;
	int round_over;
	int failed;            /* an injection could not be made: the note says why */
	/* the final check */
	unsigned left_poisoned;
	char left_why[256];
	char note[256];        /* what a reader must know (hwpoison: clean pages were dropped, ...) */
	/* emulated: offsets the SIGSEGV handler and the read path test, without a lock */
	_Atomic uint64_t emu[POISON_PAGES_MAX];
	_Atomic unsigned nemu;
};

/* A worker's catch point: sigsetjmp before every op, filled by the handler. */
struct poison_catch {
	sigjmp_buf env;
	struct poison_job *pj;
	long (*inner)(struct wl_thread *t);
	uint64_t off;          /* file offset of the faulting access */
	int code;
	int lsb;               /* si_addr_lsb of a SIGBUS */
	int via;               /* enum hit_via */
	unsigned thread;
};

/* Job level (runner.c). open: WL_OK, or WL_SKIP / WL_FAIL with reason; NULL pj when poison = none. */
int poison_job_open(struct wl_job *job, enum wl_poison_path path, struct poison_job **out, char *reason, size_t len);
/* Clears what is left, checks it is clear, journals it. */
void poison_job_close(struct poison_job *pj);
void poison_job_free(struct poison_job *pj);

/* Round level: start the injector once the start time is known; end after the workers are joined
 * (clears every page still poisoned so rounds stay independent). */
void poison_round_start(struct poison_job *pj, unsigned round, uint64_t start_ticks, uint64_t deadline_ticks);
void poison_round_end(struct poison_job *pj);

/* Worker level: arm puts a guard in front of t->op; poison_hit handles a POISON_HIT: 0 go on, -1 the thread stops. */
void poison_arm(struct poison_catch *c, struct poison_job *pj, struct wl_thread *t);
void poison_disarm(void);
int poison_hit(struct poison_catch *c);

/* Signal handling (poison_catch.c) */
void poison_signals_install(void);
void poison_signals_restore(void);
/* The injector marks itself: a SIGBUS the kernel sends it while poisoning (fsdax kill) is counted. */
void poison_injecting(struct poison_job *pj, int on);
int poison_emulated_contains(struct poison_job *pj, uint64_t off);

/* 0 when MADV_HWPOISON can be used here (root, CONFIG_MEMORY_FAILURE), else -errno with why. */
int backend_hwpoison_possible(char *why, size_t len);
/* Backends (poison_backend.c): prepare once per job; inject / clear one page. 0 or -errno, why filled. */
int backend_prepare(struct poison_job *pj, char *why, size_t len);
/* Finds what the journal must name before the page is poisoned: its sectors or its frame. */
int backend_locate(struct poison_job *pj, struct poison_page *p, char *why, size_t len);
int backend_inject(struct poison_job *pj, struct poison_page *p, char *why, size_t len);
/* 1 when the page is still poisoned as far as the backend can tell, 0 clear, -1 unknown. */
int backend_still_poisoned(struct poison_job *pj, const struct poison_page *p);
/* Makes the page good again after a hit: the known data written through the file (and the
 * mapping's page replaced); 0 or -errno. */
int backend_rewrite(struct poison_job *pj, struct poison_page *p, int punch, char *why, size_t len);
/* Maps the file's page at off anew in the job's mapping (if it has one); 0 or -errno. */
int backend_remap(struct poison_job *pj, uint64_t off);
/* Clears a page still poisoned at the end (the data is the known pattern again); 0 or -errno. */
int backend_clear(struct poison_job *pj, struct poison_page *p, char *why, size_t len);

/* hwpoison: unpoisons the page's frame where the kernel allows and checks the flag; 0 or -errno. */
int backend_clear_frame(const struct poison_page *p, const char *path, int dax, char *how, size_t len);

/* Journal (poison_journal.c) */
const char *journal_path(void);
/* 0 when the journal can be written, else -errno with why: nothing may be injected then. */
int journal_writable(char *why, size_t len);
/* Outstanding records of runs no longer alive: listed (clear = 0, returns how many) or cleared
 * (clear = 1, returns 0, or -1 when one could not be cleared). */
int journal_leftovers(int clear, int verbose);
/* Appends the record before the injection is made: its number, or 0 when it could not be written. */
unsigned journal_inject(const struct poison_job *pj, const struct poison_page *p);
void journal_cleared(unsigned jid, const char *how);
/* A clearing that did not work: the record stays outstanding. */
void journal_failed(unsigned jid, const char *why);
/* At start-up: clears what dead runs left; says so on stderr. */
void poison_clear_leftovers(int verbose);

extern const char *const poison_event_names[];

#endif
