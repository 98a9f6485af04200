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
};

/* Clock, topology, target, work directory, signal handlers; 0 or -1 after an error. */
int batch_begin(struct batch *b, const struct batch_args *a, size_t planned);
/* Runs one job (unless a signal stopped the batch); returns its result, or NULL when stopped. */
struct job_result *batch_run(struct batch *b, const struct job_spec *spec, double after_s);
/* The command line as typed, subcommand and all, in the order typed (getopt reorders argv): set by
 * main() before any command parses its arguments; the result's "command". */
extern const char *batch_command_line;
/* Removes the work directory and builds the result of everything that ran. */
json_t *batch_finish(struct batch *b, const struct cfg *cfg);
/* The end every command shares: writes result.json (into outdir when given, else --output or
 * results/CONFIG/STAMP-HOST), renders it with --plot, prints it with --format json, and frees it.
 * Returns rc, or 3 when the result could not be written, or 130 when a signal stopped the batch. */
int batch_conclude(struct batch *b, const struct batch_args *a, json_t *root, const char *config, const char *outdir,
		   int rc);
void batch_free(struct batch *b);

#endif
