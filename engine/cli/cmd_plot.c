/* `daxperf plot RESULT_DIR [--format png|svg] [--out DIR]`: pictures and a page from result.json. */
#include "cli/commands.h"
#include "plot/plot.h"
#include "result/result.h"
#include "lib/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char plot_usage[] =
	"usage: daxperf plot RESULT_DIR [--format png|svg] [--out DIR]\n"
	"\n"
	"Renders RESULT_DIR/result.json with gnuplot into DIR (default RESULT_DIR/plots): latency\n"
	"percentiles and histograms, figures against swept options, DAX vs page cache bars (compare\n"
	"results), the run's timeline, and index.html with the tables and every plot inline.\n"
	"The data files and plots.gp stay beside the pictures, to rerun or edit.\n";

int plot_result_dir(const char *dir, const char *format, const char *out)
{
	char *path = xasprintf("%s/result.json", dir);
	json_error_t jerr;
	json_t *root = json_load_file(path, 0, &jerr);
	if (!root) {
		struct stat st;
		int rc = stat(path, &st) ? error("%s: no result.json there", dir)
					 : error("%s:%d: not valid JSON: %s", path, jerr.line, jerr.text);
		free(path);
		return rc;
	}
	if (!json_is_integer(json_object_get(root, "schema")) || !json_is_array(json_object_get(root, "jobs")) ||
	    json_array_size(json_object_get(root, "jobs")) == 0) {
		json_decref(root);
		error("%s: not a daxperf result with jobs", path);
		free(path);
		return -1;
	}
	free(path);
	char *outdir = out ? xstrdup(out) : xasprintf("%s/plots", dir);
	int rc = make_dirs(outdir);
	if (rc) {
		error("%s: %s", outdir, strerror(-rc));
	} else {
		struct plot_ctx c = { .root = root, .outdir = outdir, .format = format };
		rc = plot_all(&c) || plot_html(&c) ? -1 : 0;
		if (!rc)
			note("plots: %zu figures and %s/index.html", c.nplots, outdir);
		plot_ctx_free(&c);
	}
	free(outdir);
	json_decref(root);
	return rc;
}

int cmd_plot(int argc, char **argv)
{
	const char *dir = NULL, *format = "png", *out = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			return fputs(plot_usage, stdout), 0;
		if ((!strcmp(argv[i], "--format") || !strcmp(argv[i], "--out")) && i + 1 == argc)
			return error("plot: %s needs a value", argv[i]), 2;
		if (!strcmp(argv[i], "--format")) {
			format = argv[++i];
			if (strcmp(format, "png") && strcmp(format, "svg"))
				return error("plot: --format must be png or svg, not '%s'", format), 2;
		} else if (!strcmp(argv[i], "--out")) {
			out = argv[++i];
		} else if (argv[i][0] == '-') {
			return error("plot: unknown option '%s' (daxperf plot --help)", argv[i]), 2;
		} else if (dir) {
			return error("plot: one result directory at a time"), 2;
		} else {
			dir = argv[i];
		}
	}
	if (!dir)
		return error("plot: which result directory? (results/CONFIG/STAMP-HOST)"), 2;
	return plot_result_dir(dir, format, out) ? 1 : 0;
}
