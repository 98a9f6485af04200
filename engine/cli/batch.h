/*
 * A batch: jobs run one after another in one target, ending in one result.json. `run` and `compare`
 * are both batches; they differ in which jobs they make and what they print.
 */
#ifndef DAXPERF_BATCH_H
#define DAXPERF_BATCH_H

#include <jansson.h>
#include "config/config.h"
#include "run/jobs.h"
#include "result/report.h"
#include "run/runner.h"
#include "measure/target.h"
#include "result/outdir.h"

/* The command line shared by run and compare. */
struct batch_args {
	const char *config;
	const char *dir;
	const char *output;
	int force;
	unsigned rounds;           /* compare only: 0 when the command has no --rounds */
	int plot;                  /* --plot: render the result right after the run */
	enum out_format format;
	struct strlist sets;
};

/* Parses [options] CONFIG; 0 to go on, 1 after --help was printed, -1 after an error. */
int batch_parse_args(int argc, char **argv, const char *usage, int with_rounds, struct batch_args *a);
/* Config and jobs from the arguments; 0, or -1 after an error (nothing run, nothing written). */
int batch_load(struct batch_args *a, struct cfg *cfg, struct job_list *jobs);

struct batch {
	struct target tgt;
	char stamp[32], started[32];
	struct job_result *rs;
	size_t n, cap;
	struct status_ctx status;
	int interrupted;
	uint64_t started_mono_ns;
	struct outdir out;         /* the result directory, claimed before the first job */
	const struct cfg *cfg;     /* for the partial result written after each job */
	char *command;
	unsigned running_round;    /* the round running.json names (0: none) */
};

/* argc / argv: the command's own (argv[0] is its name), recorded in the result as the command line.
 * Clock, topology, target, the result directory (claimed: --output, else results/CONFIG/STAMP-HOST),
 * work directory, signal handlers; 0 or -1 after an error (nothing measured). */
int batch_begin(struct batch *b, const struct batch_args *a, const struct cfg *cfg, int argc, char **argv,
		size_t planned);
/* Runs one job (unless a signal stopped the batch); returns its result, or NULL when stopped.
 * running.json names the job (and round) while it runs; result.partial.json holds every job
 * finished so far, rewritten atomically after each, so a run the kernel kills keeps them. */
struct job_result *batch_run(struct batch *b, const struct job_spec *spec, double after_s);
/* Runs the jobs of one group at the same time (their rounds start together); returns how many ran
 * (their results are the batch's last n), 0 when a signal had stopped the batch. */
size_t batch_run_group(struct batch *b, const struct job_spec *const *specs, size_t n);
/* The command line as typed, subcommand and all, in the order typed (getopt reorders argv): set by
 * main() before any command parses its arguments; the result's "command". */
extern const char *batch_command_line;
/* Removes the work directory and builds the result of everything that ran. */
json_t *batch_finish(struct batch *b);
/* The end every command shares: writes result.json into the claimed directory, renders it with
 * --plot, prints it with --format json, frees it and gives the directory up.
 * Returns rc, or 3 when the result could not be written, or 130 when a signal stopped the batch. */
int batch_conclude(struct batch *b, const struct batch_args *a, json_t *root, int rc);
void batch_free(struct batch *b);

#endif
