/* `daxperf run CONFIG`: resolve, check, run every job, write result.json, summarise. */
#include "commands.h"
#include "config.h"
#include "host.h"
#include "jobs.h"
#include "paths.h"
#include "report.h"
#include "result.h"
#include "runner.h"
#include "target.h"
#include "timer.h"
#include "topo.h"
#include "util.h"
#include "worker.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

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
	"  --format FMT       human (default), json (the result on stdout), or simple\n"
	"                     (one bare number per job: mean ns for chase, bytes/s for seq, else ops/s)\n"
	"  -h, --help         this help\n"
	"\n"
	"Exit status: 0 every job ok or skipped, 1 a job failed, 2 bad usage or config,\n"
	"3 target or environment problem, 130 interrupted.\n";

struct run_args {
	const char *config;
	const char *dir;
	const char *output;
	int force;
	enum out_format format;
	struct strlist sets;
};

static int parse_run_args(int argc, char **argv, struct run_args *a)
{
	static const struct option longopts[] = {
		{ "dir", required_argument, NULL, 'd' },    { "set", required_argument, NULL, 's' },
		{ "output", required_argument, NULL, 'o' }, { "format", required_argument, NULL, 'f' },
		{ "force", no_argument, NULL, 'F' },        { "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	memset(a, 0, sizeof(*a));
	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': a->dir = optarg; break;
		case 's': strlist_add(&a->sets, optarg); break;
		case 'o': a->output = optarg; break;
		case 'F': a->force = 1; break;
		case 'f':
			if (!strcmp(optarg, "human"))
				a->format = FORMAT_HUMAN;
			else if (!strcmp(optarg, "json"))
				a->format = FORMAT_JSON;
			else if (!strcmp(optarg, "simple"))
				a->format = FORMAT_SIMPLE;
			else
				return error("run: --format must be one of human, json, simple, not '%s'", optarg);
			break;
		case 'h': fputs(run_usage, stdout); return 1;
		default:
			return error("run: unknown option '%s' (daxperf run --help lists them)", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return error("run: which config? (daxperf list shows the shipped ones)");
	a->config = argv[optind];
	if (optind + 1 < argc)
		return error("run: unexpected argument '%s'", argv[optind + 1]);
	return 0;
}

/* An --output directory must be new or empty, so earlier results are never overwritten. */
static int check_output_dir(const char *dir, int force)
{
	DIR *d = opendir(dir);
	if (!d)
		return errno == ENOENT ? 0 : error("--output %s: %s", dir, strerror(errno));
	struct dirent *e;
	int used = 0;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			used = 1;
	closedir(d);
	if (used && !force)
		return error("--output %s: directory is not empty (add --force to write into it)", dir);
	return 0;
}

static void on_signal(int sig)
{
	(void)sig;
	atomic_store(&engine_stop, 1);
}

/* First SIGINT / SIGTERM: workers stop and what was measured is written. A second one kills. */
static void install_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal, .sa_flags = SA_RESETHAND };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

static char *join_argv(int argc, char **argv)
{
	char *s = xstrdup("daxperf");
	for (int i = 0; i < argc; i++) {
		char *t = xasprintf("%s %s", s, argv[i]);
		free(s);
		s = t;
	}
	return s;
}

static int run_all(struct run_args *a, struct cfg *cfg, struct job_list *jobs, int argc, char **argv)
{
	struct target tgt;
	if (timer_init() || topo_init() || tgt_choose(a->dir, &tgt))
		return 3;
	note("target: %s", tgt.why);
	if (tgt_make_workdir(&tgt))
		return 3;
	char stamp[32], started[32];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	strftime(started, sizeof(started), "%Y-%m-%dT%H:%M:%SZ", &tm);

	install_signals();
	struct job_result *rs = xcalloc(jobs->n, sizeof(*rs));
	const char *status_env = getenv("DAXPERF_STATUS");
	struct status_ctx st = { .total = jobs->n,
				 .enabled = isatty(2) && a->format != FORMAT_JSON && !(status_env && !strcmp(status_env, "0")) };
	size_t ran = 0;
	for (; ran < jobs->n && !atomic_load(&engine_stop); ran++) {
		st.index = ran;
		st.after_s = 0;
		for (size_t k = ran + 1; k < jobs->n; k++) /* op-bounded jobs may end sooner: an upper bound */
			st.after_s += (double)(jobs->j[k].o.runtime_ns + jobs->j[k].o.warmup.ns) * jobs->j[k].o.repeat / 1e9;
		run_job(&jobs->j[ran], &tgt, &rs[ran], status_progress, &st);
		status_clear(&st);
	}
	tgt_remove_workdir(&tgt);
	int interrupted = atomic_load(&engine_stop);

	struct host_info host;
	host_info_read(&host);
	char *command = join_argv(argc, argv);
	struct run_record rec = { .command = command, .started_utc = started, .cfg = cfg, .target = &tgt,
				  .host = &host, .results = rs, .n = ran, .interrupted = interrupted };
	json_t *root = result_to_json(&rec);
	char outdir[PATH_MAX];
	if (a->output)
		snprintf(outdir, sizeof(outdir), "%s", a->output);
	else
		default_result_dir(cfg->name, stamp, outdir, sizeof(outdir));
	int rc = result_write(root, outdir) ? 3 : 0;

	if (a->format == FORMAT_JSON) {
		json_dumpf(root, stdout, JSON_INDENT(1) | JSON_REAL_PRECISION(10));
		fputc('\n', stdout);
	} else if (a->format == FORMAT_SIMPLE) {
		report_simple(stdout, rs, ran);
	} else {
		report_header(stdout, cfg->name, &tgt);
		report_table(stdout, rs, ran);
	}
	if (!rc)
		note("result: %s/result.json", outdir);
	for (size_t i = 0; i < ran && !rc; i++)
		if (rs[i].status == JOB_FAILED)
			rc = 1;
	if (interrupted) {
		note("interrupted: %zu of %zu jobs ran; the result is marked interrupted", ran, jobs->n);
		rc = 130;
	}
	json_decref(root);
	free(command);
	for (size_t i = 0; i < ran; i++)
		job_result_free(&rs[i]);
	free(rs);
	topo_fini();
	return rc;
}

int cmd_run(int argc, char **argv)
{
	struct run_args a;
	int rc = parse_run_args(argc, argv, &a);
	if (rc)
		return strlist_free(&a.sets), rc > 0 ? 0 : 2;
	char path[PATH_MAX];
	struct cfg cfg;
	struct job_list jobs;
	if (resolve_config(a.config, path, sizeof(path)) || cfg_load(&cfg, path))
		return strlist_free(&a.sets), 2;
	rc = 2;
	if (jobs_build(&cfg, &a.sets, &jobs) == 0) {
		rc = a.output && check_output_dir(a.output, a.force) ? 2 : run_all(&a, &cfg, &jobs, argc - 1, argv + 1);
		jobs_free(&jobs);
	}
	cfg_free(&cfg);
	strlist_free(&a.sets);
	return rc;
}
