/* Latency percentile curves and histograms, JOBS_PER_PLOT jobs a figure; the sides of a compared job
 * share a colour. */
#include "plot/plot.h"
#include "lib/util.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define JOBS_PER_PLOT 8

static const double pct_points[] = { 0,  10, 20, 30,   40,   50,    60,    70,     80,    90,
				     95, 99, 99.5, 99.9, 99.95, 99.99, 99.995, 99.999 };

/* A compared job's name without its side ("x/dax" -> "x"), the length of that part; *pc set for the
 * page-cache side. */
static size_t base_len(const char *name, int *pc)
{
	size_t n = strlen(name);
	static const char *const sides[] = { "/dax", "/pagecache" };
	*pc = 0;
	for (int s = 0; s < 2; s++) {
		size_t l = strlen(sides[s]);
		if (n > l && !strcmp(name + n - l, sides[s])) {
			*pc = s == 1;
			return n - l;
		}
	}
	return n;
}

/* The line colour (gnuplot's 1, 2, ...) of shown job ok[k] in the figure starting at ok[first]: one
 * per job, the sides of a compared job sharing theirs. */
static unsigned job_colour(json_t *jobs, const size_t *ok, size_t first, size_t k, int *pc)
{
	const char *name = plot_job_name(json_array_get(jobs, ok[k]));
	size_t len = base_len(name, pc);
	unsigned colour = 0;
	for (size_t i = first; i <= k; i++) {
		int other_pc;
		const char *other = plot_job_name(json_array_get(jobs, ok[i]));
		size_t olen = base_len(other, &other_pc);
		int same_as_earlier = 0;
		for (size_t e = first; e < i && !same_as_earlier; e++) {
			int epc;
			const char *en = plot_job_name(json_array_get(jobs, ok[e]));
			same_as_earlier = base_len(en, &epc) == olen && !strncmp(en, other, olen);
		}
		if (!same_as_earlier)
			colour++;
		if (olen == len && !strncmp(other, name, len))
			break;
	}
	return colour;
}

/* Latency percentile curves and histograms, JOBS_PER_PLOT jobs a figure. */
int plot_latency(struct plot_ctx *c)
{
	json_t *jobs = json_object_get(c->root, "jobs");
	size_t n = json_array_size(jobs), shown = 0;
	size_t *ok = xcalloc(n + 1, sizeof(size_t));
	for (size_t i = 0; i < n; i++) {
		/* compare repeats each job per round under one name: its first round stands for it */
		int seen = 0;
		for (size_t k = 0; k < shown && !seen; k++)
			seen = !strcmp(plot_job_name(json_array_get(jobs, ok[k])), plot_job_name(json_array_get(jobs, i)));
		if (!seen && plot_job_ok(json_array_get(jobs, i)))
			ok[shown++] = i;
	}
	for (size_t first = 0; first < shown; first += JOBS_PER_PLOT) {
		size_t last = first + JOBS_PER_PLOT < shown ? first + JOBS_PER_PLOT : shown;
		char pct_plot[8192] = "", hist_plot[8192] = "";
		for (size_t k = first; k < last; k++) {
			json_t *job = json_array_get(jobs, ok[k]);
			json_t *buckets = json_object_get(json_object_get(job, "histogram"), "buckets");
			json_t *lat = json_object_get(job, "latency_ns");
			double tick = 1.0 / json_number_value(json_object_get(json_object_get(c->root, "timer"), "ticks_per_ns"));
			char name[64], q[300], qname[80];
			snprintf(name, sizeof(name), "latency-%zu.dat", ok[k]);
			FILE *f = plot_open_data(c, name);
			if (!f)
				return free(ok), -1;
			fprintf(f, "# percentile  x=1/(1-p)  latency_s   (job %s)\n", plot_gp_text(plot_job_name(job), 0, q, sizeof(q)));
			for (size_t p = 0; p < ARRAY_SIZE(pct_points); p++)
				fprintf(f, "%g %.9g %.9g\n", pct_points[p], 1.0 / (1.0 - pct_points[p] / 100.0),
					plot_hist_percentile(buckets, pct_points[p], tick, json_number_value(json_object_get(lat, "min")),
							     json_number_value(json_object_get(lat, "max"))) / 1e9);
			/* histogram rebinned to 8 bins per power of two, as the share of samples */
			fprintf(f, "\n\n# latency_s share_percent\n");
			double total = json_number_value(json_object_get(json_object_get(job, "latency_ns"), "samples"));
			double bin_lo = 0, acc = 0;
			size_t i;
			json_t *b;
			json_array_foreach(buckets, i, b)
			{
				double mid = (json_number_value(json_array_get(b, 0)) + json_number_value(json_array_get(b, 1))) / 2;
				double lo = mid > 0 ? exp2(floor(log2(mid) * 8) / 8) : 0;
				if (lo != bin_lo && acc > 0) {
					fprintf(f, "%.9g %.6g\n", bin_lo * pow(2, 1.0 / 16) / 1e9, acc / total * 100);
					acc = 0;
				}
				bin_lo = lo;
				acc += json_number_value(json_array_get(b, 2));
			}
			if (acc > 0)
				fprintf(f, "%.9g %.6g\n", bin_lo * pow(2, 1.0 / 16) / 1e9, acc / total * 100);
			fclose(f);
			plot_gp_text(plot_job_name(job), '\'', q, sizeof(q));
			plot_gp_text(name, '\'', qname, sizeof(qname));
			/* the two sides of one compared job share a colour: DAX solid, page cache dashed */
			int side_pc = 0;
			unsigned colour = job_colour(jobs, ok, first, k, &side_pc);
			char style[48];
			snprintf(style, sizeof(style), "lc %u dt %d", colour, side_pc ? 2 : 1);
			size_t u = strlen(pct_plot);
			snprintf(pct_plot + u, sizeof(pct_plot) - u, "%s%s index 0 using 2:3 with linespoints pt 7 ps 0.5 lw 2 %s title %s",
				 k > first ? ", " : "plot ", qname, style, q);
			u = strlen(hist_plot);
			snprintf(hist_plot + u, sizeof(hist_plot) - u, "%s%s index 1 using 1:2 with steps lw 2 %s title %s",
				 k > first ? ", " : "plot ", qname, style, q);
		}
		char body[10000], title[256], pname[64];
		const char *cfg = plot_jstr(json_object_get(c->root, "config"), "name");
		snprintf(body, sizeof(body),
			 "set logscale x\nset logscale y\n" PLOT_LOG_TICKS("y") "set xrange [1:100000]\n"
			 "set xtics ('0%%%%' 1, '50%%%%' 2, '90%%%%' 10, '99%%%%' 100, '99.9%%%%' 1000, '99.99%%%%' 10000, '99.999%%%%' 100000)\n"
			 "set xlabel 'percentile (of timed operations)'\nset ylabel 'latency'\nset format y '%%.0s %%cs'\n"
			 "set key below horizontal maxcols 3\n%s\n",
			 pct_plot);
		char part[64] = "";
		if (shown > JOBS_PER_PLOT)
			snprintf(part, sizeof(part), " (jobs %zu-%zu of %zu)", first + 1, last, shown);
		snprintf(title, sizeof(title), "%s: latency percentiles%s", cfg, part);
		snprintf(pname, sizeof(pname), "latency-percentiles-%zu", first / JOBS_PER_PLOT + 1);
		plot_emit(c, pname, title, body, 1000, 560);
		snprintf(body, sizeof(body),
			 "set logscale x\n" PLOT_LOG_TICKS("x") "set xlabel 'latency'\nset format x '%%.0s %%cs'\nset ylabel 'share of timed operations (%%)'\n"
			 "set yrange [0:*]\nset key below horizontal maxcols 3\n%s\n",
			 hist_plot);
		snprintf(title, sizeof(title), "%s: latency histogram%s", cfg, part);
		snprintf(pname, sizeof(pname), "latency-histogram-%zu", first / JOBS_PER_PLOT + 1);
		plot_emit(c, pname, title, body, 1000, 560);
	}
	free(ok);
	return 0;
}
