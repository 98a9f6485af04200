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

/* One job's matrix: its headline figure for each (CPU node, memory node) cell. */
struct matrix {
	const char *name;
	double v[PLACE_MAX_NODES][PLACE_MAX_NODES];
	const int *cpus;
	int ncpu;
	int mems[PLACE_MAX_NODES], nmem;
	int dax;                 /* the job file's effective mode: 1 DAX, else -1 / 0 */
	const char *unit;
	int ok;                  /* every cell ran */
};

/* Runs n jobs (one, or the members of a group, at the same time) on every cell, each job's specs
 * taking one slot per cell and its figures going to its own matrix; a DAX file's memory is its
 * device, so its matrix has one column, the device's node. A group's runs in each cell are one
 * series of its loaded-latency curve ("cpu node 0, mem node 1"). Stops at the first cell that fails. */
static void run_matrices(struct batch *b, const struct job_spec *const *jobs, size_t n, const int *nodes, int nn,
			 const int *cpu_nodes, int ncn, struct job_spec **specs, struct matrix *ms)
{
	int device_node = b->tgt.fs.numa_node, ok = 1, dax = -1, nmem = nn, mems[PLACE_MAX_NODES];
	memcpy(mems, nodes, sizeof(int) * (size_t)nn);
	if (jobs[0]->o.dax == DAX_ON) {
		dax = 1;
		nmem = 1;
		mems[0] = device_node;
	}
	const struct job_spec **cell = xcalloc(n, sizeof(*cell));
	for (int c = 0; c < ncn && ok; c++) {
		for (int k = 0; k < nmem && ok; k++) {
			int mem = dax == 1 ? device_node : mems[k];
			for (size_t i = 0; i < n; i++) {
				struct job_spec *s = (*specs)++;
				*s = *jobs[i];
				s->o.cpu_node = cpu_nodes[c];
				s->o.mem_node = dax == 1 ? -1 : mems[k];
				fmt_into(s->name, sizeof(s->name), "%s[cpu_node=%d,mem_node=%d]", jobs[i]->name, cpu_nodes[c], mem);
				/* a group's run in this cell is one series of its curve; a job alone in the same
				 * cell (an idle chase) is that series' zero-load reference */
				fmt_into(s->series, sizeof(s->series), "cpu node %d, mem node %d", cpu_nodes[c], mem);
				cell[i] = s;
			}
			size_t at = b->n;
			if (n == 1 ? !batch_run(b, cell[0], 0) : !batch_run_group(b, cell, n)) {
				ok = -1; /* stopped: the cells so far stand */
				break;
			}
			for (size_t i = 0; i < n; i++) {
				const struct job_result *r = &b->rs[at + i];
				if (r->status != JOB_OK) {
					ok = 0;
					continue;
				}
				ms[i].v[c][k] = headline(r, &ms[i].unit);
				if (dax < 0 && (dax = r->dax_effective) == 1) {
					nmem = 1;
					mems[0] = device_node;
				}
			}
		}
	}
	for (size_t i = 0; i < n; i++) {
		ms[i].name = jobs[i]->name;
		ms[i].cpus = cpu_nodes;
		ms[i].ncpu = ncn;
		ms[i].nmem = nmem;
		memcpy(ms[i].mems, mems, sizeof(mems));
		ms[i].dax = dax;
		ms[i].ok = ok == 1;
		if (!ms[i].unit)
			ms[i].unit = "";
	}
	free(cell);
}

static json_t *matrix_json(const struct matrix *m)
{
	json_t *rows = json_array();
	for (int c = 0; c < m->ncpu && m->ok; c++) {
		json_t *row = json_array();
		for (int k = 0; k < m->nmem; k++)
			json_array_append_new(row, json_real(m->v[c][k]));
		json_array_append_new(rows, row);
	}
	json_t *cpu_axis = json_array(), *mem_axis = json_array();
	for (int c = 0; c < m->ncpu; c++)
		json_array_append_new(cpu_axis, json_integer(m->cpus[c]));
	for (int k = 0; k < m->nmem; k++)
		json_array_append_new(mem_axis, json_integer(m->mems[k]));
	return json_pack("{s:s, s:s, s:b, s:o, s:o, s:o, s:b}", "name", m->name, "unit", m->unit, "dax", m->dax == 1,
			 "cpu_nodes", cpu_axis, "mem_nodes", mem_axis, "values", rows, "complete", m->ok);
}

static void print_matrix(const struct matrix *m)
{
	printf("\n%s: %s (rows: CPU node, columns: %s node)\n%10s", m->name, m->unit,
	       m->dax == 1 ? "DAX device" : "memory", "");
	for (int k = 0; k < m->nmem; k++)
		printf(" %10d", m->mems[k]);
	printf("\n");
	for (int c = 0; c < m->ncpu && m->ok; c++) {
		printf("%10d", m->cpus[c]);
		for (int k = 0; k < m->nmem; k++) {
			char x[16];
			format_si(m->v[c][k], x, sizeof(x));
			printf(" %10s", x);
		}
		printf("\n");
	}
	if (!m->ok)
		printf("  (a cell failed; see the jobs in the result)\n");
}

/* Takes sweep's own options (--numa, --threads LIST) out of argv; the rest goes to the batch.
 * 0, or -1 after an error. */
static int sweep_args(int argc, char **argv, char **args, int *nargs, int *numa, const char **threads)
{
	*nargs = 0;
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--numa"))
			*numa = 1;
		else if (!strcmp(argv[i], "--threads") && i + 1 == argc)
			return error("sweep: --threads needs a value");
		else if (!strcmp(argv[i], "--threads"))
			*threads = argv[++i]; /* a sweep of the threads option, e.g. 1:*2:8 */
		else
			args[(*nargs)++] = argv[i];
	}
	return 0;
}

/* Every member of a group is placed on the same node pair; a DAX file's memory is its device's, so
 * its matrix has one column: members must agree on dax for their cells to be the same cells.
 * 0, or -1 after "file:line: [job]: group G: ...". */
static int check_group_dax(const struct job_list *jobs)
{
	for (size_t i = 0; i < jobs->n; i++)
		for (size_t k = 0; k < i && jobs->j[i].o.group[0]; k++) {
			const struct job_spec *a = &jobs->j[i], *b = &jobs->j[k];
			if (!strcmp(a->o.group, b->o.group) && a->o.dax != b->o.dax)
				return error("%s:%d: [%s]: group %s: its dax differs from [%s]; sweep --numa puts a group's jobs on one "
					     "node pair, and a DAX file's memory is its device's: members must share dax",
					     a->file, a->line, a->name, a->o.group, b->name);
		}
	return 0;
}

int cmd_sweep(int argc, char **argv)
{
	int numa = 0, nargs;
	const char *threads = NULL;
	char **args = xcalloc((size_t)argc + 1, sizeof(char *));
	if (sweep_args(argc, argv, args, &nargs, &numa, &threads)) {
		free(args);
		return 2;
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
	if (check_group_dax(&jobs)) {
		free(args);
		jobs_free(&jobs);
		cfg_free(&cfg);
		strlist_free(&a.sets);
		return 2;
	}
	/* columns: every node with memory; rows: the nodes with CPUs. A memory-only node (kmem, CXL
	 * memory) is a column and never a row: nothing can run there */
	int nodes[PLACE_MAX_NODES], nn = nodes_list(nodes);
	int cpu_nodes[PLACE_MAX_NODES], ncn = (int)place_cpu_nodes(cpu_nodes, PLACE_MAX_NODES);
	if (ncn == 0) /* no libnuma: one node, as nodes_list says */
		cpu_nodes[ncn++] = nodes[0];
	size_t cells = jobs.n * (size_t)ncn * (size_t)nn;
	struct job_spec *specs = xcalloc(cells, sizeof(*specs)), *next = specs;
	struct batch b;
	rc = 3;
	if (batch_begin(&b, &a, &cfg, argc, argv, cells) == 0) {
		json_t *mats = json_array();
		if (a.format == FORMAT_HUMAN) {
			report_header(stdout, cfg.name, &b.tgt);
			if (nn == 1)
				printf("this machine has one NUMA node: every matrix is 1 x 1\n");
		}
		rc = 0;
		/* one job at a time; the jobs of a group together, where its first job stands */
		const struct job_spec **members = xcalloc(jobs.n, sizeof(*members));
		struct matrix *ms = xcalloc(jobs.n, sizeof(*ms));
		for (size_t j = 0; j < jobs.n && !b.interrupted; j++) {
			size_t n = 0;
			for (size_t k = 0; k < jobs.n; k++)
				if (k == j || (jobs.j[j].o.group[0] && !strcmp(jobs.j[k].o.group, jobs.j[j].o.group)))
					members[n++] = &jobs.j[k];
			if (members[0] != &jobs.j[j])
				continue; /* ran with its group */
			memset(ms, 0, n * sizeof(*ms));
			run_matrices(&b, members, n, nodes, nn, cpu_nodes, ncn, &next, ms);
			for (size_t i = 0; i < n; i++) {
				json_array_append_new(mats, matrix_json(&ms[i]));
				if (!ms[i].ok)
					rc = 1;
				if (a.format == FORMAT_HUMAN)
					print_matrix(&ms[i]);
			}
		}
		free(ms);
		free(members);
		if (a.format == FORMAT_HUMAN)
			report_groups(stdout, b.rs, b.n);
		json_t *root = batch_finish(&b);
		json_object_set_new(root, "sweep", json_pack("{s:s, s:o}", "kind", "numa", "matrices", mats));
		rc = batch_conclude(&b, &a, root, rc);
	}
	batch_free(&b);
	free(specs);
	free(args);
	jobs_free(&jobs);
	cfg_free(&cfg);
	strlist_free(&a.sets);
	return rc;
}
