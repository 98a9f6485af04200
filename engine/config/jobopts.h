/* The options every job has, whatever its workload; the table is in jobopts.c. */
#ifndef DAXPERF_JOBOPTS_H
#define DAXPERF_JOBOPTS_H

#include "config/opt.h"

struct job_opts {
	int workload;            /* index into the workload registry */
	char file[OPT_NAME_MAX]; /* empty: one file per job */
	uint64_t size;
	uint64_t bs;
	struct access_pattern pattern;
	struct rw_mix rw;
	uint64_t threads;
	struct cpu_list cpus;
	uint64_t runtime_ns;
	uint64_t ops;            /* per thread; 0 = bounded by runtime only */
	struct warmup warmup;
	uint64_t repeat;
	uint64_t seed;
	int prefault;
	int keep;
	uint64_t lat_sample;     /* time one op in N */
	uint64_t lat_batch;      /* time batches of N ops, record the per-op mean */
	uint64_t window_ns;      /* timeline window */
	uint64_t rate;           /* bytes/s for the whole job, paced per thread; 0: as fast as it goes */
	uint64_t rate_iops;      /* ops/s for the whole job; 0: unpaced */
	uint64_t delay_ns;       /* idle time after each op (an injection delay); 0: none */
	char group[OPT_NAME_MAX]; /* jobs naming the same group run at the same time; empty: alone */
	struct percentile_list percentiles;
	int dax;                 /* enum dax_request: any, on, off */
	int dax_toggle;          /* start in the other mode and flip the flag on the existing file */
	int durability;          /* enum durability */
	int verify;              /* self-checking blocks written, every block checked afterwards */
	int cpu_node;            /* -1: any; else workers run on this node's CPUs */
	uint64_t threads_per_node; /* 0: unused; else this many workers on each node with CPUs (sets threads) */
	int mem_node;            /* -1: any; else memory placed on this node by mem_policy */
	int mem_policy;          /* enum mem_policy */
	int poison;              /* enum poison_backend; POISON_NONE: no injection */
	uint64_t poison_at_ns;   /* first injection, after the timed phase starts */
	uint64_t poison_every_ns;/* 0: once; else a new injection this often */
	uint64_t poison_pages;   /* pages per injection */
	struct page_where poison_where;
	int recover;             /* enum poison_recover */
};

enum mem_policy { POLICY_BIND, POLICY_PREFERRED, POLICY_INTERLEAVE, POLICY_LOCAL };

enum poison_backend { POISON_NONE, POISON_BADBLOCKS, POISON_HWPOISON, POISON_NDCTL, POISON_EMULATED };
enum poison_recover { RECOVER_REWRITE, RECOVER_PUNCH, RECOVER_SKIP, RECOVER_NONE };
/* Their names, as configs and results spell them (index = enum value). */
/* The registered workloads' names, NULL-terminated: defined by workloads/registry.c, which sits
 * later in the pipeline, so the `workload` option can list them without including it. */
extern const char *const workload_names[];
/* The words of the dax and mem_policy options, indexed by their enums (the result uses them too). */
extern const char *const dax_names[];
extern const char *const policy_names[];
extern const char *const poison_backend_names[];
extern const char *const poison_recover_names[];

enum durability { DURABILITY_NONE, DURABILITY_DURABLE };

/* The table; its "workload" entry's values are filled from the registry at start-up. */
extern const struct opt_def job_opt_table[];

#endif
