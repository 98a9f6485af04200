/* CPU topology through hwloc: which CPUs exist, and pinning a thread to one. */
#ifndef DAXPERF_TOPO_H
#define DAXPERF_TOPO_H

#include <sched.h>

/* Loads the topology once; 0 or -1 after an error message. */
int topo_init(void);
void topo_fini(void);
/* Pins the calling thread to cpu; 0 or -errno. */
int topo_pin_self(int cpu);
/* CPUs this process may run on, in order; returns the count written (at most max). */
unsigned topo_allowed_cpus(int *cpus, unsigned max);
/* The NUMA node a block or DAX device (pmem0, dax0.0) is local to, by hwloc's I/O objects;
 * -1 when hwloc does not place it on a single node. */
int topo_device_node(const char *name);
/* NUMA nodes hwloc found (at least 1). */
unsigned topo_numa_nodes(void);

struct topo_node {
	unsigned os_index;
	char cpus[256];      /* CPU list, e.g. "0-3" */
	unsigned long long memory_bytes;
};
/* Fills up to max nodes; returns how many there are. */
unsigned topo_nodes(struct topo_node *out, unsigned max);

#endif
