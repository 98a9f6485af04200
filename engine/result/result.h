/*
 * result.json: the one record of a run, from which summaries, plots and comparisons are made.
 * Schema documented in docs/result-schema.md; bump RESULT_SCHEMA when a field changes meaning.
 */
#ifndef DAXPERF_RESULT_H
#define DAXPERF_RESULT_H

#include <jansson.h>
#include "config/config.h"
#include "measure/host.h"
#include "run/jobs.h"
#include "run/runner.h"
#include "measure/target.h"

#define RESULT_SCHEMA 1

/* The files a run writes into its result directory. */
#define RESULT_FILE "result.json"
#define RESULT_PARTIAL_FILE "result.partial.json" /* the jobs finished so far, rewritten after each */
#define RESULT_RUNNING_FILE "running.json"        /* the job running now; gone when the run ends */

struct run_record {
	const char *command;
	const char *started_utc;
	const struct cfg *cfg;
	const struct target *target;
	const struct host_info *host;
	const struct job_result *results;
	size_t n;
	uint64_t started_mono_ns;  /* rounds' start_s are counted from here */
	int interrupted;
};

json_t *result_to_json(const struct run_record *rec);
/* Writes dir/result.json through a temporary file and rename, creating dir; 0 or -1 after a message. */
int result_write(json_t *root, const char *dir);
/* The same for dir/name (result.partial.json, running.json). */
int result_write_as(json_t *root, const char *dir, const char *name);
/* mkdir -p; 0 or -errno. */
int make_dirs(const char *path);

#endif
