#include "jobopts.h"
#include "../workloads/workload.h"

#include <stddef.h>

#define O(field) offsetof(struct job_opts, field)

static const char *const dax_names[] = { "any", "on", "off", NULL };
static const char *const durability_names[] = { "none", "durable", NULL };
static const char *const policy_names[] = { "bind", "preferred", "interleave", "local", NULL };

const struct opt_def job_opt_table[] = {
	{ .name = "workload", .type = OPT_ENUM, .offset = O(workload), .def = "mmap", .values = workload_names,
	  .help = "access pattern to run (daxperf list)" },
	{ .name = "file", .type = OPT_NAME, .offset = O(file), .def = "",
	  .help = "job file name inside daxperf's directory; jobs naming the same file share it" },
	{ .name = "size", .type = OPT_SIZE, .offset = O(size), .def = "64m", .min = 4096, .max = 1ull << 42,
	  .help = "bytes of the job file, split evenly between threads" },
	{ .name = "bs", .type = OPT_SIZE, .offset = O(bs), .def = "4k", .min = 1, .max = 1ull << 30,
	  .help = "bytes moved by one operation" },
	{ .name = "pattern", .type = OPT_PATTERN, .offset = O(pattern), .def = "rand",
	  .help = "offset order within each thread's slice: seq, rand, or stride:N bytes" },
	{ .name = "rw", .type = OPT_RW, .offset = O(rw), .def = "read",
	  .help = "read, write, or mix:P with P percent reads" },
	{ .name = "threads", .type = OPT_COUNT, .offset = O(threads), .def = "1", .min = 1, .max = 1024,
	  .help = "worker threads, each pinned to one CPU" },
	{ .name = "cpus", .type = OPT_CPULIST, .offset = O(cpus), .def = "",
	  .help = "CPUs to pin workers to, round robin (default: every CPU daxperf may use)" },
	{ .name = "runtime", .type = OPT_TIME, .offset = O(runtime_ns), .def = "5s", .min = 1000000,
	  .max = 86400000000000ull, .help = "timed phase length (ends earlier when ops is reached)" },
	{ .name = "ops", .type = OPT_COUNT, .offset = O(ops), .def = "0",
	  .help = "operations per thread in the timed phase; 0 = until runtime" },
	{ .name = "warmup", .type = OPT_WARMUP, .offset = O(warmup), .def = "0",
	  .help = "untimed lead-in excluded from the figures: a time (1s) or an op count" },
	{ .name = "repeat", .type = OPT_COUNT, .offset = O(repeat), .def = "1", .min = 1, .max = 1000,
	  .help = "rounds of the timed phase; figures merge all rounds, spread is reported" },
	{ .name = "seed", .type = OPT_COUNT, .offset = O(seed), .def = "1",
	  .help = "seed of the random offsets and permutations" },
	{ .name = "prefault", .type = OPT_BOOL, .offset = O(prefault), .def = "1",
	  .help = "touch every page of the mapping or file before timing" },
	{ .name = "keep", .type = OPT_BOOL, .offset = O(keep), .def = "0",
	  .help = "keep the job file after the run" },
	{ .name = "lat_sample", .type = OPT_COUNT, .offset = O(lat_sample), .def = "1", .min = 1, .max = 1u << 20,
	  .help = "time one op in N (the others run untimed)" },
	{ .name = "lat_batch", .type = OPT_COUNT, .offset = O(lat_batch), .def = "1", .min = 1, .max = 1u << 20,
	  .help = "time batches of N ops and record the per-op mean" },
	{ .name = "window", .type = OPT_TIME, .offset = O(window_ns), .def = "100ms", .min = 1000000,
	  .max = 3600000000000ull, .help = "timeline window" },
	{ .name = "percentiles", .type = OPT_PERCENTILES, .offset = O(percentiles), .def = "50,90,99,99.9,99.99",
	  .help = "latency percentiles to report" },
	{ .name = "dax", .type = OPT_ENUM, .offset = O(dax), .def = "any", .values = dax_names,
	  .help = "per-inode mode: on (file in an FS_XFLAG_DAX directory), off, or any; checked by statx" },
	{ .name = "dax_toggle", .type = OPT_BOOL, .offset = O(dax_toggle), .def = "0",
	  .help = "create the file in the other mode, flip its flag while open, time until it applies" },
	{ .name = "durability", .type = OPT_ENUM, .offset = O(durability), .def = "none", .values = durability_names,
	  .help = "durable: each write made durable the way its mode needs (flush on DAX, msync/fdatasync else)" },
	{ .name = "cpu_node", .type = OPT_NODE, .offset = O(cpu_node), .def = "any",
	  .help = "run the workers on this NUMA node's CPUs (overrides cpus)" },
	{ .name = "mem_node", .type = OPT_NODE, .offset = O(mem_node), .def = "any",
	  .help = "place the job file's page-cache pages and the workers' buffers on this node" },
	{ .name = "mem_policy", .type = OPT_ENUM, .offset = O(mem_policy), .def = "bind", .values = policy_names,
	  .help = "how mem_node applies (libnuma): bind, preferred, interleave (with the other nodes), local" },
	{ .name = "verify", .type = OPT_BOOL, .offset = O(verify), .def = "0",
	  .help = "write self-checking 4 KiB blocks (offset, generation, CRC) and check every block after the run" },
	{ 0 },
};
