/* index.html: the run's tables and every plot inline (SVG), one self-contained file. */
#include "plot/plot.h"
#include "result/peak.h"
#include "lib/units.h"
#include "lib/util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* The one way a string reaches the page: safe as element text and inside a quoted attribute. */
static void html_text(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default: fputc(*s, f);
		}
	}
}

static const char *str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

static double num(json_t *o, const char *key)
{
	return json_number_value(json_object_get(o, key));
}

static void cell_latency(FILE *f, double ns)
{
	char b[32];
	format_latency(ns, b, sizeof(b));
	fprintf(f, "<td>%s</td>", b);
}

static void job_row(FILE *f, json_t *job, const char *label)
{
	json_t *lat = json_object_get(job, "latency_ns"), *pct = json_object_get(lat, "percentiles");
	json_t *dax = json_object_get(json_object_get(job, "target"), "dax_effective");
	char ops[32];
	format_si(num(job, "ops_per_sec"), ops, sizeof(ops));
	fputs("<tr><td>", f);
	html_text(f, label);
	fputs("</td><td class=\"", f);
	html_text(f, str(job, "status"));
	fputs("\">", f);
	html_text(f, str(job, "status"));
	fprintf(f, "</td><td>%s</td><td>%s</td><td>%.1f</td>",
		json_is_null(dax) || !dax ? "?" : json_is_true(dax) ? "yes" : "no", ops, num(job, "bytes_per_sec") / 1e6);
	cell_latency(f, num(lat, "mean"));
	cell_latency(f, num(pct, "50"));
	cell_latency(f, num(pct, "99"));
	cell_latency(f, num(pct, "99.9"));
	cell_latency(f, num(lat, "max"));
	fputs("<td>", f);
	html_text(f, json_is_string(json_object_get(job, "reason")) ? str(job, "reason") : str(job, "detail"));
	fputs("</td></tr>\n", f);
}

static const char jobs_head[] = "<table>\n<tr><th>job</th><th>status</th><th>DAX (statx)</th><th>ops/s</th><th>MB/s</th>"
				"<th>mean</th><th>p50</th><th>p99</th><th>p99.9</th><th>max</th><th>note</th></tr>\n";

/* Every job, folded: one <details> per job name, its runs (compare's rounds, each side) numbered
 * inside. open: unfolded (a run whose job table is the answer). */
static void jobs_table(FILE *f, json_t *root, int open)
{
	json_t *jobs = json_object_get(root, "jobs");
	size_t n = json_array_size(jobs);
	char *done = xcalloc(n + 1, 1);
	fputs("<h2>Jobs</h2>\n", f);
	for (size_t i = 0; i < n; i++) {
		if (done[i])
			continue;
		const char *name = str(json_array_get(jobs, i), "name");
		size_t runs = 0;
		for (size_t k = i; k < n; k++)
			runs += !strcmp(str(json_array_get(jobs, k), "name"), name);
		fprintf(f, "<details%s><summary>", open ? " open" : "");
		html_text(f, name);
		if (runs > 1)
			fprintf(f, " (%zu rounds)", runs);
		fprintf(f, "</summary>\n%s", jobs_head);
		size_t round = 0;
		for (size_t k = i; k < n; k++) {
			json_t *job = json_array_get(jobs, k);
			if (strcmp(str(job, "name"), name))
				continue;
			done[k] = 1;
			char label[64];
			snprintf(label, sizeof(label), "round %zu", ++round);
			job_row(f, job, runs > 1 ? label : name);
		}
		fputs("</table></details>\n", f);
	}
	free(done);
}

static void compare_table(FILE *f, json_t *root)
{
	json_t *cmp = json_object_get(root, "compare");
	if (!cmp)
		return;
	fprintf(f, "<h2>DAX vs page cache (%d rounds, ratio = DAX / page cache)</h2>\n<table>\n"
		   "<tr><th>job</th><th>DAX ops/s</th><th>page cache ops/s</th><th>ops/s ratio</th><th>DAX p99</th>"
		   "<th>page cache p99</th><th>verdict</th></tr>\n",
		(int)json_integer_value(json_object_get(cmp, "rounds")));
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(cmp, "jobs"), i, e)
	{
		json_t *d = json_object_get(e, "dax"), *p = json_object_get(e, "pagecache"), *r = json_object_get(e, "ratio");
		char a[32], b[32];
		format_si(num(d, "ops_per_sec"), a, sizeof(a));
		format_si(num(p, "ops_per_sec"), b, sizeof(b));
		fputs("<tr><td>", f);
		html_text(f, str(e, "name"));
		fprintf(f, "</td><td>%s</td><td>%s</td>", d ? a : "-", p ? b : "-");
		if (r)
			fprintf(f, "<td>%.2fx</td>", num(r, "ops_per_sec"));
		else
			fputs("<td>-</td>", f);
		cell_latency(f, num(d, "p99_ns"));
		cell_latency(f, num(p, "p99_ns"));
		fputs("<td>", f);
		html_text(f, str(e, "verdict"));
		fputs("</td></tr>\n", f);
	}
	fputs("</table>\n", f);
}

/* Groups with a latency job: the loaded-latency table (each run's load beside the latency). */
static void groups_table(FILE *f, json_t *root)
{
	json_t *groups = json_object_get(root, "groups"), *g;
	size_t i;
	if (!json_array_size(groups))
		return;
	/* a compare's or sweep's groups carry their side or node pair: a column of its own then */
	int series = 0, shared = 0;
	json_array_foreach(groups, i, g) series |= *str(g, "series") != '\0';
	fprintf(f, "<h2>Loaded latency</h2>\n<table>\n<tr><th>group run</th>%s<th>latency job</th><th>load MB/s</th>"
		   "<th>mean</th><th>p99</th></tr>\n", series ? "<th>series</th>" : "");
	json_array_foreach(groups, i, g) {
		json_t *lat = json_object_get(g, "latency");
		int turns = num(g, "threads") > num(g, "cpus");
		shared |= turns;
		fputs("<tr><td>", f);
		html_text(f, str(g, "group"));
		fputs(turns ? " *" : "", f);
		if (series) {
			fputs("</td><td>", f);
			html_text(f, str(g, "series"));
		}
		fputs("</td><td>", f);
		html_text(f, lat ? str(lat, "job") : "-");
		fprintf(f, "</td><td>%.1f</td>", num(g, "load_bytes_per_sec") / 1e6);
		cell_latency(f, lat ? num(lat, "mean_ns") : 0);
		cell_latency(f, lat ? num(lat, "p99_ns") : 0);
		fputs("</tr>\n", f);
	}
	/* each zero-load reference once: the latency job's work with nothing beside it */
	json_array_foreach(groups, i, g) {
		json_t *idle = json_object_get(g, "idle"), *e;
		size_t k;
		int before = 0;
		json_array_foreach(groups, k, e) {
			if (k >= i)
				break;
			before |= json_equal(json_object_get(e, "idle"), idle) && !strcmp(str(e, "series"), str(g, "series"));
		}
		if (!json_is_object(idle) || before)
			continue;
		fputs("<tr><td>no load (alone)</td>", f);
		if (series) {
			fputs("<td>", f);
			html_text(f, str(g, "series"));
			fputs("</td>", f);
		}
		fputs("<td>", f);
		html_text(f, str(idle, "job"));
		fputs("</td><td>0.0</td>", f);
		cell_latency(f, num(idle, "mean_ns"));
		cell_latency(f, num(idle, "p99_ns"));
		fputs("</tr>\n", f);
	}
	fputs("</table>\n", f);
	if (shared)
		fputs("<p>* its jobs' threads outnumbered the CPUs they were pinned to, so they took turns on a CPU: the latency "
		      "includes that wait</p>\n", f);
}

/* The peak-bandwidth table (MLC's --peak_injection_bandwidth), one per side of a compare, as run
 * prints it. Returns whether there was one. */
static int peak_tables(FILE *f, json_t *root)
{
	struct peak_table *t = xcalloc(1, sizeof(*t));
	int shown = 0;
	for (int s = 0; s < PLOT_PEAK_SIDES; s++) {
		if (!plot_peak_table(root, s, t))
			continue;
		shown = 1;
		fputs("<h2>Peak bandwidth (MB/s) by read:write mix and threads", f);
		if (*plot_peak_side_name(s)) {
			fputs(", ", f);
			html_text(f, plot_peak_side_name(s));
		}
		fputs("</h2>\n<table>\n<tr><th>mix \\ threads</th>", f);
		for (size_t c = 0; c < t->ncols; c++)
			fprintf(f, "<th>%u</th>", t->threads[c]);
		fputs("</tr>\n", f);
		for (size_t r = 0; r < t->nrows; r++) {
			fputs("<tr><td>", f);
			html_text(f, t->rows[r]);
			fputs("</td>", f);
			for (size_t c = 0; c < t->ncols; c++)
				if (t->have[r][c] == 1)
					fprintf(f, "<td>%.1f</td>", t->mbs[r][c]);
				else
					fputs("<td>-</td>", f);
			fputs("</tr>\n", f);
		}
		fputs("</table>\n", f);
	}
	free(t);
	return shown;
}

/* The SVG file's markup without its XML prologue, so it can stand inside the page. */
static int inline_svg(FILE *f, const char *dir, const char *name)
{
	char *path = xasprintf("%s/%s.svg", dir, name);
	char *svg = read_file(path, NULL);
	free(path);
	if (!svg)
		return -1;
	char *start = strstr(svg, "<svg");
	fputs(start ? start : svg, f);
	free(svg);
	return 0;
}

/* Figure i inline, with its title as the caption; 0, or -1 after an error. */
static int figure(FILE *f, struct plot_ctx *c, size_t i)
{
	int rc = 0;
	fputs("<figure>\n", f);
	if (inline_svg(f, c->outdir, c->names[i]))
		rc = error("%s/%s.svg: missing (gnuplot made no SVG)", c->outdir, c->names[i]);
	fputs("\n<figcaption>", f);
	html_text(f, c->titles[i]);
	fputs("</figcaption></figure>\n", f);
	return rc;
}

int plot_html(struct plot_ctx *c)
{
	char *path = xasprintf("%s/index.html", c->outdir);
	char *tmp = xasprintf("%s/.index.html.tmp", c->outdir);
	FILE *f = plot_open_data(c, ".index.html.tmp");
	if (!f) {
		free(path);
		free(tmp);
		return -1;
	}
	json_t *root = c->root, *host = json_object_get(root, "host");
	const char *cfg = str(json_object_get(root, "config"), "name");
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>daxperf: ", f);
	html_text(f, cfg);
	fputs("</title>\n<style>body{font-family:sans-serif;margin:2em;max-width:1300px}table{border-collapse:collapse;"
	      "margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}td:first-child,th:first-child,"
	      "td:last-child{text-align:left}.failed{color:#b00000}.skipped{color:#996600}.emulated{color:#b00000;"
	      "font-weight:bold}figure{margin:2em 0}svg{max-width:100%;height:auto}details{margin:.3em 0}"
	      "summary{cursor:pointer;font-weight:bold}</style></head><body>\n", f);
	fputs("<h1>daxperf: ", f);
	html_text(f, cfg);
	fputs("</h1>\n<p>", f);
	html_text(f, str(root, "command"));
	fputs("<br>started ", f);
	html_text(f, str(root, "started_utc"));
	fputs(" on ", f);
	html_text(f, str(host, "hostname"));
	fputs(", Linux ", f);
	html_text(f, str(host, "kernel"));
	fputs(", ", f);
	html_text(f, str(host, "cpu_model"));
	fputs("</p>\n", f);
	if (c->emulated) {
		fputs("<p class=\"emulated\">EMULATED: ", f);
		html_text(f, c->emulated);
		fputs("</p>\n", f);
	}
	/* the answer first: what the command was run to find (compare's verdicts, a sweep, poison, a
	 * loaded-latency curve); then every job, folded, and the other figures */
	static const char *const answers[] = { "compare", "sweep-", "numa-", "poison-" };
	char *shown = xcalloc(c->nplots + 1, 1);
	int rc = 0, answered = json_object_get(root, "compare") || json_array_size(json_object_get(root, "groups"));
	for (size_t i = 0; i < c->nplots; i++)
		for (size_t k = 0; k < ARRAY_SIZE(answers); k++)
			if (!strncmp(c->names[i], answers[k], strlen(answers[k])))
				shown[i] = 1, answered = 1;
	/* compare's verdict, then the curves MLC is run for: loaded latency, peak bandwidth */
	compare_table(f, root);
	for (size_t i = 0; i < c->nplots; i++)
		if (!strcmp(c->names[i], "loaded-latency") && !shown[i])
			rc |= figure(f, c, i), shown[i] = 2;
	groups_table(f, root);
	answered |= peak_tables(f, root);
	for (size_t i = 0; i < c->nplots; i++)
		if (!strcmp(c->names[i], "bandwidth-threads") && !shown[i])
			rc |= figure(f, c, i), shown[i] = 2, answered = 1;
	for (size_t i = 0; i < c->nplots; i++)
		if (shown[i] == 1)
			rc |= figure(f, c, i);
	jobs_table(f, root, !answered);
	for (size_t i = 0; i < c->nplots; i++)
		if (!shown[i])
			rc |= figure(f, c, i);
	free(shown);
	fputs("</body></html>\n", f);
	if (fclose(f) || rename(tmp, path))
		rc = error("%s: %s", path, strerror(errno));
	free(path);
	free(tmp);
	return rc;
}
