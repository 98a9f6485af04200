/*
 * `daxperf diff --plot`: one figure per job, the change of each figure (ops/s ... p99.9) against the
 * base as bars per new side, with the 95% confidence interval as whiskers; the base is the 0 line.
 * Made from diff.json's document, like every plot from its JSON. Jobs not comparable, or with no
 * figure that could be judged, get no figure.
 */
#include "plot/plot.h"
#include "lib/util.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static double fig_num(json_t *fig, int which)
{
	json_t *ci = json_object_get(fig, "ci95_pct");
	json_t *v = which < 0 ? json_object_get(fig, "change_pct") : json_array_get(ci, (size_t)which);
	return json_is_number(v) ? json_number_value(v) : NAN;
}

/* diff-N.dat: a row per figure, per side change, CI low, CI high ("NaN" where not judged). */
static int write_job(struct plot_ctx *c, json_t *job, size_t index, char *body, size_t len)
{
	json_t *sides = json_object_get(job, "sides"), *s, *rows = NULL;
	size_t k;
	json_array_foreach(sides, k, s)
		if (!rows && json_is_true(json_object_get(s, "comparable")))
			rows = json_object_get(s, "figures");
	int judged = 0;
	json_array_foreach(sides, k, s) {
		size_t f;
		json_t *fig;
		json_array_foreach(json_object_get(s, "figures"), f, fig)
			judged |= json_is_array(json_object_get(fig, "ci95_pct"));
	}
	if (!rows || !judged)
		return 0;
	char name[64];
	snprintf(name, sizeof(name), "diff-%zu.dat", index);
	FILE *f = plot_open_data(c, name);
	if (!f)
		return -1;
	fprintf(f, "# figure, then per new side: change %% against base, 95%% CI low, high\n");
	for (size_t r = 0; r < json_array_size(rows); r++) {
		char fig[64];
		fprintf(f, "%s", plot_gp_text(plot_jstr(json_array_get(rows, r), "figure"), '"', fig, sizeof(fig)));
		json_array_foreach(sides, k, s) {
			json_t *fig = json_array_get(json_object_get(s, "figures"), r);
			double ch = fig && json_is_true(json_object_get(s, "comparable")) ? fig_num(fig, -1) : NAN;
			double lo = fig ? fig_num(fig, 0) : NAN, hi = fig ? fig_num(fig, 1) : NAN;
			fprintf(f, " %.9g %.9g %.9g", ch, isfinite(lo) ? lo : ch, isfinite(hi) ? hi : ch);
		}
		fprintf(f, "\n");
	}
	fclose(f);
	size_t used = (size_t)snprintf(body, len,
				       "set style data histograms\nset style histogram errorbars gap 1 lw 1\n"
				       "set style fill solid 0.8 border -1\nset boxwidth 0.9\nset xzeroaxis lt -1 lw 1.5\n"
				       "set ylabel 'change against base, %% (95%% CI whiskers)'\nset key below horizontal\n"
				       "set datafile missing 'nan'\nplot ");
	json_array_foreach(sides, k, s) {
		char q[1100], qname[96];
		plot_gp_text(plot_jstr(s, "side"), '\'', q, sizeof(q));
		int w = snprintf(body + used, used < len ? len - used : 0, "%s%s using %zu:%zu:%zu%s title %s",
				 k ? ", " : "", plot_gp_text(name, '\'', qname, sizeof(qname)), 2 + 3 * k, 3 + 3 * k, 4 + 3 * k,
				 k ? "" : ":xtic(1)", q);
		used += w > 0 ? (size_t)w : 0;
	}
	if (used < len)
		snprintf(body + used, len - used, "\n");
	return 1;
}

int plot_diff(json_t *diff, const char *outdir, const char *format)
{
	struct plot_ctx c = { .root = diff, .outdir = outdir, .format = format };
	const char *emulated = json_string_value(json_object_get(diff, "emulated"));
	char *base = xasprintf("base %s", plot_jstr(json_object_get(diff, "base"), "label"));
	plot_gp_text(base, '\'', c.subtitle, sizeof(c.subtitle));
	free(base);
	if (emulated) {
		size_t u = strlen(c.subtitle);
		snprintf(c.subtitle + u, sizeof(c.subtitle) - u, ".\"\\n\".'EMULATED pmem (daxperf lab): absolute times mean nothing'");
	}
	char *path = xasprintf("%s/diff.gp", outdir);
	c.gp = fopen(path, "w");
	if (!c.gp) {
		error("%s: %s", path, strerror(errno));
		free(path);
		return -1;
	}
	free(path);
	fprintf(c.gp, "# made by daxperf diff --plot from diff.json; rerun with: gnuplot diff.gp here\n");
	json_t *job;
	size_t i;
	int rc = 0;
	json_array_foreach(json_object_get(diff, "jobs"), i, job) {
		char body[4096];
		int made = write_job(&c, job, i, body, sizeof(body));
		if (made < 0) {
			rc = -1;
			break;
		}
		if (made) {
			char name[64], title[512];
			snprintf(name, sizeof(name), "diff-%zu", i);
			snprintf(title, sizeof(title), "%s: change against base", plot_jstr(job, "name"));
			plot_emit(&c, name, title, body, 900, 500);
		}
	}
	fclose(c.gp);
	if (!rc && c.nplots)
		rc = plot_run_gnuplot(&c, "diff.gp");
	if (!rc)
		note("plots: %zu figures in %s", c.nplots, outdir);
	plot_ctx_free(&c);
	return rc;
}
