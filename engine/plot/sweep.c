/* Figures against every swept option: MB/s, ops/s and mean latency, a line per value of the other
 * swept options (and per side of a compare). */
#include "plot/plot.h"
#include "lib/util.h"
#include "config/jobopts.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *jstr_value(json_t *v)
{
	const char *s = json_string_value(v);
	return s ? s : "";
}

/* The number behind an option's text ("4k" -> 4096, "100ms" -> 0.1 s), or NAN. */
static double option_number(const char *text)
{
	char *end;
	if (!text)
		return NAN;
	double v = strtod(text, &end);
	if (end == text)
		return NAN;
	static const struct { const char *s; double m; } units[] = {
		{ "", 1 }, { "k", 1024 }, { "m", 1048576 }, { "g", 1073741824.0 }, { "t", 1099511627776.0 },
		{ "ns", 1e-9 }, { "us", 1e-6 }, { "ms", 1e-3 }, { "s", 1 },
	};
	for (size_t i = 0; i < ARRAY_SIZE(units); i++)
		if (!strcmp(end, units[i].s))
			return v * units[i].m;
	return NAN;
}

/* "threads=2,persist=nt": a job's swept values other than the x axis's, naming its line. */
static void other_swept(json_t *job, const char *xkey, char *buf, size_t len)
{
	const char *key;
	json_t *val;
	buf[0] = '\0';
	json_object_foreach(json_object_get(job, "swept"), key, val)
	{
		if (!strcmp(key, xkey))
			continue;
		size_t u = strlen(buf);
		snprintf(buf + u, len - u, "%s%s=%s", u ? "," : "", key, jstr_value(val));
	}
}

/* Figures against the swept value: one figure per section whose jobs sweep a number. */
/* Appends a compared job's side to its series name: "bs=4k" -> "bs=4k, DAX" for "x[...]/dax". */
static void side_series(const char *name, size_t base_len, char *series, size_t len)
{
	const char *close = strchr(name + base_len, ']');
	const char *side = close ? close + 1 : "";
	const char *word = !strcmp(side, "/dax") ? "DAX" : !strcmp(side, "/pagecache") ? "page cache" : side;
	if (*word) {
		size_t u = strlen(series);
		snprintf(series + u, len - u, "%s%s", u ? ", " : "", word);
	}
}

int plot_sweeps(struct plot_ctx *c)
{
	json_t *jobs = json_object_get(c->root, "jobs");
	size_t n = json_array_size(jobs);
	char *done = xcalloc(n + 1, 1);
	/* each data block's line title, quoted: one block per combination of the other swept values */
	char(*line_titles)[300] = xcalloc(n + 1, sizeof(*line_titles));
	int figure = 0;
	/* read:write mixes by threads have a figure of their own (bandwidth.c) */
	if (plot_peak_drawn(c->root))
		for (size_t i = 0; i < n; i++)
			done[i] = plot_peak_job(json_array_get(jobs, i));
	for (size_t i = 0; i < n; i++) {
		json_t *job = json_array_get(jobs, i);
		json_t *swept = json_object_get(job, "swept");
		if (done[i] || json_object_size(swept) == 0)
			continue;
		/* the x axis: the first swept option whose values are numbers */
		const char *xkey = NULL, *key;
		json_t *val;
		json_object_foreach(swept, key, val) if (!xkey && !isnan(option_number(jstr_value(val)))) xkey = key;
		const char *name = plot_job_name(job);
		size_t base_len = strcspn(name, "[");
		if (!xkey)
			continue;
		char dat[64], qdat[80];
		snprintf(dat, sizeof(dat), "sweep-%d.dat", ++figure);
		plot_gp_text(dat, '\'', qdat, sizeof(qdat));
		FILE *f = plot_open_data(c, dat);
		if (!f)
			return free(done), free(line_titles), -1;
		int blocks = 0;
		char zero[64] = ""; /* a swept value of 0, which a log axis leaves out */
		for (size_t a = i; a < n; a++) {
			json_t *ja = json_array_get(jobs, a);
			if (done[a] || strncmp(plot_job_name(ja), name, base_len) || plot_job_name(ja)[base_len] != '[')
				continue;
			char others[256], text[300];
			other_swept(ja, xkey, others, sizeof(others));
			/* a compare's sides ("/dax", "/pagecache" after the swept values) are series of their own */
			side_series(plot_job_name(ja), base_len, others, sizeof(others));
			fprintf(f, "# %s\n", plot_gp_text(others[0] ? others : "all", 0, text, sizeof(text)));
			for (size_t b = a; b < n; b++) {
				json_t *jb = json_array_get(jobs, b);
				if (done[b] || strncmp(plot_job_name(jb), name, base_len) || plot_job_name(jb)[base_len] != '[')
					continue;
				char ob[256];
				other_swept(jb, xkey, ob, sizeof(ob));
				side_series(plot_job_name(jb), base_len, ob, sizeof(ob));
				if (strcmp(ob, others))
					continue;
				done[b] = 1;
				/* compare repeats a job per round under one name: its first round stands for it */
				for (size_t r = b + 1; r < n; r++)
					if (!strcmp(plot_job_name(json_array_get(jobs, r)), plot_job_name(jb)))
						done[r] = 1;
				if (!plot_job_ok(jb))
					continue;
				const char *xv = plot_jstr(json_object_get(jb, "swept"), xkey);
				if (option_number(xv) <= 0 && !zero[0]) /* a log axis has no place for it */
					snprintf(zero, sizeof(zero), "%s", xv);
				fprintf(f, "%.9g %.9g %.9g %.9g %s\n", option_number(xv),
					json_number_value(json_object_get(jb, "bytes_per_sec")) / 1e6,
					json_number_value(json_object_get(jb, "ops_per_sec")),
					json_number_value(json_object_get(json_object_get(jb, "latency_ns"), "mean")) / 1e9,
					plot_gp_text(xv, '"', text, sizeof(text)));
			}
			fprintf(f, "\n\n");
			plot_gp_text(others, '\'', line_titles[blocks++], sizeof(line_titles[0]));
		}
		fclose(f);
		char title[512], pname[64], qt[1100], qx[300], *body = NULL;
		size_t body_len;
		/* a stream, not a fixed buffer: a cut would leave a quoted string open and break the script */
		FILE *m = open_memstream(&body, &body_len);
		if (!m)
			return free(done), free(line_titles), error("open_memstream: %s", strerror(errno));
		snprintf(title, sizeof(title), "%.*s: against %s", (int)base_len, name, xkey);
		if (zero[0])
			snprintf(title + strlen(title), sizeof(title) - strlen(title),
				 " (%s = %s has no place on the log axis: its figures are in the tables)", xkey, zero);
		plot_gp_text(title, '\'', qt, sizeof(qt));
		/* a multiplot carries the figure's title itself: the panels have their own */
		const struct opt_def *d = opt_find(job_opt_table, xkey);
		/* sizes double (base 2, labelled in bytes); times run over decades (base 10, labelled at 1, 2
		 * and 5 of each: base 2 labelled 954ns, 2us, 4us) */
		const char *xfmt = d && d->type == OPT_SIZE ? "set logscale x 2\nset format x '%.0b%BB'\n"
				 : d && d->type == OPT_TIME ? "set logscale x 10\n" PLOT_LOG_TICKS("x") "set format x '%.0s %cs'\n"
				 : "set logscale x 2\n";
		fprintf(m, "set multiplot layout 1,3 title %s.\"\\n\".%s noenhanced\n%sset xlabel %s\nset key below\n",
			qt, c->subtitle, xfmt, plot_gp_text(xkey, '\'', qx, sizeof(qx)));
		static const char *const what[] = { "MB/s", "ops/s", "mean latency" };
		for (int col = 2; col <= 4; col++) {
			fprintf(m, "set title '%s'\nset ylabel '%s'\n%sset logscale y\nplot ", what[col - 2], what[col - 2],
				col == 4 ? "set format y '%.0s %cs'\n" : "set format y '%g'\n");
			for (int k = 0; k < blocks; k++)
				fprintf(m, "%s%s index %d using 1:%d with linespoints pt 7 lw 2 title %s", k ? ", " : "", qdat, k,
					col, line_titles[k]);
			fputc('\n', m);
		}
		fputs("unset multiplot\n", m);
		fclose(m);
		snprintf(pname, sizeof(pname), "sweep-%d", figure);
		plot_emit(c, pname, title, body, 1300, 480);
		free(body);
	}
	free(line_titles);
	free(done);
	return 0;
}
