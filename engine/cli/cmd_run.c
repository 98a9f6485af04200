/* `daxperf run CONFIG`: every job of the config, one result.json, a summary. */
#include "cli/batch.h"
#include "cli/commands.h"
#include "lib/util.h"
#include "run/worker.h"

#include <stdio.h>
#include <stdlib.h>

static const char run_usage[] =
	"usage: daxperf run CONFIG [options]\n"
	"\n"
	"Runs every job of CONFIG: a path to an INI file, or the name of a shipped config\n"
	"(`daxperf run quick` reads configs/quick.ini).\n"
	"\n"
	"  --dir DIR          run in DIR (default: $DAXPERF_DIR, else the first mounted DAX\n"
	"                     filesystem, else the page cache in /var/tmp/daxperf)\n"
	"  --set KEY=VALUE    override an option for every job (repeatable; sweeps allowed)\n"
	"  --output DIR       write result.json exactly in DIR (default:\n"
	"                     results/CONFIG/STAMP-HOST/); an existing non-empty DIR needs --force\n"
	"  --force            allow --output into a non-empty directory\n"
	"  --plot             render the result with gnuplot right after (daxperf plot)\n"
	"  --format FMT       human (default), json (the result on stdout), or simple\n"
	"                     (one bare number per job: mean ns for chase, bytes/s for seq, else ops/s)\n"
	"  -h, --help         this help\n"
	"\n"
	"Exit status: 0 every job ok or skipped, 1 a job failed, 2 bad usage or config,\n"
	"3 target or environment problem, 130 interrupted.\n";

/* Seconds the jobs after index i are planned to take (op-bounded ones may end sooner). */
double jobs_after_s(const struct job_list *jobs, size_t i, unsigned times)
{
	double s = 0;
	for (size_t k = i + 1; k < jobs->n; k++)
		s += (double)(jobs->j[k].o.runtime_ns + jobs->j[k].o.warmup.ns) * (double)jobs->j[k].o.repeat / 1e9;
	return s * times;
}

int cmd_run(int argc, char **argv)
{
	struct batch_args a;
	struct cfg cfg;
	struct job_list jobs;
	int rc = batch_parse_args(argc, argv, run_usage, 0, &a);
	if (rc || batch_load(&a, &cfg, &jobs)) {
		strlist_free(&a.sets);
		return rc > 0 ? 0 : 2;
	}
	struct batch b;
	rc = 3;
	if (batch_begin(&b, &a, jobs.n) == 0) {
		for (size_t i = 0; i < jobs.n && batch_run(&b, &jobs.j[i], jobs_after_s(&jobs, i, 1)); i++)
			;
		json_t *root = batch_finish(&b, &cfg);
		if (a.format == FORMAT_SIMPLE) {
			report_simple(stdout, b.rs, b.n);
		} else if (a.format == FORMAT_HUMAN) {
			report_header(stdout, cfg.name, &b.tgt);
			report_table(stdout, b.rs, b.n);
		}
		rc = 0;
		for (size_t i = 0; i < b.n && !rc; i++)
			if (b.rs[i].status == JOB_FAILED)
				rc = 1;
		if (b.interrupted)
			note("interrupted: %zu of %zu jobs ran; the result is marked interrupted", b.n, jobs.n);
		rc = batch_conclude(&b, &a, root, cfg.name, NULL, rc);
	}
	batch_free(&b);
	jobs_free(&jobs);
	cfg_free(&cfg);
	strlist_free(&a.sets);
	return rc;
}
