/*
 * `daxperf sweep --numa` results: one heatmap per job, CPU node (rows) by memory node (columns) --
 * or by the DAX device's node, the only memory a DAX file has -- each cell coloured by the job's
 * headline figure and labelled with it.
 */
#include "plot/plot.h"
#include "lib/util.h"

#include <string.h>

/* Writes "column row value" per cell; returns the cells written. */
static int write_cells(FILE *f, json_t *m)
{
	size_t r, c;
	json_t *row, *v;
	int n = 0;
	fprintf(f, "# memory_index cpu_index value\n");
	json_array_foreach(json_object_get(m, "values"), r, row)
	{
		json_array_foreach(row, c, v)
		{
			fprintf(f, "%zu %zu %.9g\n", c, r, json_number_value(v));
			n++;
		}
	}
	return n;
}

/* gnuplot tics naming each index by its node number: ('0' 0, '1' 1). */
static void node_tics(json_t *nodes, char *out, size_t len)
{
	size_t i, used = 0;
	json_t *n;
	out[0] = '\0';
	json_array_foreach(nodes, i, n)
	{
		int w = snprintf(out + used, len - used, "%s'%lld' %zu", i ? ", " : "", json_integer_value(n), i);
		if (w < 0 || (size_t)w >= len - used) {
			out[used] = '\0'; /* no tic cut inside its quotes */
			break;
		}
		used += (size_t)w;
	}
}

int plot_numa(struct plot_ctx *c)
{
	json_t *sweep = json_object_get(c->root, "sweep");
	if (strcmp(plot_jstr(sweep, "kind"), "numa"))
		return 0;
	size_t i;
	json_t *m;
	json_array_foreach(json_object_get(sweep, "matrices"), i, m)
	{
		char dat[64], name[64];
		snprintf(dat, sizeof(dat), "numa-%zu.dat", i);
		snprintf(name, sizeof(name), "numa-%zu", i);
		FILE *f = plot_open_data(c, dat);
		if (!f)
			return -1;
		int cells = write_cells(f, m);
		fclose(f);
		if (!cells)
			continue;
		int dax = json_is_true(json_object_get(m, "dax"));
		size_t nm = json_array_size(json_object_get(m, "mem_nodes")), nc = json_array_size(json_object_get(m, "cpu_nodes"));
		char xt[512], yt[512], unit[300], qdat[80];
		node_tics(json_object_get(m, "mem_nodes"), xt, sizeof(xt));
		node_tics(json_object_get(m, "cpu_nodes"), yt, sizeof(yt));
		plot_gp_text(plot_jstr(m, "unit"), '\'', unit, sizeof(unit));
		plot_gp_text(dat, '\'', qdat, sizeof(qdat));
		char body[4096];
		snprintf(body, sizeof(body),
			 "set xrange [-0.5:%zu.5]\nset yrange [%zu.5:-0.5]\nset xtics (%s)\nset ytics (%s)\n"
			 "set xlabel '%s'\nset ylabel 'CPU node (threads run here)'\nset cblabel %s\n"
			 /* viridis: perceptually uniform, readable in grey; values on white boxes read on any cell */
			 "set palette defined (0 '#440154', 0.25 '#3b528b', 0.5 '#21918c', 0.75 '#5ec962', 1 '#fde725')\n"
			 "set style textbox opaque fc rgb '#ffffff' noborder margins 2,1\n"
			 "set size ratio -1\nunset key\nset grid front lc rgb '#ffffff'\n"
			 "plot %s using 1:2:(0.5):(0.5):3 with boxxyerror fs solid 1 fc palette, "
			 "'' using 1:2:(sprintf('%%.3g', $3)) with labels boxed font ',12' tc rgb '#000000'\n",
			 nm - 1, nc - 1, xt, yt, dax ? "DAX device node (where the file lives)" : "memory node (page cache pages)",
			 unit, qdat);
		char title[512];
		snprintf(title, sizeof(title), "%s: %s by CPU node x %s node%s", plot_jstr(m, "name"), plot_jstr(m, "unit"),
			 dax ? "DAX device" : "memory",
			 json_is_false(json_object_get(m, "complete")) ? " (incomplete: a cell failed)" : "");
		plot_emit(c, name, title, body, 700, 600);
	}
	return 0;
}
