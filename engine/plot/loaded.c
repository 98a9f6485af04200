/*
 * The loaded-latency curve (Intel MLC --loaded_latency): for each run of a group with a latency job,
 * the load the other members pushed (MB/s) against the latency job's mean (one panel) and p99 (the
 * other). One line per curve -- a group's base name (up to its first '[') and, when the result has
 * them, its series (compare's "DAX" / "page cache", sweep --numa's node pair) -- each point a run.
 * Where the result holds an idle chase -- a job of the latency job's workload and options outside
 * every group -- its mean and p99 stand as a dashed line: the zero-load reference.
 */
#include "plot/plot.h"
#include "lib/util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct loaded_point {
	double load_mbs, mean_ns, p99_ns;
	const char *run; /* the group run's name: "loaded[delay=1us]" */
};

struct loaded_curve {
	char base[128];     /* the group up to its first '[' */
	const char *series; /* "" for a plain run */
	json_t *latency_job;
	struct loaded_point *pts;
	size_t n;
	double idle_mean_ns, idle_p99_ns; /* 0: no idle job found */
	const char *idle_name;
};

/* The latency job of the nth run (from 0) of a group with that latency job: the nth job of that
 * name in that group. Runs of one group (a compare's rounds, sweep --numa's node pairs) are recorded
 * in the order they ran, as their jobs are, and their jobs may share a name. */
static json_t *latency_job_of(json_t *jobs, const char *name, const char *group, size_t nth)
{
	size_t i;
	json_t *j;
	json_array_foreach(jobs, i, j)
		if (!strcmp(plot_job_name(j), name) && !strcmp(plot_jstr(json_object_get(j, "options"), "group"), group) && !nth--)
			return j;
	return NULL;
}

/* Whether two jobs' options agree but for the group and the file (a job's own). */
static int same_options(json_t *a, json_t *b)
{
	const char *key;
	json_t *v;
	json_t *oa = json_object_get(a, "options"), *ob = json_object_get(b, "options");
	if (!json_is_object(oa) || !json_is_object(ob) || json_object_size(oa) != json_object_size(ob))
		return 0;
	json_object_foreach(oa, key, v) {
		if (!strcmp(key, "group") || !strcmp(key, "file"))
			continue;
		json_t *w = json_object_get(ob, key);
		if (!w || !json_equal(v, w))
			return 0;
	}
	return 1;
}

/* The idle reference of a latency job: the first job that ran ok outside every group with its
 * workload and options, on a file as DAX as its own (a compare's sides each have theirs). */
static json_t *idle_job(json_t *jobs, json_t *lat)
{
	size_t i;
	json_t *j;
	json_t *dax = json_object_get(json_object_get(lat, "target"), "dax_effective");
	json_array_foreach(jobs, i, j) {
		if (*plot_jstr(json_object_get(j, "options"), "group") || !plot_job_ok(j))
			continue;
		if (strcmp(plot_jstr(j, "workload"), plot_jstr(lat, "workload")) || !same_options(j, lat))
			continue;
		json_t *jd = json_object_get(json_object_get(j, "target"), "dax_effective");
		if (dax && jd && !json_equal(dax, jd))
			continue;
		return j;
	}
	return NULL;
}

static int by_load(const void *a, const void *b)
{
	const struct loaded_point *x = a, *y = b;
	return (x->load_mbs > y->load_mbs) - (x->load_mbs < y->load_mbs);
}

/* The curves of the result's group runs; how many (0: none has a latency job that ran). */
static size_t collect(json_t *root, struct loaded_curve **out, size_t *left_out)
{
	json_t *groups = json_object_get(root, "groups"), *jobs = json_object_get(root, "jobs"), *g;
	size_t i, n = 0;
	struct loaded_curve *cv = xcalloc(json_array_size(groups) + 1, sizeof(*cv));
	*left_out = 0;
	json_array_foreach(groups, i, g) {
		json_t *lat = json_object_get(g, "latency");
		if (!json_is_object(lat))
			continue;
		double mean = json_number_value(json_object_get(lat, "mean_ns"));
		double p99 = json_number_value(json_object_get(lat, "p99_ns"));
		if (!json_is_true(json_object_get(g, "ok")) || mean <= 0 || p99 <= 0) {
			(*left_out)++;
			continue;
		}
		const char *group = plot_jstr(g, "group"), *series = plot_jstr(g, "series");
		/* how many runs of this group with this latency job came before: which of the job's records
		 * is this run's */
		size_t nth = 0;
		for (size_t e = 0; e < i; e++) {
			json_t *ge = json_array_get(groups, e);
			nth += !strcmp(plot_jstr(ge, "group"), group) &&
			       !strcmp(plot_jstr(json_object_get(ge, "latency"), "job"), plot_jstr(lat, "job"));
		}
		char base[128];
		snprintf(base, sizeof(base), "%.*s", (int)strcspn(group, "["), group);
		size_t k = 0;
		while (k < n && (strcmp(cv[k].base, base) || strcmp(cv[k].series, series)))
			k++;
		struct loaded_curve *c = &cv[k];
		if (k == n) {
			n++;
			snprintf(c->base, sizeof(c->base), "%s", base);
			c->series = series;
			c->pts = xcalloc(json_array_size(groups) + 1, sizeof(*c->pts));
			c->latency_job = latency_job_of(jobs, plot_jstr(lat, "job"), group, nth);
		}
		/* a compare repeats each run per round: the first stands for it, as in the other figures */
		int seen = 0;
		for (size_t p = 0; p < c->n && !seen; p++)
			seen = !strcmp(c->pts[p].run, group);
		if (seen)
			continue;
		c->pts[c->n++] = (struct loaded_point){ json_number_value(json_object_get(g, "load_bytes_per_sec")) / 1e6,
							mean, p99, group };
	}
	for (size_t k = 0; k < n; k++) {
		qsort(cv[k].pts, cv[k].n, sizeof(*cv[k].pts), by_load);
		json_t *idle = cv[k].latency_job ? idle_job(jobs, cv[k].latency_job) : NULL;
		json_t *lat = json_object_get(idle, "latency_ns");
		if (idle) {
			cv[k].idle_mean_ns = json_number_value(json_object_get(lat, "mean"));
			cv[k].idle_p99_ns = json_number_value(json_object_get(json_object_get(lat, "percentiles"), "99"));
			cv[k].idle_name = plot_job_name(idle);
		}
	}
	*out = cv;
	return n;
}

static void free_curves(struct loaded_curve *cv, size_t n)
{
	for (size_t k = 0; k < n; k++)
		free(cv[k].pts);
	free(cv);
}

/* loaded.dat: per curve one block "load_MBps mean_s p99_s run" and, when it has an idle job, one of
 * two points spanning the x range at its figures. */
static int write_data(struct plot_ctx *c, struct loaded_curve *cv, size_t n, double xmax)
{
	FILE *f = plot_open_data(c, "loaded.dat");
	if (!f)
		return -1;
	char q[300], qs[300];
	for (size_t k = 0; k < n; k++) {
		fprintf(f, "# curve %s%s%s: load_MBps mean_s p99_s run\n", plot_gp_text(cv[k].base, 0, q, sizeof(q)),
			*cv[k].series ? ", " : "", plot_gp_text(cv[k].series, 0, qs, sizeof(qs)));
		for (size_t p = 0; p < cv[k].n; p++) {
			const char *run = cv[k].pts[p].run, *sw = strchr(run, '[');
			char point[200];
			/* the point's label: what the run swept ("delay=1us"), the brackets dropped */
			snprintf(point, sizeof(point), "%.*s", sw ? (int)strcspn(sw + 1, "]") : 0, sw ? sw + 1 : "");
			fprintf(f, "%.9g %.9g %.9g %s\n", cv[k].pts[p].load_mbs, cv[k].pts[p].mean_ns / 1e9,
				cv[k].pts[p].p99_ns / 1e9, plot_gp_text(point, '"', q, sizeof(q)));
		}
		fprintf(f, "\n\n");
		if (cv[k].idle_mean_ns > 0)
			fprintf(f, "# idle reference: job %s\n0 %.9g %.9g\n%.9g %.9g %.9g\n\n\n", plot_gp_text(cv[k].idle_name, 0, q, sizeof(q)),
				cv[k].idle_mean_ns / 1e9, cv[k].idle_p99_ns / 1e9, xmax, cv[k].idle_mean_ns / 1e9, cv[k].idle_p99_ns / 1e9);
	}
	return fclose(f) ? error("loaded.dat: %s", strerror(errno)) : 0;
}

int plot_loaded(struct plot_ctx *c)
{
	struct loaded_curve *cv;
	size_t left_out, n = collect(c->root, &cv, &left_out);
	double xmax = 0;
	int idles = 0;
	for (size_t k = 0; k < n; k++) {
		for (size_t p = 0; p < cv[k].n; p++)
			xmax = cv[k].pts[p].load_mbs > xmax ? cv[k].pts[p].load_mbs : xmax;
		idles += cv[k].idle_mean_ns > 0;
	}
	if (!n || write_data(c, cv, n, xmax * 1.05)) {
		free_curves(cv, n);
		return n ? -1 : 0;
	}
	char *body = NULL, title[512], qt[1100];
	size_t body_len;
	FILE *m = open_memstream(&body, &body_len);
	if (!m)
		return free_curves(cv, n), error("open_memstream: %s", strerror(errno));
	const char *cfg = plot_jstr(json_object_get(c->root, "config"), "name");
	/* one group and one latency job (on several sides or node pairs): said once in the title, so
	 * each key entry is just its side; several: each entry names its group and job */
	char who0[128];
	const char *lat0 = plot_job_name(cv[0].latency_job);
	snprintf(who0, sizeof(who0), "%.*s", (int)strcspn(lat0, "@["), lat0);
	int one_curve = 1;
	for (size_t k = 1; k < n && one_curve; k++) {
		const char *lat = plot_job_name(cv[k].latency_job);
		one_curve = !strcmp(cv[k].base, cv[0].base) && strlen(who0) == strcspn(lat, "@[") && !strncmp(lat, who0, strlen(who0));
	}
	snprintf(title, sizeof(title), "%s: loaded latency (the latency job's mean and p99 against the load beside it)%s", cfg,
		 idles ? "" : "; no idle chase in the result: no zero-load reference");
	char legend[400] = "", ql[900] = "''";
	if (one_curve) {
		const char *idle = cv[0].idle_name ? cv[0].idle_name : "";
		snprintf(legend, sizeof(legend), "solid: %s under load in group %s", *who0 ? who0 : "the latency job", cv[0].base);
		if (idles)
			snprintf(legend + strlen(legend), sizeof(legend) - strlen(legend), "; dashed: %.*s alone (no load)",
				 (int)strcspn(idle, "@[/"), idle);
		plot_gp_text(legend, '\'', ql, sizeof(ql));
	}
	if (left_out)
		snprintf(title + strlen(title), sizeof(title) - strlen(title), "; %zu group run%s that did not run left out",
			 left_out, left_out > 1 ? "s" : "");
	plot_gp_text(title, '\'', qt, sizeof(qt));
	/* a multiplot carries the figure's title itself: the panels have their own */
	fprintf(m, "set multiplot layout 1,2 title %s.\"\\n\".%s%s%s noenhanced\n"
		   "set xlabel 'load achieved beside the latency job (MB/s)'\nset xrange [0:*]\n"
		   "set bmargin 8\n", qt, one_curve ? ql : "", one_curve ? ".\"\\n\"." : "", c->subtitle);
	/* the mean moves within a factor of a few, on a linear axis in one unit (gnuplot's own prefixes
	 * would label 1.2 us and 1.4 us both "1 us"), with room above the highest point; the p99 over
	 * decades, on a log axis */
	double mean_max = 0;
	for (size_t k = 0; k < n; k++) {
		for (size_t p = 0; p < cv[k].n; p++)
			mean_max = cv[k].pts[p].mean_ns > mean_max ? cv[k].pts[p].mean_ns : mean_max;
		mean_max = cv[k].idle_mean_ns > mean_max ? cv[k].idle_mean_ns : mean_max;
	}
	const char *unit = mean_max < 1e4 ? "ns" : mean_max < 1e7 ? "us" : "ms";
	double per_s = mean_max < 1e4 ? 1e9 : mean_max < 1e7 ? 1e6 : 1e3;
	for (int col = 2; col <= 3; col++) {
		char ycol[48];
		if (col == 2) {
			snprintf(ycol, sizeof(ycol), "($2*%g)", per_s);
			fprintf(m, "set title 'mean latency'\nset ylabel 'mean latency of the latency job (%s)'\n"
				   "unset logscale y\nset yrange [0:*]\nset offsets 0, 0, graph 0.08, 0\nset format y '%%g'\n", unit);
		} else {
			snprintf(ycol, sizeof(ycol), "3");
			fputs("set title 'p99 latency'\nset ylabel 'p99 latency of the latency job'\n"
			      "set logscale y\nset yrange [*:*]\nset offsets 0, 0, 0, 0\n" PLOT_LOG_TICKS("y") "set format y '%.0s %cs'\n", m);
		}
		/* the legend once, under the mean's panel; the p99 panel's lines are the same */
		fputs(col == 2 ? "set key below vertical maxrows 4 noenhanced\n" : "unset key\n", m);
		fputs("plot ", m);
		for (size_t k = 0, block = 0; k < n; k++) {
			char line[400], q[420], who[128];
			/* "loaded: lat under load": the group and its latency job (its base name, before '@') */
			const char *lat = plot_job_name(cv[k].latency_job);
			snprintf(who, sizeof(who), "%.*s", (int)strcspn(lat, "@["), lat);
			if (one_curve) /* the figure's title names the group and its jobs: the key names the side */
				snprintf(line, sizeof(line), "%s", *cv[k].series ? cv[k].series : "under load");
			else
				snprintf(line, sizeof(line), "%s: %s under load%s%s", cv[k].base, *who ? who : "latency job",
					 *cv[k].series ? ", " : "", cv[k].series);
			plot_gp_text(line, '\'', q, sizeof(q));
			fprintf(m, "%s'loaded.dat' index %zu using 1:%s with linespoints pt 7 ps 1 lw 2 lc %zu title %s", k ? ", " : "",
				block, ycol, k + 1, q);
			/* each point named by what its run swept, on a lone curve: two would crowd */
			if (n == 1)
				fprintf(m, ", '' index %zu using 1:%s:4 with labels offset 0.6,0.6 left font ',8' tc rgb '#555555' notitle",
					block, ycol);
			block++;
			if (cv[k].idle_mean_ns > 0) {
				char idle[400];
				if (one_curve)
					snprintf(idle, sizeof(idle), "%s%salone", cv[k].series, *cv[k].series ? ": " : "");
				else
					snprintf(idle, sizeof(idle), "zero load (%s run alone)%s%s", cv[k].idle_name,
						 *cv[k].series ? ", " : "", cv[k].series);
				plot_gp_text(idle, '\'', q, sizeof(q));
				fprintf(m, ", '' index %zu using 1:%s with lines dt 2 lw 1.5 lc %zu title %s", block++, ycol, k + 1, q);
			}
		}
		fputc('\n', m);
	}
	fputs("unset multiplot\n", m);
	fclose(m);
	plot_emit(c, "loaded-latency", title, body, 1300, 560);
	free(body);
	free_curves(cv, n);
	return 0;
}
