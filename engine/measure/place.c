#include "measure/place.h"
#include "lib/util.h"

#include <errno.h>
#include <fcntl.h>
#include <numa.h>
#include <numaif.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static int node_exists(int n)
{
	return numa_available() >= 0 ? n <= numa_max_node() && numa_bitmask_isbitset(numa_nodes_ptr, (unsigned)n) : n == 0;
}

void place_nodes_text(char *buf, size_t len)
{
	size_t used = 0;
	buf[0] = '\0';
	int max = numa_available() >= 0 ? numa_max_node() : 0;
	for (int n = 0; n <= max && used < len; n++)
		if (node_exists(n))
			used += (size_t)snprintf(buf + used, len - used, "%s%d", used ? "," : "", n);
}

int place_check(const struct job_opts *o, char *err, size_t len)
{
	char nodes[256];
	place_nodes_text(nodes, sizeof(nodes));
	if (o->cpu_node >= 0 && !node_exists(o->cpu_node))
		return fmt_into(err, len, "cpu_node = %d: this machine has NUMA nodes %s", o->cpu_node, nodes), -1;
	if (o->mem_node >= 0 && !node_exists(o->mem_node))
		return fmt_into(err, len, "mem_node = %d: this machine has NUMA nodes %s", o->mem_node, nodes), -1;
	return 0;
}

unsigned place_node_cpus(int node, int *cpus, unsigned max)
{
	unsigned n = 0;
	if (numa_available() < 0)
		return 0;
	struct bitmask *m = numa_allocate_cpumask();
	if (numa_node_to_cpus(node, m) == 0)
		for (unsigned c = 0; c < m->size && n < max; c++)
			if (numa_bitmask_isbitset(m, c))
				cpus[n++] = (int)c;
	numa_free_cpumask(m);
	return n;
}

unsigned place_cpu_nodes(int *nodes, unsigned max)
{
	int cpus[1];
	unsigned n = 0;
	if (numa_available() < 0) {
		nodes[0] = 0;
		return max ? 1 : 0;
	}
	for (int node = 0; node <= numa_max_node() && n < max; node++)
		if (node_exists(node) && place_node_cpus(node, cpus, 1))
			nodes[n++] = node;
	return n;
}

unsigned place_per_node_cpus(unsigned per_node, int *cpus, unsigned max)
{
	int nodes[PLACE_MAX_NODES], node_cpus[1024];
	unsigned nn = place_cpu_nodes(nodes, PLACE_MAX_NODES), w = 0;
	for (unsigned k = 0; k < nn; k++) {
		unsigned nc = place_node_cpus(nodes[k], node_cpus, 1024);
		for (unsigned j = 0; j < per_node && nc && w < max; j++)
			cpus[w++] = node_cpus[j % nc];
	}
	return w;
}

int place_cpu_node(int cpu)
{
	return numa_available() < 0 ? 0 : numa_node_of_cpu(cpu);
}

void place_memory(const struct job_opts *o)
{
	if (o->mem_node < 0 || numa_available() < 0)
		return;
	struct bitmask *m = numa_allocate_nodemask();
	numa_bitmask_setbit(m, (unsigned)o->mem_node);
	switch (o->mem_policy) {
	case POLICY_PREFERRED: numa_set_preferred(o->mem_node); break;
	case POLICY_INTERLEAVE: numa_set_interleave_mask(numa_all_nodes_ptr); break;
	case POLICY_LOCAL: numa_set_localalloc(); break;
	default:
		numa_set_bind_policy(1);
		numa_set_membind(m);
	}
	numa_free_nodemask(m);
}

void place_reset(void)
{
	if (numa_available() < 0)
		return;
	numa_set_bind_policy(0);
	numa_set_membind(numa_all_nodes_ptr);
	numa_set_localalloc();
}

unsigned place_sample_file(const char *path, uint64_t size, unsigned *counts, unsigned *unknown)
{
	enum { SAMPLES = 256 };
	*unknown = 0;
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	char *map = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return 0;
	uint64_t pages = size / 4096, step = pages > SAMPLES ? pages / SAMPLES : 1;
	void *addr[SAMPLES];
	int status[SAMPLES];
	unsigned n = 0;
	for (uint64_t p = 0; p < pages && n < SAMPLES; p += step) {
		addr[n] = map + p * 4096;
		(void)*(volatile char *)addr[n]; /* mapped, so the kernel can say where it is */
		n++;
	}
	if (move_pages(0, n, addr, NULL, status, 0) == 0) {
		for (unsigned i = 0; i < n; i++) {
			if (status[i] >= 0 && status[i] < PLACE_MAX_NODES)
				counts[status[i]]++;
			else
				(*unknown)++;
		}
	} else {
		*unknown = n;
	}
	munmap(map, size);
	return n;
}
