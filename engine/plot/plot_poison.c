/*
 * One figure per poison job: operations per second and p99 latency per timeline window, with each
 * injection drawn as a vertical line, each hit as a triangle and each recovery as a point at its
 * own latency. Rounds are laid end to end by their start times.
 */
#include "plot/plot.h"
#include "lib/util.h"

#include <string.h>

/* Seconds from the job's first round to round k's start. */
static double round_offset(json_t *job, int k)
{
	json_t *rounds = json_object_get(job, "rounds");
	double first = json_number_value(json_object_get(json_array_get(rounds, 0), "start_s"));
	return json_number_value(json_object_get(json_array_get(rounds, (size_t)k), "start_s")) - first;
}

/* Writes the job's data blocks: 0 windows, 1 injections, 2 hits, 3 recoveries, 4 pages lost, 5 threads
 * stopped. Returns max ops/s;
 * *tmax is the end of the last window. */
static double write_data(FILE *f, json_t *job, json_t *poison, double *tmax)
{
	double ymax = 0, longest = 0;
	size_t i;
	json_t *w, *e, *windows = json_object_get(json_object_get(job, "timeline"), "windows");
	json_array_foreach(windows, i, w)
	{
		double d = json_number_value(json_object_get(w, "duration_s"));
		longest = d > longest ? d : longest;
	}
	fprintf(f, "# t_s ops_per_s p99_s (windows cut short by the end of a round are left out: too few ops for a rate)\n");
	*tmax = 0;
	json_array_foreach(windows, i, w)
	{
		double d = json_number_value(json_object_get(w, "duration_s"));
		double end = round_offset(job, (int)json_integer_value(json_object_get(w, "round"))) +
			     json_number_value(json_object_get(w, "t_s")) + d;
		*tmax = end > *tmax ? end : *tmax;
		if (d < 0.4 * longest)
			continue;
		double ops = json_number_value(json_object_get(w, "ops_per_sec"));
		double t = round_offset(job, (int)json_integer_value(json_object_get(w, "round"))) +
			   json_number_value(json_object_get(w, "t_s")) + json_number_value(json_object_get(w, "duration_s")) / 2;
		fprintf(f, "%.6g %.9g %.9g\n", t, ops, json_number_value(json_object_get(w, "p99_ns")) / 1e9);
		ymax = ops > ymax ? ops : ymax;
	}
	static const char *const kinds[] = { "inject", "hit", "recover", "lost", "stop" };
	for (int k = 0; k < 5; k++) {
		fprintf(f, "\n\n# %s: t_s latency_s\n", kinds[k]);
		int any = 0;
		json_array_foreach(json_object_get(poison, "events"), i, e)
		{
			if (strcmp(plot_jstr(e, "kind"), kinds[k]))
				continue;
			double t = round_offset(job, (int)json_integer_value(json_object_get(e, "round"))) +
				   json_number_value(json_object_get(e, "t_s"));
			fprintf(f, "%.6g %.9g\n", t, json_number_value(json_object_get(e, "latency_ns")) / 1e9);
			any = 1;
		}
		if (!any) /* gnuplot refuses an empty block: a point outside every range stands in */
			fprintf(f, "-1 1e-30\n");
	}
	return ymax;
}

int plot_poison(struct plot_ctx *c)
{
	size_t i;
	json_t *job;
	int n = 0;
	json_array_foreach(json_object_get(c->root, "jobs"), i, job)
	{
		json_t *poison = json_object_get(job, "poison");
		if (!json_is_object(poison) || !json_array_size(json_object_get(json_object_get(job, "timeline"), "windows")))
			continue;
		char dat[64], name[64];
		snprintf(dat, sizeof(dat), "poison-%d.dat", n);
		snprintf(name, sizeof(name), "poison-%d", n++);
		FILE *f = plot_open_data(c, dat);
		if (!f)
			return -1;
		double tmax;
		double ymax = write_data(f, job, poison, &tmax);
		fclose(f);
		double top = ymax > 0 ? ymax * 1.08 : 1;
		const char *backend = plot_jstr(poison, "backend");
		char title[512], qt[1100], qdat[80];
		snprintf(title, sizeof(title), "%s: poison %s%s, recover %s: %lld pages injected, %lld hits, %lld recovered, %lld lost",
			 plot_jstr(job, "name"), backend,
			 json_is_true(json_object_get(poison, "emulated")) ? " (EMULATED: no kernel poison)" : "",
			 plot_jstr(poison, "recover"), json_integer_value(json_object_get(poison, "pages_injected")),
			 json_integer_value(json_object_get(poison, "hits")), json_integer_value(json_object_get(poison, "recovered")),
			 json_integer_value(json_object_get(poison, "lost")));
		plot_gp_text(title, '\'', qt, sizeof(qt));
		plot_gp_text(dat, '\'', qdat, sizeof(qdat));
		char body[4096];
		/* the figure's title goes on the multiplot: the panels have none */
		snprintf(body, sizeof(body),
			 "set multiplot layout 2,1 title %s.\"\\n\".%s noenhanced\nunset title\n"
			 "set key below horizontal\nset xrange [0:%.6g]\nset lmargin 14\n"
			 "set xlabel 'time since the job started (s)'\n"
			 "set ylabel 'operations per second'\nset yrange [0:%.9g]\nset format y '%%.1s%%c'\n"
			 "plot %s index 0 using 1:2 with lines lw 2 lc rgb '#1f77b4' title 'ops/s per window', "
			 "'' index 1 using 1:(%.9g) with impulses lw 1 dt 2 lc rgb '#d62728' title 'injection', "
			 "'' index 2 using 1:(%.9g) with points pt 9 ps 1.2 lc rgb '#ff7f0e' title 'hit', "
			 "'' index 4 using 1:(%.9g) with points pt 2 ps 1.5 lw 2 lc rgb '#000000' title 'page lost', "
			 "'' index 5 using 1:(%.9g) with points pt 5 ps 1.2 lc rgb '#8c564b' title 'thread stopped'\n"
			 "set xlabel 'time since the job started (s)'\nset ylabel 'latency'\nset logscale y\n" PLOT_LOG_TICKS("y")
			 "set yrange [*:*]\n"
			 "set format y '%%.0s %%cs'\n"
			 "plot %s index 0 using 1:3 with lines lw 1 lc rgb '#9467bd' title 'p99 per window', "
			 "'' index 3 using 1:2 with points pt 7 ps 1 lc rgb '#2ca02c' title 'recovery (its own latency)'\n"
			 "unset multiplot\n",
			 qt, c->subtitle, tmax, top, qdat, top, top * 0.97, top * 0.91, top * 0.85, qdat);
		plot_emit(c, name, title, body, 1200, 700);
	}
	return 0;
}
