#include "plot/plot.h"
#include "lib/util.h"
#include "config/jobopts.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define JOBS_PER_PLOT 8

static const double pct_points[] = { 0,  10, 20, 30,   40,   50,    60,    70,     80,    90,
				     95, 99, 99.5, 99.9, 99.95, 99.99, 99.995, 99.999 };

double plot_hist_percentile(json_t *buckets, double p, double tick_ns, double min_ns, double max_ns)
{
	double total = 0;
	size_t i;
	json_t *b;
	json_array_foreach(buckets, i, b) total += json_number_value(json_array_get(b, 2));
	if (total <= 0)
		return 0;
	double rank = ceil(p / 100.0 * total), seen = 0;
	if (rank < 1)
		rank = 1;
	json_array_foreach(buckets, i, b)
	{
		seen += json_number_value(json_array_get(b, 2));
		if (seen < rank)
			continue;
		/* the engine's representative value: a one-tick bucket is exact, a wider one its middle tick */
		double lo = json_number_value(json_array_get(b, 0)), hi = json_number_value(json_array_get(b, 1));
		double v = hi - lo < 1.5 * tick_ns ? lo : (lo + hi - tick_ns) / 2;
		return v < min_ns ? min_ns : v > max_ns ? max_ns : v;
	}
	return 0;
}

/* A string field, or "" when it is missing or not a string: result files are input like any other. */
const char *plot_jstr(json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));
	return v ? v : "";
}

static const char *jstr_value(json_t *v)
{
	const char *s = json_string_value(v);
	return s ? s : "";
}

/* Removes outdir/name (a symlink itself, never what it points to); 0, or -errno but ENOENT. */
static int remove_old(struct plot_ctx *c, const char *name)
{
	char *path = xasprintf("%s/%s", c->outdir, name);
	int rc = unlink(path) && errno != ENOENT ? -errno : 0;
	free(path);
	return rc;
}

/* A new file every time: what stood at the name is removed first and the file is created
 * exclusively, never through a symlink someone planted in the output directory (plot runs as root). */
FILE *plot_open_data(struct plot_ctx *c, const char *name)
{
	char *path = xasprintf("%s/%s", c->outdir, name);
	int rc = remove_old(c, name);
	int fd = rc ? rc : open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!f) {
		error("%s: %s", path, strerror(fd < 0 && rc ? -rc : errno));
		if (fd >= 0)
			close(fd);
	}
	free(path);
	return f;
}

/*
 * Every string daxperf hands gnuplot goes through here. In a single-quoted string gnuplot does no
 * backquote substitution, no @macros and no escapes, so the text is safe there -- as long as it stays
 * on its line (a newline would end the command and let the next line run: `!cmd`, system()) and its
 * own quotes do not end the string. gnuplot's '' for a quote fails at a string's start and for two in
 * a row (its scanner takes the pair only after another character), so a quote is written as a
 * concatenation instead: it's -> 'it'."'".'s', which every place daxperf puts text accepts (titles,
 * labels, keys, output names). Control characters become '?'. The terminals are noenhanced, so
 * ^ _ @ & { } show as they are. quote is
 *   '\''  a string expression for the script, quotes included;
 *   '"'   a string column of a data file, quotes included ("a b"): gnuplot has no escape for '"'
 *         there, so a '"' in the text becomes '\'';
 *   0     text for a '#' comment: no quotes, and no '\' at its end (that would continue the comment
 *         onto the next line).
 * The text is cut to fit len (at least 3), never inside a written quote. Returns out.
 */
char *plot_gp_text(const char *s, char quote, char *out, size_t len)
{
	static const char sq[] = "'.\"'\".'"; /* a quote inside a single-quoted string expression */
	size_t k = 0, end = len - (quote ? 2 : 1); /* room for the closing quote and the NUL */
	if (quote)
		out[k++] = quote;
	for (; s && *s; s++) {
		unsigned char ch = (unsigned char)*s;
		char c = ch < 0x20 || ch == 0x7f ? '?' : quote == '"' && ch == '"' ? '\'' : *s;
		int as_concat = quote == '\'' && c == '\'';
		size_t need = as_concat ? sizeof(sq) - 1 : 1;
		if (k + need > end)
			break;
		if (as_concat)
			memcpy(out + k, sq, need);
		else
			out[k] = c;
		k += need;
	}
	if (!quote)
		while (k > 0 && out[k - 1] == '\\')
			k--;
	if (quote)
		out[k++] = quote;
	out[k] = '\0';
	return out;
}

/* Emits the body once per terminal: SVG for the page, and PNG when that was asked for. */
void plot_emit(struct plot_ctx *c, const char *name, const char *title, const char *body, int width, int height)
{
	char t[1100], out[160], file[80];
	plot_gp_text(title, '\'', t, sizeof(t));
	const char *const formats[] = { "svg", "png" };
	for (int i = 0; i < 2; i++) {
		if (i == 1 && strcmp(c->format, "png"))
			continue;
		/* noenhanced: no text is markup (a job named a_b^c shows as it is) */
		if (i == 0)
			fprintf(c->gp, "set terminal svg size %d,%d dynamic noenhanced font 'Sans,12' background '#ffffff'\n",
				width, height);
		else
			fprintf(c->gp, "set terminal pngcairo size %d,%d noenhanced font 'Sans,10' background '#ffffff'\n",
				width, height);
		snprintf(file, sizeof(file), "%s.%s", name, formats[i]);
		/* two lines: gnuplot turns "\n" into a line break only in double quotes, so build it there */
		fprintf(c->gp, "set output %s\nreset\nset title %s.\"\\n\".%s noenhanced\n", plot_gp_text(file, '\'', out, sizeof(out)),
			t, c->subtitle);
		fprintf(c->gp, "set grid lc rgb '#dddddd'\nset key outside right top noenhanced\n");
		fputs(body, c->gp);
		fputs("unset output\n", c->gp);
	}
	c->names = xrealloc(c->names, (c->nplots + 1) * sizeof(char *));
	c->titles = xrealloc(c->titles, (c->nplots + 1) * sizeof(char *));
	c->names[c->nplots] = xstrdup(name);
	c->titles[c->nplots++] = xstrdup(title);
}

static const char *job_name(json_t *job)
{
	return plot_jstr(job, "name");
}

static int job_ok(json_t *job)
{
	const char *st = plot_jstr(job, "status");
	return st && !strcmp(st, "ok") && json_integer_value(json_object_get(job, "ops")) > 0;
}

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
	const char *name = job_name(json_array_get(jobs, ok[k]));
	size_t len = base_len(name, pc);
	unsigned colour = 0;
	for (size_t i = first; i <= k; i++) {
		int other_pc;
		const char *other = job_name(json_array_get(jobs, ok[i]));
		size_t olen = base_len(other, &other_pc);
		int same_as_earlier = 0;
		for (size_t e = first; e < i && !same_as_earlier; e++) {
			int epc;
			const char *en = job_name(json_array_get(jobs, ok[e]));
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
static int plot_latency(struct plot_ctx *c)
{
	json_t *jobs = json_object_get(c->root, "jobs");
	size_t n = json_array_size(jobs), shown = 0;
	size_t *ok = xcalloc(n + 1, sizeof(size_t));
	for (size_t i = 0; i < n; i++) {
		/* compare repeats each job per round under one name: its first round stands for it */
		int seen = 0;
		for (size_t k = 0; k < shown && !seen; k++)
			seen = !strcmp(job_name(json_array_get(jobs, ok[k])), job_name(json_array_get(jobs, i)));
		if (!seen && job_ok(json_array_get(jobs, i)))
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
			fprintf(f, "# percentile  x=1/(1-p)  latency_s   (job %s)\n", plot_gp_text(job_name(job), 0, q, sizeof(q)));
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
			plot_gp_text(job_name(job), '\'', q, sizeof(q));
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

static int plot_sweeps(struct plot_ctx *c)
{
	json_t *jobs = json_object_get(c->root, "jobs");
	size_t n = json_array_size(jobs);
	char *done = xcalloc(n + 1, 1);
	/* each data block's line title, quoted: one block per combination of the other swept values */
	char(*line_titles)[300] = xcalloc(n + 1, sizeof(*line_titles));
	int figure = 0;
	for (size_t i = 0; i < n; i++) {
		json_t *job = json_array_get(jobs, i);
		json_t *swept = json_object_get(job, "swept");
		if (done[i] || json_object_size(swept) == 0)
			continue;
		/* the x axis: the first swept option whose values are numbers */
		const char *xkey = NULL, *key;
		json_t *val;
		json_object_foreach(swept, key, val) if (!xkey && !isnan(option_number(jstr_value(val)))) xkey = key;
		const char *name = job_name(job);
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
		for (size_t a = i; a < n; a++) {
			json_t *ja = json_array_get(jobs, a);
			if (done[a] || strncmp(job_name(ja), name, base_len) || job_name(ja)[base_len] != '[')
				continue;
			char others[256], text[300];
			other_swept(ja, xkey, others, sizeof(others));
			/* a compare's sides ("/dax", "/pagecache" after the swept values) are series of their own */
			side_series(job_name(ja), base_len, others, sizeof(others));
			fprintf(f, "# %s\n", plot_gp_text(others[0] ? others : "all", 0, text, sizeof(text)));
			for (size_t b = a; b < n; b++) {
				json_t *jb = json_array_get(jobs, b);
				if (done[b] || strncmp(job_name(jb), name, base_len) || job_name(jb)[base_len] != '[')
					continue;
				char ob[256];
				other_swept(jb, xkey, ob, sizeof(ob));
				side_series(job_name(jb), base_len, ob, sizeof(ob));
				if (strcmp(ob, others))
					continue;
				done[b] = 1;
				/* compare repeats a job per round under one name: its first round stands for it */
				for (size_t r = b + 1; r < n; r++)
					if (!strcmp(job_name(json_array_get(jobs, r)), job_name(jb)))
						done[r] = 1;
				if (!job_ok(jb))
					continue;
				const char *xv = plot_jstr(json_object_get(jb, "swept"), xkey);
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
		plot_gp_text(title, '\'', qt, sizeof(qt));
		/* a multiplot carries the figure's title itself: the panels have their own */
		const struct opt_def *d = opt_find(job_opt_table, xkey);
		const char *xfmt = d && d->type == OPT_SIZE ? "set format x '%.0b%BB'\n"
				 : d && d->type == OPT_TIME ? "set format x '%.0s%cs'\n" : "";
		fprintf(m, "set multiplot layout 1,3 title %s.\"\\n\".%s noenhanced\nset logscale x 2\n%sset xlabel %s\nset key below\n",
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

/* DAX vs page cache: grouped bars of ops/s, the ratio printed over each group. */
static int plot_compare(struct plot_ctx *c)
{
	json_t *cmp = json_object_get(json_object_get(c->root, "compare"), "jobs");
	if (!json_array_size(cmp))
		return 0;
	FILE *f = plot_open_data(c, "compare.dat");
	if (!f)
		return -1;
	fprintf(f, "# job  dax_ops_per_sec lowest_round highest_round  pagecache_ops_per_sec lowest highest  ratio(dax/pc)\n");
	size_t i, rows = 0;
	json_t *e;
	json_array_foreach(cmp, i, e)
	{
		json_t *ratio = json_object_get(e, "ratio");
		if (!ratio)
			continue;
		char text[300];
		fprintf(f, "%s", plot_gp_text(plot_jstr(e, "name"), '"', text, sizeof(text)));
		static const char *const sides[] = { "dax", "pagecache" };
		for (int s = 0; s < 2; s++) {
			json_t *side = json_object_get(e, sides[s]), *rd;
			double v = json_number_value(json_object_get(side, "ops_per_sec")), lo = v, hi = v;
			size_t k;
			json_array_foreach(json_object_get(side, "rounds"), k, rd) {
				double x = json_number_value(json_object_get(rd, "ops_per_sec"));
				lo = x < lo ? x : lo;
				hi = x > hi ? x : hi;
			}
			fprintf(f, " %.9g %.9g %.9g", v, lo, hi);
		}
		fprintf(f, " %.9g\n", json_number_value(json_object_get(ratio, "ops_per_sec")));
		rows++;
	}
	fclose(f);
	if (!rows)
		return 0;
	char body[2048];
	snprintf(body, sizeof(body),
		 "set style data histograms\nset style histogram errorbars gap 1 lw 1.5\nset style fill solid 0.85 border -1\n"
		 "set boxwidth 0.9\nset logscale y\n" PLOT_LOG_TICKS("y") "set format y '%%.0s%%c'\n"
		 "set ylabel 'operations per second (log scale: bars do not start at zero)'\n"
		 "set xtics rotate by 30 right noenhanced\nset key below horizontal\nset bmargin 11\nset yrange [*:*]\n"
		 "plot 'compare.dat' using 2:3:4:xtic(1) title 'DAX' lc rgb '#1f77b4', '' using 5:6:7 title 'page cache' lc rgb '#ff7f0e', "
		 "'' using 0:(($4 > $7 ? $4 : $7) * 1.6):(sprintf('%%.2fx', $8)) with labels notitle font ',10'\n");
	char title[256];
	snprintf(title, sizeof(title), "%s: DAX vs page cache, ops/s (whiskers: lowest and highest round; label: DAX / page cache)",
		 plot_jstr(json_object_get(c->root, "config"), "name"));
	plot_emit(c, "compare", title, body, 1100, 600);
	return 0;
}

/* Writes a round's windows to the timeline data, time counted from t0, leaving out the last window
 * when it is under half a window long (its rate rests on a few ops and would read as a drop). */
static void timeline_windows(FILE *f, json_t *job, size_t round, double t0, double window_s)
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

static double window_seconds(json_t *job)
{
	return json_number_value(json_object_get(json_object_get(job, "timeline"), "window_ns")) / 1e9;
}

/* A run of 2 to TIMELINE_PANELS jobs: one small panel per job (its runs under one name, each round
 * marked and numbered), MB/s and p99 per window, time from the job's first round. */
#define TIMELINE_PANELS 12
static int panel_cols(size_t n)
{
	return n <= 3 ? (int)n : n <= 8 ? 2 : 3;
}

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
			if (strcmp(job_name(job), names[j]))
				continue;
			size_t k;
			json_array_foreach(json_object_get(job, "rounds"), k, rd) {
				double start = json_number_value(json_object_get(rd, "start_s"));
				if (t0 < 0)
					t0 = start;
				fprintf(m, "set arrow from %.6g, graph 0 to %.6g, graph 1 nohead lc rgb '#aaaaaa' dt 2\n"
					   "set label 'round %u' at %.6g, graph 0.97 left font ',7' tc rgb '#555555'\n",
					start - t0, start - t0, ++round, start - t0);
				timeline_windows(f, job, k, start - t0, window_seconds(job));
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
static int plot_timeline(struct plot_ctx *c)
{
	json_t *jobs = json_object_get(c->root, "jobs");
	size_t njobs = json_array_size(jobs), n = 0, i, k;
	const char **names = xcalloc(njobs + 1, sizeof(*names));
	json_t *job, *round;
	json_array_foreach(jobs, i, job) {
		int seen = 0;
		for (size_t e = 0; e < n && !seen; e++)
			seen = !strcmp(names[e], job_name(job));
		if (!seen)
			names[n++] = job_name(job);
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
	json_array_foreach(jobs, i, job) {
		json_array_foreach(json_object_get(job, "rounds"), k, round) {
			double start = json_number_value(json_object_get(round, "start_s"));
			if (k == 0 && njobs <= 40) {
				char q[300];
				plot_gp_text(job_name(job), '\'', q, sizeof(q));
				fprintf(m,
					"set arrow from %.6g, graph 0 to %.6g, graph 1 nohead lc rgb '#aaaaaa' dt 2\n"
					"set label %s at %.6g, graph 0.98 rotate by 90 right font ',8' tc rgb '#555555' noenhanced\n",
					start, start, q, start);
			}
			timeline_windows(f, job, k, start, window_seconds(job));
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

int plot_run_gnuplot(struct plot_ctx *c, const char *script)
{
	pid_t pid = fork();
	if (pid < 0)
		return error("fork: %s", strerror(errno));
	if (pid == 0) {
		if (chdir(c->outdir) == 0)
			execlp("gnuplot", "gnuplot", script, (char *)NULL);
		_exit(127);
	}
	int st;
	waitpid(pid, &st, 0);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 127)
		return error("gnuplot is not installed (apt-get install gnuplot-nox, or make deps)");
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		return error("gnuplot failed on %s/%s", c->outdir, script);
	return 0;
}

int plot_all(struct plot_ctx *c)
{
	json_t *host = json_object_get(c->root, "host");
	json_t *j0 = json_array_get(json_object_get(c->root, "jobs"), 0);
	json_t *tg = json_object_get(j0, "target");
	char mode[64];
	if (json_is_true(json_object_get(tg, "device_dax_capable")))
		snprintf(mode, sizeof(mode), "DAX device, dax=%s", plot_jstr(tg, "dax_mount_mode"));
	else
		snprintf(mode, sizeof(mode), "no DAX device");
	char text[512];
	snprintf(text, sizeof(text), "Linux %s, %s on %s (%s), %s, daxperf %s", plot_jstr(host, "kernel"),
		 plot_jstr(tg, "fstype"), plot_jstr(tg, "device"), mode, plot_jstr(host, "hostname"),
		 plot_jstr(json_object_get(c->root, "daxperf"), "version"));
	plot_gp_text(text, '\'', c->subtitle, sizeof(c->subtitle));
	c->emulated = json_string_value(json_object_get(host, "emulated")); /* NULL off the lab */
	/* in the title itself, so no figure can lose it */
	if (c->emulated) {
		size_t u = strlen(c->subtitle);
		snprintf(c->subtitle + u, sizeof(c->subtitle) - u, ".\"\\n\".'EMULATED pmem (daxperf lab): absolute times mean nothing'");
	}
	c->gp = plot_open_data(c, "plots.gp");
	if (!c->gp)
		return -1;
	/* the directory is not named here: a path is not gnuplot text */
	fputs("# made by daxperf plot from result.json; rerun with `gnuplot plots.gp` in this file's directory\n", c->gp);
	int rc = plot_latency(c) || plot_sweeps(c) || plot_compare(c) || plot_timeline(c) || plot_poison(c) || plot_numa(c) ? -1 : 0;
	fclose(c->gp);
	/* the fuzzer drives everything up to gnuplot, not gnuplot itself */
	const char *no_render = getenv("DAXPERF_PLOT_NO_RENDER");
	if (no_render && *no_render == '1')
		return rc;
	/* gnuplot opens the pictures itself, following links: what stands at their names goes first */
	for (size_t i = 0; i < c->nplots && !rc; i++)
		for (int k = 0; k < 2 && !rc; k++) {
			char *file = xasprintf("%s.%s", c->names[i], k ? "png" : "svg");
			int e = remove_old(c, file);
			if (e)
				rc = error("%s/%s: %s", c->outdir, file, strerror(-e));
			free(file);
		}
	return rc ? rc : plot_run_gnuplot(c, "plots.gp");
}
