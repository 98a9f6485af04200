/* daxperf plot: every kind of figure a result holds, then the pictures rendered by gnuplot. */
#include "plot/plot.h"
#include "lib/util.h"

#include <stdlib.h>
#include <string.h>

/* The kinds of figure, in the order they are drawn: each reads the result and emits its figures
 * (none when the result holds nothing of its kind). A new kind is a file of its own and a row here. */
static int (*const figure_kinds[])(struct plot_ctx *c) = {
	plot_loaded, plot_bandwidth_threads, plot_latency, plot_sweeps, plot_compare, plot_timeline, plot_group_timeline, plot_poison, plot_numa,
};

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
	int rc = 0;
	for (size_t i = 0; i < ARRAY_SIZE(figure_kinds) && !rc; i++)
		rc = figure_kinds[i](c) ? -1 : 0;
	fclose(c->gp);
	/* the fuzzer drives everything up to gnuplot, not gnuplot itself */
	const char *no_render = getenv("DAXPERF_PLOT_NO_RENDER");
	if (no_render && *no_render == '1')
		return rc;
	/* gnuplot opens the pictures itself, following links: what stands at their names goes first */
	for (size_t i = 0; i < c->nplots && !rc; i++)
		for (int k = 0; k < 2 && !rc; k++) {
			char *file = xasprintf("%s.%s", c->names[i], k ? "png" : "svg");
			int e = plot_remove_old(c, file);
			if (e)
				rc = error("%s/%s: %s", c->outdir, file, strerror(-e));
			free(file);
		}
	return rc ? rc : plot_run_gnuplot(c, "plots.gp");
}
