/*
 * Plots from result.json (never from stdout): gnuplot scripts and the data files they read, written
 * side by side so anyone can rerun or edit them, then an index.html that holds the summary tables
 * and every plot inline (SVG), readable offline.
 */
#ifndef DAXPERF_PLOT_H
#define DAXPERF_PLOT_H

#include <jansson.h>
#include <stdio.h>

struct plot_ctx {
	json_t *root;             /* the result */
	const char *outdir;
	const char *format;       /* png or svg: the files a user asked for (SVG is always made for the page) */
	char subtitle[1400];      /* a gnuplot string expression, quoted: 'Linux ...' (."\n".'EMULATED ...') */
	const char *emulated;     /* the lab's warning, or NULL */
	char **names;             /* plots made, in order, without extension */
	char **titles;
	size_t nplots;
	FILE *gp;                 /* the gnuplot script being written */
};

/* Frees the names and titles of the figures a context emitted. */
void plot_ctx_free(struct plot_ctx *c);
/* Writes every plot's data and script and runs gnuplot; 0 or -1 after one error line. */
int plot_all(struct plot_ctx *c);
/* index.html from the result and the SVGs plot_all made; 0 or -1. */
int plot_html(struct plot_ctx *c);

/* Helpers of the plot files: a string field or "" (result files are input like any other), a new
 * file in outdir (what stood at its name removed, never followed), and one figure emitted once per
 * terminal. */
const char *plot_jstr(json_t *o, const char *key);
FILE *plot_open_data(struct plot_ctx *c, const char *name);
/* Removes outdir/name (a symlink itself, never what it points to); 0, or -errno but ENOENT. */
int plot_remove_old(struct plot_ctx *c, const char *name);
/* A job's name ("" when missing), and whether it ran ok with at least one op. */
const char *plot_job_name(json_t *job);
int plot_job_ok(json_t *job);
/* The one way a string reaches gnuplot: S as a string expression for the script (quote '\'':
 * 'it'."'".'s'), a data file's string column ('"') or a '#' comment (0), on one line; cut to fit len
 * (at least 3). Returns out. */
char *plot_gp_text(const char *s, char quote, char *out, size_t len);
void plot_emit(struct plot_ctx *c, const char *name, const char *title, const char *body, int width, int height);
/* Labelled ticks at 2 and 5 of every decade of a log axis ("x", "y", "y2"), besides the powers of
 * ten gnuplot labels alone: a latency of 3 us reads between 2 us and 5 us, not between 1 and 10. */
#define PLOT_LOG_TICKS(axis) "set for [k=-12:12] " axis "tics add (2*10.0**k, 5*10.0**k)\n"
/* Runs gnuplot on script inside c->outdir; 0 or -1 after one error line. */
int plot_run_gnuplot(struct plot_ctx *c, const char *script);
/* The kinds of figure (one file each); each emits its figures, or none; 0 or -1. */
int plot_latency(struct plot_ctx *c);
int plot_sweeps(struct plot_ctx *c);
int plot_compare(struct plot_ctx *c);
int plot_timeline(struct plot_ctx *c);
/* Writes a round's windows of a job to timeline data ("t_s MB_per_s ops_per_s p99_s", the middle of
 * each window counted from t0), leaving out the last window when it is under half a window long (its
 * rate rests on a few ops and would read as a drop); then a blank line. */
void plot_timeline_windows(FILE *f, json_t *job, size_t round, double t0, double window_s);
/* Jobs that ran together (a group run): a panel per run, a line per job on the run's time axis. */
int plot_group_timeline(struct plot_ctx *c);
/* A job's timeline window in seconds (0 when it has none). */
double plot_window_seconds(json_t *job);
/* Group runs with a latency job: the loaded-latency curve (load MB/s against mean and p99). */
int plot_loaded(struct plot_ctx *c);
/* Read:write mixes swept over threads: MB/s against threads, a line per mix (and compare side). */
int plot_bandwidth_threads(struct plot_ctx *c);
/* The peak-bandwidth table of one side of the result (0 a plain run, 1 DAX, 2 page cache, by the
 * job names' "/dax" / "/pagecache"); whether it says something (result/peak.h's peak_ready). */
#define PLOT_PEAK_SIDES 3
struct peak_table;
int plot_peak_table(json_t *root, int side, struct peak_table *t);
/* "", "DAX", "page cache". */
const char *plot_peak_side_name(int side);
/* Whether the bandwidth-vs-threads figure draws the result's mix jobs (the sweep figures then leave
 * them out). */
int plot_peak_drawn(json_t *root);
/* Whether a job is one the peak table takes (result/peak.h's peak_job). */
int plot_peak_job(json_t *job);
/* Poison jobs: throughput and p99 per window with injections, hits and recoveries marked. */
int plot_poison(struct plot_ctx *c);
/* `sweep --numa` results: a heatmap per job of its figure by CPU node x memory (or DAX device) node. */
int plot_numa(struct plot_ctx *c);

/* `daxperf diff --plot`: per job, each figure's change against base per side with 95% CI whiskers,
 * from the diff document, into outdir (diff.gp, diff-N.dat, diff-N.svg / .png); 0 or -1. */
int plot_diff(json_t *diff, const char *outdir, const char *format);

/* Percentile p (0..100) of a result histogram ([[lo, hi, count], ...]), in ns, computed as the engine
 * does (one-tick buckets exact, wider ones their middle tick, clamped to [min, max]); 0 when empty. */
double plot_hist_percentile(json_t *buckets, double p, double tick_ns, double min_ns, double max_ns);

#endif
