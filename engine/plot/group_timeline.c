/*
 * Jobs of a group run at the same time, so their timelines share a time axis: one panel per group
 * run, a line per member (MB/s per window, log scale: a chase moves far fewer bytes than its load),
 * time from the run's first start. The run's timeline (timeline.c) shows each job alone; this shows
 * what ran beside what.
 */
#include "plot/plot.h"
#include "lib/util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define GROUP_PANELS 12
#define MEMBER_LINES 8

static const char *const member_colour[MEMBER_LINES] = { "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728",
							 "#9467bd", "#8c564b", "#e377c2", "#7f7f7f" };

/* Whether group entry g lists a job of that name. */
static int lists(json_t *g, const char *name)
{
	size_t k;
	json_t *nm;
	json_array_foreach(json_object_get(g, "jobs"), k, nm) if (json_is_string(nm) && !strcmp(json_string_value(nm), name)) return 1;
	return 0;
}

/* Job `name` of group run gi: runs of one group (a compare's rounds, sweep --numa's node pairs) are
 * recorded in the order they ran, as their jobs are, and may share job names -- so the run's job is
 * the nth of that name in that group, n the earlier runs of the group that list the name. */
static json_t *member(json_t *groups, size_t gi, json_t *jobs, json_t *name_value)
{
	const char *name = json_string_value(name_value), *group = plot_jstr(json_array_get(groups, gi), "group");
	if (!name)
		return NULL;
	size_t nth = 0, i;
	for (size_t e = 0; e < gi; e++)
		nth += !strcmp(plot_jstr(json_array_get(groups, e), "group"), group) && lists(json_array_get(groups, e), name);
	json_t *j;
	json_array_foreach(jobs, i, j)
		if (!strcmp(plot_job_name(j), name) && !strcmp(plot_jstr(json_object_get(j, "options"), "group"), group) && !nth--)
			return j;
	return NULL;
}

/* Whether a job of the group run ran (it has something to draw). */
static int any_ran(json_t *groups, size_t gi, json_t *jobs)
{
	size_t k;
	json_t *nm;
	json_array_foreach(json_object_get(json_array_get(groups, gi), "jobs"), k, nm) {
		json_t *j = member(groups, gi, jobs, nm);
		if (j && plot_job_ok(j))
			return 1;
	}
	return 0;
}

/* The group runs to draw: index into groups, each (group, series) once, a run where no job ran
 * left out (counted in *empty). */
static size_t runs_to_draw(json_t *groups, json_t *jobs, size_t *idx, size_t *total, size_t *empty)
{
	size_t i, n = 0;
	json_t *g;
	*total = *empty = 0;
	json_array_foreach(groups, i, g) {
		int seen = 0;
		for (size_t k = 0; k < n && !seen; k++) {
			json_t *o = json_array_get(groups, idx[k]);
			seen = !strcmp(plot_jstr(o, "group"), plot_jstr(g, "group")) && !strcmp(plot_jstr(o, "series"), plot_jstr(g, "series"));
		}
		if (seen || json_array_size(json_object_get(g, "jobs")) < 2)
			continue;
		if (!any_ran(groups, i, jobs)) {
			(*empty)++;
			continue;
		}
		(*total)++;
		if (n < GROUP_PANELS)
			idx[n++] = i;
	}
	return n;
}

int plot_group_timeline(struct plot_ctx *c)
{
	json_t *groups = json_object_get(c->root, "groups"), *jobs = json_object_get(c->root, "jobs");
	size_t idx[GROUP_PANELS], total, empty, n = runs_to_draw(groups, jobs, idx, &total, &empty);
	if (!n)
		return 0;
	FILE *f = plot_open_data(c, "group-timeline.dat");
	if (!f)
		return -1;
	char *body = NULL;
	size_t body_len;
	FILE *m = open_memstream(&body, &body_len);
	if (!m)
		return fclose(f), error("open_memstream: %s", strerror(errno));
	int cols = n <= 3 ? (int)n : n <= 8 ? 2 : 3, rows = ((int)n + cols - 1) / cols;
	char title[512], qt[1100];
	const char *cfg = plot_jstr(json_object_get(c->root, "config"), "name");
	snprintf(title, sizeof(title), "%s: group runs, a line per job on one time axis (they ran together)", cfg);
	if (total > n)
		snprintf(title + strlen(title), sizeof(title) - strlen(title), "; the first %zu of %zu group runs", n, total);
	if (empty)
		snprintf(title + strlen(title), sizeof(title) - strlen(title), "; %zu group run%s where no job ran left out", empty,
			 empty > 1 ? "s" : "");
	plot_gp_text(title, '\'', qt, sizeof(qt));
	fprintf(m, "set multiplot layout %d,%d title %s.\"\\n\".%s noenhanced\n"
		   "set logscale y\n" PLOT_LOG_TICKS("y") "set ylabel 'MB/s per window'\nset xlabel 's since the group run started'\n"
		   "set xrange [0:*]\nset key inside top right font ',8' noenhanced opaque box\n", rows, cols, qt, c->subtitle);
	fprintf(f, "# one index per group run and job: t_s MB_per_s ops_per_s p99_s, rounds split by a blank line\n");
	size_t block = 0;
	for (size_t p = 0; p < n; p++) {
		json_t *g = json_array_get(groups, idx[p]), *names = json_object_get(g, "jobs"), *nm;
		const char *group = plot_jstr(g, "group");
		/* the run's time axis starts where its first member started */
		double t0 = -1;
		size_t k;
		json_array_foreach(names, k, nm) {
			json_t *j = member(groups, idx[p], jobs, nm);
			json_t *r0 = json_array_get(json_object_get(j, "rounds"), 0);
			double s = json_number_value(json_object_get(r0, "start_s"));
			if (r0 && (t0 < 0 || s < t0))
				t0 = s;
		}
		char panel[400], q[420];
		snprintf(panel, sizeof(panel), "%s%s%s", group, *plot_jstr(g, "series") ? ", " : "", plot_jstr(g, "series"));
		fprintf(m, "set title %s font ',9'\nplot ", plot_gp_text(panel, '\'', q, sizeof(q)));
		int lines = 0;
		json_array_foreach(names, k, nm) {
			json_t *j = member(groups, idx[p], jobs, nm), *rd;
			if (!j || !plot_job_ok(j) || lines == MEMBER_LINES)
				continue;
			size_t r;
			fprintf(f, "# %s\n", plot_gp_text(plot_job_name(j), 0, q, sizeof(q)));
			json_array_foreach(json_object_get(j, "rounds"), r, rd)
				plot_timeline_windows(f, j, r, json_number_value(json_object_get(rd, "start_s")) - t0, plot_window_seconds(j));
			fprintf(f, "\n");
			/* the job as its section names it ("load", "lat"): the panel's title names the run */
			char who[300];
			snprintf(who, sizeof(who), "%.*s", (int)strcspn(plot_job_name(j), "@["), plot_job_name(j));
			fprintf(m, "%s'group-timeline.dat' index %zu using 1:2 with linespoints pt 7 ps 0.6 lw 2 lc rgb '%s' title %s",
				lines ? ", " : "", block++, member_colour[lines], plot_gp_text(*who ? who : plot_job_name(j), '\'', q, sizeof(q)));
			lines++;
		}
		fputc('\n', m);
	}
	fputs("unset multiplot\n", m);
	fclose(m);
	int rc = fclose(f) ? error("group-timeline.dat: %s", strerror(errno)) : 0;
	if (!rc)
		plot_emit(c, "group-timeline", title, body, 1200, 260 + 240 * rows);
	free(body);
	return rc;
}
