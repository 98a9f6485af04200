/*
 * `daxperf sweep CONFIG --numa`: every job on every (CPU node, memory node) pair, as a matrix of its
 * headline figure (mean latency for chase, bandwidth for sequential jobs, ops/s otherwise): the
 * node-by-node matrices Intel MLC prints, for files on DAX and on the page cache. For a DAX file the
 * memory is where the device is, so only the CPU node varies. Thread counts sweep with
 * --set threads=1,2,4 (each count is its own job and matrix).
 */
#include "cli/batch.h"
#include "measure/daxmode.h"
#include "cli/commands.h"
#include "measure/place.h"
#include "lib/units.h"
#include "lib/util.h"

#include <numa.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char sweep_usage[] =
	"usage: daxperf sweep CONFIG --numa [options]\n"
	"\n"
	"Runs every job of CONFIG with its workers on each NUMA node's CPUs and its memory (page-cache\n"
	"pages, buffers) on each node, and prints a matrix per job of its headline figure: mean latency\n"
	"for chase, MB/s for sequential jobs, ops/s otherwise. DAX files live on their device's node,\n"
	"so for them only the CPU node varies.\n"
	"\n"
	"  --numa             sweep CPU node x memory node (required)\n"
	"  --threads LIST     sweep thread counts too (1:*2:8 or 1,2,4): one matrix per count\n"
	"  --dir DIR, --set KEY=VALUE, --output DIR, --force, --format human|json, --plot  as for run\n";

static int nodes_list(int *nodes)
{
	int n = 0, max = numa_available() >= 0 ? numa_max_node() : 0;
	for (int i = 0; i <= max && n < PLACE_MAX_NODES; i++)
		if (numa_available() < 0 ? i == 0 : numa_bitmask_isbitset(numa_nodes_ptr, (unsigned)i))
			nodes[n++] = i;
	return n;
}

int cmd_sweep(int argc, char **argv)
{
	int numa = 0;
	char **args = xcalloc((size_t)argc + 1, sizeof(char *));
	int nargs = 0;
	char *threads = NULL;
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--numa"))
			numa = 1;
		else if (!strcmp(argv[i], "--threads") && i + 1 < argc)
			threads = argv[++i]; /* a sweep of the threads option, e.g. 1:*2:8 */
		else
			args[nargs++] = argv[i];
	}
	struct batch_args a;
	struct cfg cfg;
	struct job_list jobs;
	int rc = batch_parse_args(nargs, args, sweep_usage, 0, &a);
	char *set_threads = threads ? xasprintf("threads=%s", threads) : NULL;
	if (!rc && set_threads)
		strlist_add(&a.sets, set_threads);
	free(set_threads);
	if (!rc && !numa)
		rc = error("sweep: which sweep? --numa is the one there is (threads: --set threads=1,2,4)");
	if (rc || batch_load(&a, &cfg, &jobs)) {
		free(args);
		strlist_free(&a.sets);
		return rc > 0 ? 0 : 2;
	}
	int nodes[PLACE_MAX_NODES], nn = nodes_list(nodes);
	size_t cells = jobs.n * (size_t)nn * (size_t)nn;
	struct job_spec *specs = xcalloc(cells, sizeof(*specs));
	struct batch b;
	rc = 3;
	if (batch_begin(&b, &a, cells) == 0) {
		json_t *mats = json_array();
		if (a.format == FORMAT_HUMAN) {
			report_header(stdout, cfg.name, &b.tgt);
			if (nn == 1)
				printf("this machine has one NUMA node: every matrix is 1 x 1\n");
		}
		rc = 0;
		size_t k = 0;
		for (size_t j = 0; j < jobs.n && !b.interrupted; j++) {
			double v[PLACE_MAX_NODES][PLACE_MAX_NODES];
			int mems[PLACE_MAX_NODES], nm = nn, dax = -1, device_node = b.tgt.fs.numa_node;
			memcpy(mems, nodes, sizeof(int) * (size_t)nn);
			if (jobs.j[j].o.dax == DAX_ON) {
				/* known DAX: the memory axis is the device's node from the first cell on */
				dax = 1;
				nm = 1;
				mems[0] = device_node;
			}
			const char *unit = "";
			int ok = 1;
			for (int c = 0; c < nn && ok; c++) {
				for (int m = 0; m < nm && ok; m++) {
					struct job_spec *s = &specs[k++];
					*s = jobs.j[j];
					s->o.cpu_node = nodes[c];
					s->o.mem_node = dax == 1 ? -1 : mems[m];
					fmt_into(s->name, sizeof(s->name), "%s[cpu_node=%d,mem_node=%d]", jobs.j[j].name, nodes[c],
						 dax == 1 ? device_node : mems[m]);
					struct job_result *r = batch_run(&b, s, 0);
					if (!r)
						break;
					if (r->status != JOB_OK) {
						ok = 0;
						break;
					}
					v[c][m] = headline(r, &unit);
					if (dax < 0 && (dax = r->dax_effective) == 1) {
						/* a DAX file's memory is its device: one column, the device's node */
						nm = 1;
						mems[0] = device_node;
					}
				}
			}
			json_t *rows = json_array();
			for (int c = 0; c < nn && ok; c++) {
				json_t *row = json_array();
				for (int m = 0; m < nm; m++)
					json_array_append_new(row, json_real(v[c][m]));
				json_array_append_new(rows, row);
			}
			json_t *cpu_axis = json_array(), *mem_axis = json_array();
			for (int c = 0; c < nn; c++)
				json_array_append_new(cpu_axis, json_integer(nodes[c]));
			for (int m = 0; m < nm; m++)
				json_array_append_new(mem_axis, json_integer(mems[m]));
			json_array_append_new(mats, json_pack("{s:s, s:s, s:b, s:o, s:o, s:o, s:b}", "name", jobs.j[j].name, "unit",
							      unit, "dax", dax == 1, "cpu_nodes", cpu_axis, "mem_nodes",
							      mem_axis, "values", rows, "complete", ok));
			if (!ok)
				rc = 1;
			if (a.format != FORMAT_HUMAN)
				continue;
			printf("\n%s: %s (rows: CPU node, columns: %s node)\n%10s", jobs.j[j].name, unit,
			       dax == 1 ? "DAX device" : "memory", "");
			for (int m = 0; m < nm; m++)
				printf(" %10d", mems[m]);
			printf("\n");
			for (int c = 0; c < nn && ok; c++) {
				printf("%10d", nodes[c]);
				for (int m = 0; m < nm; m++) {
					char x[16];
					format_si(v[c][m], x, sizeof(x));
					printf(" %10s", x);
				}
				printf("\n");
			}
			if (!ok)
				printf("  (a cell failed; see the jobs in the result)\n");
		}
		json_t *root = batch_finish(&b, &cfg);
		json_object_set_new(root, "sweep", json_pack("{s:s, s:o}", "kind", "numa", "matrices", mats));
		rc = batch_conclude(&b, &a, root, cfg.name, NULL, rc);
	}
	batch_free(&b);
	free(specs);
	free(args);
	jobs_free(&jobs);
	cfg_free(&cfg);
	strlist_free(&a.sets);
	return rc;
}
