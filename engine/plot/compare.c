/* DAX vs page cache: grouped bars of ops/s with the rounds' range, the ratio over each group. */
#include "plot/plot.h"
#include "lib/util.h"

#include <stdio.h>

/* DAX vs page cache: grouped bars of ops/s, the ratio printed over each group. */
int plot_compare(struct plot_ctx *c)
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
