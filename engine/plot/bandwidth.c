/*
 * Bandwidth against threads for a result of read:write mixes swept over threads (configs/peak-
 * bandwidth.ini; Intel MLC's --peak_injection_bandwidth): one line per mix, named as MLC names it
 * ("all reads", "3:1", "nt writes"), and per side of a compare (DAX solid, page cache dashed). Its
 * jobs are drawn here only, not again in the generic figures against a swept option.
 */
#include "plot/plot.h"
#include "result/peak.h"
#include "lib/util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char *const side_suffix[PLOT_PEAK_SIDES] = { "", "/dax", "/pagecache" };
static const char *const side_word[PLOT_PEAK_SIDES] = { "", "DAX", "page cache" };
/* a colour per mix, each clear on white (gnuplot's own fifth, yellow, is not) */
static const char *const mix_colour[] = { "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
					  "#8c564b", "#e377c2", "#7f7f7f", "#17becf", "#bcbd22" };

const char *plot_peak_side_name(int side)
{
	return side_word[side];
}

/* The side of a job by its name: a compare's "/dax" or "/pagecache" after the swept values. */
static int job_side(const char *name)
{
	size_t n = strlen(name);
	for (int s = 1; s < PLOT_PEAK_SIDES; s++) {
		size_t l = strlen(side_suffix[s]);
		if (n > l && !strcmp(name + n - l, side_suffix[s]))
			return s;
	}
	return 0;
}

/* A job's swept values as the engine spells them: "rw=read,threads=2". */
static void swept_text(json_t *job, char *out, size_t len)
{
	const char *key;
	json_t *v, *swept = json_object_get(job, "swept");
	out[0] = '\0';
	json_object_foreach(swept, key, v) {
		size_t u = strlen(out);
		snprintf(out + u, len - u, "%s%s=%s", u ? "," : "", key, plot_jstr(swept, key));
	}
}

int plot_peak_job(json_t *job)
{
	char swept[256];
	swept_text(job, swept, sizeof(swept));
	return peak_job(plot_jstr(job, "workload"), swept);
}

int plot_peak_table(json_t *root, int side, struct peak_table *t)
{
	size_t i;
	json_t *job;
	memset(t, 0, sizeof(*t));
	json_array_foreach(json_object_get(root, "jobs"), i, job) {
		if (job_side(plot_job_name(job)) != side)
			continue;
		char swept[256];
		swept_text(job, swept, sizeof(swept));
		json_t *o = json_object_get(job, "options");
		int ok = plot_job_ok(job);
		peak_add(t, plot_jstr(job, "workload"), swept, plot_jstr(o, "rw"), plot_jstr(o, "persist"), plot_jstr(o, "threads"), ok,
			 ok ? json_number_value(json_object_get(job, "bytes_per_sec")) : 0);
	}
	return peak_ready(t);
}

int plot_peak_drawn(json_t *root)
{
	struct peak_table *t = xcalloc(1, sizeof(*t));
	int drawn = 0;
	for (int s = 0; s < PLOT_PEAK_SIDES && !drawn; s++)
		drawn = plot_peak_table(root, s, t);
	free(t);
	return drawn;
}

int plot_bandwidth_threads(struct plot_ctx *c)
{
	struct peak_table *t = xcalloc(PLOT_PEAK_SIDES, sizeof(*t));
	int sides = 0;
	unsigned tmax = 1;
	for (int s = 0; s < PLOT_PEAK_SIDES; s++)
		if (plot_peak_table(c->root, s, &t[s])) {
			sides++;
			tmax = t[s].threads[t[s].ncols - 1] > tmax ? t[s].threads[t[s].ncols - 1] : tmax;
		}
	if (!sides)
		return free(t), 0;
	FILE *f = plot_open_data(c, "bandwidth-threads.dat");
	if (!f)
		return free(t), -1;
	char *body = NULL;
	size_t body_len;
	FILE *m = open_memstream(&body, &body_len);
	if (!m)
		return fclose(f), free(t), error("open_memstream: %s", strerror(errno));
	/* x: the thread counts measured, nothing between (a thread is a whole number) */
	fprintf(m, "set xlabel 'threads'\nset xrange [0.5:%g]\nset xtics 1\nset ylabel 'MB/s (all threads together)'\n"
		   "set yrange [0:*]\nset format y '%%.0f'\n", tmax + 0.5);
	/* the legend below, clear of the axis label: a row of mixes, or with sides a column per side */
	size_t rows = 0;
	for (int s = 0; s < PLOT_PEAK_SIDES; s++)
		rows = peak_ready(&t[s]) && t[s].nrows > rows ? t[s].nrows : rows;
	if (sides > 1)
		fprintf(m, "set key below vertical maxrows %zu noenhanced\nset bmargin %zu\nplot ", rows, rows + 4);
	else
		fputs("set key below horizontal maxcols 5 noenhanced\nset bmargin 6\nplot ", m);
	size_t block = 0;
	for (int s = 0; s < PLOT_PEAK_SIDES; s++) {
		if (!peak_ready(&t[s]))
			continue;
		for (size_t r = 0; r < t[s].nrows; r++) {
			char q[300], line[128];
			fprintf(f, "# %s%s%s: threads MB_per_s\n", plot_gp_text(t[s].rows[r], 0, q, sizeof(q)), s ? ", " : "", side_word[s]);
			for (size_t k = 0; k < t[s].ncols; k++)
				if (t[s].have[r][k] == 1)
					fprintf(f, "%u %.9g\n", t[s].threads[k], t[s].mbs[r][k]);
			fprintf(f, "\n\n");
			snprintf(line, sizeof(line), "%s%s%s", t[s].rows[r], s ? ", " : "", side_word[s]);
			/* one colour per mix; a compare's page cache dashed beside its DAX */
			fprintf(m, "%s'bandwidth-threads.dat' index %zu using 1:2 with linespoints pt %d ps 1.2 lw 2 lc rgb '%s' dt %d title %s",
				block ? ", " : "", block, s == 2 ? 6 : 7, mix_colour[r % ARRAY_SIZE(mix_colour)], s == 2 ? 2 : 1, plot_gp_text(line, '\'', q, sizeof(q)));
			block++;
		}
	}
	fputc('\n', m);
	fclose(m);
	int rc = fclose(f) ? error("bandwidth-threads.dat: %s", strerror(errno)) : 0;
	if (!rc) {
		char title[256];
		snprintf(title, sizeof(title), "%s: bandwidth against threads, a line per read:write mix%s",
			 plot_jstr(json_object_get(c->root, "config"), "name"), sides > 1 ? " (DAX solid, page cache dashed)" : "");
		plot_emit(c, "bandwidth-threads", title, body, 1000, 560);
	}
	free(body);
	free(t);
	return rc;
}
