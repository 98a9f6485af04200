#include "cli/batch.h"
#include "lib/cleanup.h"
#include "cli/commands.h"
#include "measure/host.h"
#include "lib/paths.h"
#include "measure/place.h"
#include "result/result.h"
#include "measure/timer.h"
#include "measure/topo.h"
#include "lib/util.h"
#include "run/worker.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int batch_parse_args(int argc, char **argv, const char *usage, int with_rounds, struct batch_args *a)
{
	static const struct option longopts[] = {
		{ "dir", required_argument, NULL, 'd' },    { "set", required_argument, NULL, 's' },
		{ "output", required_argument, NULL, 'o' }, { "format", required_argument, NULL, 'f' },
		{ "force", no_argument, NULL, 'F' },        { "rounds", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },         { "plot", no_argument, NULL, 'P' },
		{ 0 },
	};
	memset(a, 0, sizeof(*a));
	a->rounds = with_rounds ? 3 : 0;
	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': a->dir = optarg; break;
		case 's': strlist_add(&a->sets, optarg); break;
		case 'o': a->output = optarg; break;
		case 'F': a->force = 1; break;
		case 'P': a->plot = 1; break;
		case 'r': {
			char *end;
			unsigned long n = strtoul(optarg, &end, 10);
			if (!with_rounds)
				return error("%s: unknown option '--rounds' (daxperf %s --help lists them)", argv[0], argv[0]);
			if (*end || n < 1 || n > 100)
				return error("%s: --rounds must be 1 to 100, not '%s'", argv[0], optarg);
			a->rounds = (unsigned)n;
			break;
		}
		case 'f':
			if (!strcmp(optarg, "human"))
				a->format = FORMAT_HUMAN;
			else if (!strcmp(optarg, "json"))
				a->format = FORMAT_JSON;
			else if (!strcmp(optarg, "simple"))
				a->format = FORMAT_SIMPLE;
			else
				return error("%s: --format must be one of human, json, simple, not '%s'", argv[0], optarg);
			break;
		case 'h': fputs(usage, stdout); return 1;
		default:
			return error("%s: unknown option '%s' (daxperf %s --help lists them)", argv[0], argv[optind - 1],
				     argv[0]);
		}
	}
	if (optind >= argc)
		return error("%s: which config? (daxperf list shows the shipped ones)", argv[0]);
	a->config = argv[optind];
	if (optind + 1 < argc)
		return error("%s: unexpected argument '%s'", argv[0], argv[optind + 1]);
	return 0;
}

/* An --output directory must be new or empty, so earlier results are never overwritten. */
/* A new one is made after the run: its nearest existing ancestor must be a writable directory now,
 * or everything measured would be lost at the end. */
static int check_output_parent(const char *dir)
{
	char *p = xstrdup(dir);
	for (;;) {
		char *slash = strrchr(p, '/');
		if (!slash) {
			strcpy(p, ".");
			break;
		}
		*(slash == p ? slash + 1 : slash) = '\0';
		struct stat st;
		if (stat(p, &st) == 0 || errno != ENOENT)
			break;
	}
	struct stat st;
	int rc = 0;
	if (stat(p, &st))
		rc = error("--output %s: cannot be made under %s: %s", dir, p, strerror(errno));
	else if (!S_ISDIR(st.st_mode))
		rc = error("--output %s: cannot be made: %s is not a directory", dir, p);
	else if (access(p, W_OK | X_OK))
		rc = error("--output %s: cannot be made under %s: %s", dir, p, strerror(errno));
	if (!rc) {
		/* root passes access() on /proc and /sys: the first missing directory is made and removed */
		size_t keep = strlen(p) == 1 && *p == '/' ? 1 : strcmp(p, ".") ? strlen(p) + 1 : 0;
		char *first = xstrdup(dir);
		char *end = strchr(first + keep, '/');
		if (end)
			*end = '\0';
		if (mkdir(first, 0755))
			rc = error("--output %s: cannot be made: %s: %s", dir, first, strerror(errno));
		else
			rmdir(first);
		free(first);
	}
	free(p);
	return rc;
}

static int check_output_dir(const char *dir, int force)
{
	if (!*dir)
		return error("--output: empty path");
	DIR *d = opendir(dir);
	if (!d)
		return errno == ENOENT ? check_output_parent(dir) : error("--output %s: %s", dir, strerror(errno));
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

int batch_load(struct batch_args *a, struct cfg *cfg, struct job_list *jobs)
{
	char path[PATH_MAX];
	if (resolve_config(a->config, path, sizeof(path)) || cfg_load(cfg, path))
		return -1;
	if (jobs_build(cfg, &a->sets, jobs)) {
		cfg_free(cfg);
		return -1;
	}
	/* NUMA nodes that do not exist here are bad input too: nothing runs */
	for (size_t i = 0; i < jobs->n; i++) {
		char err[256];
		if (place_check(&jobs->j[i].o, err, sizeof(err)) == 0)
			continue;
		error("%s:%d: [%s]: %s", jobs->j[i].file, jobs->j[i].line, jobs->j[i].name, err);
		jobs_free(jobs);
		cfg_free(cfg);
		return -1;
	}
	if (a->output && check_output_dir(a->output, a->force)) {
		jobs_free(jobs);
		cfg_free(cfg);
		return -1;
	}
	return 0;
}

/* First SIGINT / SIGTERM: workers stop and what was measured is written. A second one ends the run
 * at once, removing what it made first. */
static void on_signal(int sig)
{
	(void)sig;
	if (atomic_exchange(&engine_stop, 1)) {
		cleanup_now();
		_exit(130);
	}
}

static void install_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

int batch_begin(struct batch *b, const struct batch_args *a, size_t planned)
{
	memset(b, 0, sizeof(*b));
	if (timer_init() || topo_init() || tgt_choose(a->dir, &b->tgt))
		return -1;
	note("target: %s", b->tgt.why);
	if (tgt_make_workdir(&b->tgt))
		return -1;
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(b->stamp, sizeof(b->stamp), "%Y%m%dT%H%M%SZ", &tm);
	strftime(b->started, sizeof(b->started), "%Y-%m-%dT%H:%M:%SZ", &tm);
	b->started_mono_ns = mono_ns();
	install_signals();
	const char *env = getenv("DAXPERF_STATUS");
	b->status.total = planned;
	b->status.enabled = isatty(2) && a->format != FORMAT_JSON && !(env && !strcmp(env, "0"));
	return 0;
}

struct job_result *batch_run(struct batch *b, const struct job_spec *spec, double after_s)
{
	if (atomic_load(&engine_stop)) {
		b->interrupted = 1;
		return NULL;
	}
	if (b->n == b->cap) {
		b->cap = b->cap ? 2 * b->cap : 16;
		b->rs = xrealloc(b->rs, b->cap * sizeof(*b->rs));
	}
	struct job_result *r = &b->rs[b->n++];
	b->status.index = b->n - 1;
	b->status.after_s = after_s;
	run_job(spec, &b->tgt, r, status_progress, &b->status);
	status_clear(&b->status);
	if (atomic_load(&engine_stop))
		b->interrupted = 1;
	return r;
}

const char *batch_command_line = "daxperf";

json_t *batch_finish(struct batch *b, const struct cfg *cfg)
{
	tgt_remove_workdir(&b->tgt);
	struct host_info host;
	host_info_read(&host);
	struct run_record rec = { .command = batch_command_line, .started_utc = b->started, .cfg = cfg, .target = &b->tgt,
				  .host = &host, .results = b->rs, .n = b->n, .interrupted = b->interrupted,
				  .started_mono_ns = b->started_mono_ns };
	return result_to_json(&rec);
}

int batch_conclude(struct batch *b, const struct batch_args *a, json_t *root, const char *config, const char *outdir,
		   int rc)
{
	char dir[PATH_MAX];
	if (outdir)
		snprintf(dir, sizeof(dir), "%s", outdir);
	else if (a->output)
		snprintf(dir, sizeof(dir), "%s", a->output);
	else
		default_result_dir(config, b->stamp, dir, sizeof(dir));
	if (result_write(root, dir)) {
		rc = 3;
	} else {
		note("result: %s/result.json", dir);
		if (a->plot && plot_result_dir(dir, "png", NULL) && rc == 0)
			rc = 1;
	}
	if (a->format == FORMAT_JSON) {
		json_dumpf(root, stdout, JSON_INDENT(1) | JSON_REAL_PRECISION(10));
		fputc('\n', stdout);
	}
	json_decref(root);
	return b->interrupted ? 130 : rc;
}

void batch_free(struct batch *b)
{
	for (size_t i = 0; i < b->n; i++)
		job_result_free(&b->rs[i]);
	free(b->rs);
	topo_fini();
}
