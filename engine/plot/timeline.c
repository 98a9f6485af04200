/* The run's timeline: MB/s and p99 per window, one panel per job for a run of a few jobs. */
#include "plot/plot.h"
#include "lib/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void plot_timeline_windows(FILE *f, json_t *job, size_t round, double t0, double window_s)
{
	json_t *windows = json_object_get(json_object_get(job, "timeline"), "windows"), *win;
	size_t w;
	json_array_foreach(windows, w, win) {
		if ((size_t)json_integer_value(json_object_get(win, "round")) != round)
			continue;
		double dur = json_number_value(json_object_get(win, "duration_s"));
		if (window_s > 0 && dur < window_s / 2)
			continue;
		fprintf(f, "%.6g %.9g %.9g %.9g\n", t0 + json_number_value(json_object_get(win, "t_s")) + dur / 2,
			json_number_value(json_object_get(win, "bytes_per_sec")) / 1e6,
			json_number_value(json_object_get(win, "ops_per_sec")),
			json_number_value(json_object_get(win, "p99_ns")) / 1e9);
	}
	fprintf(f, "\n");
}

double plot_window_seconds(json_t *job)
{
	return json_number_value(json_object_get(json_object_get(job, "timeline"), "window_ns")) / 1e9;
}

/* Columns of the panel grid for n jobs. */
#define TIMELINE_PANELS 12
static int panel_cols(size_t n)
{
	return n <= 3 ? (int)n : n <= 8 ? 2 : 3;
}

/* A run of 2 to TIMELINE_PANELS jobs: one small panel per job (its runs under one name, each round
 * marked and numbered), MB/s and p99 per window, time from the job's first round. */
static int timeline_panels(struct plot_ctx *c, json_t *jobs, const char **names, size_t n, char **body)
{
	FILE *f = plot_open_data(c, "timeline.dat");
	if (!f)
		return -1;
	char *text = NULL;
	size_t text_len;
	FILE *m = open_memstream(&text, &text_len);
	if (!m)
		return fclose(f), error("open_memstream: %s", strerror(errno));
	int cols = panel_cols(n), rows = ((int)n + cols - 1) / cols;
	fprintf(m, "set multiplot layout %d,%d title %s.\"\\n\".%s noenhanced\n", rows, cols,
		"'timeline, one panel per job (each round marked; a last window under half a window left out)'", c->subtitle);
	fprintf(m, "set logscale y\nset logscale y2\nset y2tics\nset ytics nomirror\n" PLOT_LOG_TICKS("y2") "set format y2 '%%.0s %%cs'\n"
		   "set ylabel 'MB/s' tc rgb '#1f77b4'\nset y2label 'p99' tc rgb '#d62728'\nset xlabel 's'\nunset key\n");
	fprintf(f, "# one index per job: t_s MB_per_s ops_per_s p99_s, rounds split by a blank line\n");
	for (size_t j = 0; j < n; j++) {
		double t0 = -1;
		unsigned round = 0;
		size_t i;
		json_t *job, *rd;
		fprintf(m, "unset label\nunset arrow\n");
		json_array_foreach(jobs, i, job) {
			if (strcmp(plot_job_name(job), names[j]))
				continue;
			size_t k;
			json_array_foreach(json_object_get(job, "rounds"), k, rd) {
				double start = json_number_value(json_object_get(rd, "start_s"));
				if (t0 < 0)
					t0 = start;
				fprintf(m, "set arrow from %.6g, graph 0 to %.6g, graph 1 nohead lc rgb '#aaaaaa' dt 2\n"
					   "set label 'round %u' at %.6g, graph 0.97 left font ',7' tc rgb '#555555'\n",
					start - t0, start - t0, ++round, start - t0);
				plot_timeline_windows(f, job, k, start - t0, plot_window_seconds(job));
			}
		}
		fprintf(f, "\n");
		char q[300];
		fprintf(m, "set title %s font ',9'\nplot 'timeline.dat' index %zu using 1:2 with lines lw 2 lc rgb '#1f77b4', "
			   "'' index %zu using 1:4 axes x1y2 with lines lw 1 lc rgb '#d62728'\n",
			plot_gp_text(names[j], '\'', q, sizeof(q)), j, j);
	}
	fputs("unset multiplot\n", m);
	fclose(f);
	fclose(m);
	*body = text;
	return 0;
}

/* The whole run on one time axis: bandwidth and p99 per window, each job's start marked; a run of a
 * few jobs gets a panel per job instead. */
int plot_timeline(struct plot_ctx *c)
{
	json_t *jobs = json_object_get(c->root, "jobs");
	size_t njobs = json_array_size(jobs), n = 0, i, k;
	const char **names = xcalloc(njobs + 1, sizeof(*names));
	json_t *job, *round;
	json_array_foreach(jobs, i, job) {
		int seen = 0;
		for (size_t e = 0; e < n && !seen; e++)
			seen = !strcmp(names[e], plot_job_name(job));
		if (!seen)
			names[n++] = plot_job_name(job);
	}
	char title[256], *body = NULL;
	const char *cfg = plot_jstr(json_object_get(c->root, "config"), "name");
	const char *window = plot_jstr(json_object_get(json_array_get(jobs, 0), "options"), "window");
	if (n >= 2 && n <= TIMELINE_PANELS) {
		int rc = timeline_panels(c, jobs, names, n, &body);
		free(names);
		if (rc)
			return rc;
		snprintf(title, sizeof(title), "%s: timeline per job (windows of %s)", cfg, window);
		int rows = ((int)n + panel_cols(n) - 1) / panel_cols(n);
		plot_emit(c, "timeline", title, body, 1200, 300 + 220 * rows);
		free(body);
		return 0;
	}
	free(names);
	FILE *f = plot_open_data(c, "timeline.dat");
	if (!f)
		return -1;
	fprintf(f, "# t_s  MB_per_s  ops_per_s  p99_s  (one block per round)\n");
	/* a stream, not a fixed buffer: 40 long job names would cut a label inside its quoted text */
	char *labels = NULL;
	size_t labels_len;
	FILE *m = open_memstream(&labels, &labels_len);
	if (!m)
		return fclose(f), error("open_memstream: %s", strerror(errno));
	const char *last_group = "";
	json_array_foreach(jobs, i, job) {
		/* jobs of one group run started together: the run is marked once, by its group's name */
		const char *group = plot_jstr(json_object_get(job, "options"), "group");
		int same_run = *group && !strcmp(group, last_group);
		last_group = group;
		json_array_foreach(json_object_get(job, "rounds"), k, round) {
			double start = json_number_value(json_object_get(round, "start_s"));
			if (k == 0 && njobs <= 40 && !same_run) {
				char q[300];
				plot_gp_text(*group ? group : plot_job_name(job), '\'', q, sizeof(q));
				fprintf(m,
					"set arrow from %.6g, graph 0 to %.6g, graph 1 nohead lc rgb '#aaaaaa' dt 2\n"
					"set label %s at %.6g, graph 0.98 rotate by 90 right font ',8' tc rgb '#555555' noenhanced\n",
					start, start, q, start);
			}
			plot_timeline_windows(f, job, k, start, plot_window_seconds(job));
		}
	}
	fclose(f);
	fclose(m);
	body = xasprintf(
		"set xlabel 'time since the run started (s)'\nset ylabel 'MB/s' tc rgb '#1f77b4'\nset logscale y\n"
		"set y2label 'p99 latency per window' tc rgb '#d62728'\nset logscale y2\nset y2tics\nset ytics nomirror\n"
		PLOT_LOG_TICKS("y2")
		"set format y2 '%%.0s %%cs'\nset key below\n%s"
		"plot 'timeline.dat' using 1:2 with lines lw 2 lc rgb '#1f77b4' title 'MB/s', "
		"'' using 1:4 axes x1y2 with lines lw 1 lc rgb '#d62728' title 'p99 latency'\n",
		labels);
	free(labels);
	snprintf(title, sizeof(title), "%s: timeline (windows of %s; a last window under half a window left out)", cfg,
		 window);
	plot_emit(c, "timeline", title, body, 1200, 560);
	free(body);
	return 0;
}
