#include "measure/topo.h"
#include "lib/util.h"

#include <errno.h>
#include <hwloc.h>
#include <string.h>

static hwloc_topology_t topology;

int topo_init(void)
{
	if (topology)
		return 0;
	/* I/O objects too: block and DAX devices carry their NUMA locality there */
	if (hwloc_topology_init(&topology) ||
	    hwloc_topology_set_io_types_filter(topology, HWLOC_TYPE_FILTER_KEEP_IMPORTANT) ||
	    hwloc_topology_load(topology)) {
		topology = NULL;
		return error("hwloc: cannot load the CPU topology");
	}
	return 0;
}

void topo_fini(void)
{
	if (topology)
		hwloc_topology_destroy(topology);
	topology = NULL;
}

int topo_pin_self(int cpu)
{
	hwloc_bitmap_t set = hwloc_bitmap_alloc();
	hwloc_bitmap_only(set, (unsigned)cpu);
	int rc = hwloc_set_cpubind(topology, set, HWLOC_CPUBIND_THREAD);
	int e = errno;
	hwloc_bitmap_free(set);
	return rc ? -e : 0;
}

unsigned topo_allowed_cpus(int *cpus, unsigned max)
{
	hwloc_bitmap_t set = hwloc_bitmap_alloc();
	unsigned n = 0;
	if (hwloc_get_cpubind(topology, set, HWLOC_CPUBIND_PROCESS) == 0) {
		int cpu;
		hwloc_bitmap_foreach_begin(cpu, set)
			if (n < max)
				cpus[n++] = cpu;
		hwloc_bitmap_foreach_end();
	}
	hwloc_bitmap_free(set);
	return n;
}

unsigned topo_numa_nodes(void)
{
	int n = hwloc_get_nbobjs_by_type(topology, HWLOC_OBJ_NUMANODE);
	return n > 0 ? (unsigned)n : 1;
}

unsigned topo_nodes(struct topo_node *out, unsigned max)
{
	int n = hwloc_get_nbobjs_by_type(topology, HWLOC_OBJ_NUMANODE);
	for (int i = 0; i < n && (unsigned)i < max; i++) {
		hwloc_obj_t o = hwloc_get_obj_by_type(topology, HWLOC_OBJ_NUMANODE, (unsigned)i);
		out[i].os_index = o->os_index;
		out[i].memory_bytes = o->attr ? (unsigned long long)o->attr->numanode.local_memory : 0;
		hwloc_bitmap_list_snprintf(out[i].cpus, sizeof(out[i].cpus), o->cpuset);
	}
	return n > 0 ? (unsigned)n : 0;
}

int topo_device_node(const char *name)
{
	if (!name || !*name || topo_init())
		return -1;
	for (hwloc_obj_t o = hwloc_get_next_osdev(topology, NULL); o; o = hwloc_get_next_osdev(topology, o)) {
		if (!o->name || strcmp(o->name, name))
			continue;
		hwloc_obj_t anc = hwloc_get_non_io_ancestor_obj(topology, o);
		/* local to one node only when the ancestor's memory is one node */
		if (anc && anc->nodeset && hwloc_bitmap_weight(anc->nodeset) == 1)
			return hwloc_bitmap_first(anc->nodeset);
		return -1;
	}
	return -1;
}
