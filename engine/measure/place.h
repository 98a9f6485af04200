/* NUMA placement through libnuma: CPUs of a node, memory policy of a thread, and where a file's
 * pages actually are (move_pages), so a result says what happened, not what was asked. */
#ifndef DAXPERF_PLACE_H
#define DAXPERF_PLACE_H

#include <stddef.h>
#include <stdint.h>
#include "config/jobopts.h"

#define PLACE_MAX_NODES 64

/* 0 when the job's cpu_node / mem_node exist here; else -1 with "cpu_node = 3: this machine has NUMA
 * nodes 0-1" in err. */
int place_check(const struct job_opts *o, char *err, size_t len);
/* "0-1": the nodes this machine has. */
void place_nodes_text(char *buf, size_t len);
/* The CPUs of a node, in order; returns the count. */
unsigned place_node_cpus(int node, int *cpus, unsigned max);
/* The nodes that have CPUs, in order; returns the count. */
unsigned place_cpu_nodes(int *nodes, unsigned max);
/* threads_per_node: worker i's CPU, per_node workers on each node with CPUs in node order, round
 * robin over the node's CPUs; returns the workers placed. */
unsigned place_per_node_cpus(unsigned per_node, int *cpus, unsigned max);
/* The node of a CPU, or -1. */
int place_cpu_node(int cpu);
/* Applies mem_node / mem_policy to the calling thread (no-op for mem_node = any). */
void place_memory(const struct job_opts *o);
/* Back to local allocation for the calling thread. */
void place_reset(void);
/* Samples up to 256 pages of the file: counts[node] pages found on each node, *unknown those the
 * kernel could not place (DAX pages, unmapped). Returns the pages sampled. */
unsigned place_sample_file(const char *path, uint64_t size, unsigned *counts, unsigned *unknown);

#endif
