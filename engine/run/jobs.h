/*
 * From config text to job specs: [global] inherited, --set applied, every option resolved against
 * the common and the workload's table, sweeps expanded into one job per combination. Everything is
 * checked here, before anything runs or is written.
 */
#ifndef DAXPERF_JOBS_H
#define DAXPERF_JOBS_H

#include "config/config.h"
#include "config/jobopts.h"
#include "config/sweep.h"

struct workload;

struct job_spec {
	char name[256];
	const struct workload *wl;
	struct job_opts o;
	void *wo;              /* the workload's options, wl->opts_size bytes */
	const char *file;      /* where the section stands */
	int line;
	char swept[192];       /* "bs=4k,threads=2": the values this job takes from sweeps */
	char series[64];       /* the side of a comparison this job runs on ("DAX", "page cache",
	                        * "cpu node 0, mem node 1"); empty in a plain run */
};

struct job_list {
	struct job_spec *j;
	size_t n;
};

/* Builds every job; `sets` holds KEY=VALUE overrides. 0, or -1 after printing "file:line: why". */
int jobs_build(struct cfg *c, const struct strlist *sets, struct job_list *out);
void jobs_free(struct job_list *l);
/* Parses a config file and builds its jobs, then frees everything: 0 when it is a valid config. */
int jobs_check_file(const char *path);

/* Writes every effective option of a job as (name, text) pairs through the callback. */
void jobs_each_option(const struct job_spec *j, void (*fn)(void *ctx, const char *name, const char *value),
		      void *ctx);

/* Seconds the jobs after index i are planned to take, `times` over, for the status line's ETA. */
double jobs_after_s(const struct job_list *jobs, size_t i, unsigned times);


#endif
