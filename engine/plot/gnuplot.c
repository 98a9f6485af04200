/* The gnuplot helpers every figure file uses: reading result strings, new files in the output
 * directory, the one quoting function, emitting a figure, running gnuplot. */
#include "plot/plot.h"
#include "lib/util.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

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

const char *plot_job_name(json_t *job)
{
	return plot_jstr(job, "name");
}

int plot_job_ok(json_t *job)
{
	const char *st = plot_jstr(job, "status");
	return st && !strcmp(st, "ok") && json_integer_value(json_object_get(job, "ops")) > 0;
}

/* Removes outdir/name (a symlink itself, never what it points to); 0, or -errno but ENOENT. */
int plot_remove_old(struct plot_ctx *c, const char *name)
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
	int rc = plot_remove_old(c, name);
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

void plot_ctx_free(struct plot_ctx *c)
{
	for (size_t i = 0; i < c->nplots; i++) {
		free(c->names[i]);
		free(c->titles[i]);
	}
	free(c->names);
	free(c->titles);
	c->names = c->titles = NULL;
	c->nplots = 0;
}
