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
	/* the leading ':' tells a missing value (':') from an unknown option ('?') */
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
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
		case ':': return error("%s: %s needs a value", argv[0], argv[optind - 1]);
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

/* An --output that is empty, or a directory already holding something without --force: bad usage.
 * 0, or -1 after the error. */
static int output_misused(const char *dir, int force)
{
	if (!*dir)
		return error("--output: empty path");
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	struct dirent *e;
	int used = 0;
	while ((e = readdir(d)))
		used |= strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
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
	/* bad usage, found before anything is set up; the directory itself is made and claimed by
	 * batch_begin, before the first job (what cannot be made there is an environment problem) */
	if (a->output && output_misused(a->output, a->force)) {
		jobs_free(jobs);
		cfg_free(cfg);
		return -1;
	}
	return 0;
}

/* First SIGINT / SIGTERM / SIGHUP / SIGQUIT / SIGUSR1: workers stop and what was measured is written
 * (a closed terminal or ssh session, or a stray signal, must not lose the run). A second one ends the
 * run at once, removing what it made first. */
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
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1 };
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
}


int batch_begin(struct batch *b, const struct batch_args *a, const struct cfg *cfg, int argc, char **argv,
		size_t planned)
{
	memset(b, 0, sizeof(*b));
	outdir_init(&b->out);
	b->cfg = cfg;
	(void)argc;
	(void)argv;
	b->command = xstrdup(batch_command_line); /* as typed: main() saved it before getopt reordered argv */
	const char *config = cfg->name;
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(b->stamp, sizeof(b->stamp), "%Y%m%dT%H%M%SZ", &tm);
	strftime(b->started, sizeof(b->started), "%Y-%m-%dT%H:%M:%SZ", &tm);
	/* from the start: a signal during setup (timer calibration, topology) ends the run as any other */
	install_signals();
	if (timer_init() || topo_init() || tgt_choose(a->dir, "--dir", &b->tgt))
		return -1;
	/* before anything is measured: a result that cannot be written is known now, not after the run */
	if (a->output ? outdir_claim(&b->out, a->output, a->force) : outdir_claim_default(&b->out, config, b->stamp))
		return -1;
	note("target: %s", b->tgt.why);
	if (tgt_make_workdir(&b->tgt)) {
		outdir_release(&b->out);
		return -1;
	}
	b->started_mono_ns = mono_ns();
	const char *env = getenv("DAXPERF_STATUS");
	b->status.total = planned;
	b->status.enabled = isatty(2) && a->format != FORMAT_JSON && !(env && !strcmp(env, "0"));
	return 0;
}

/* running.json: the job and round running now, so a run that dies says what it was doing. */
static void write_running(struct batch *b, const struct job_spec *spec, unsigned round)
{
	b->running_round = round;
	time_t now = time(NULL);
	struct tm tm;
	char at[32];
	gmtime_r(&now, &tm);
	strftime(at, sizeof(at), "%Y-%m-%dT%H:%M:%SZ", &tm);
	json_t *j = json_pack("{s:s, s:I, s:I, s:I, s:I, s:s, s:I, s:s}", "job", spec->name, "index",
			      (json_int_t)b->n, "of", (json_int_t)b->status.total, "round", (json_int_t)round, "rounds",
			      (json_int_t)spec->o.repeat, "started_utc", at, "pid", (json_int_t)getpid(), "command",
			      b->command);
	result_write_as(j, b->out.dir, RESULT_RUNNING_FILE);
	json_decref(j);
}

/* The runner's progress: the status line, and running.json again when a new round starts. */
static void batch_progress(void *ctx, const struct job_result *r, double elapsed_s, uint64_t ops)
{
	struct batch *b = ctx;
	if (r->nrounds + 1 != b->running_round)
		write_running(b, r->spec, r->nrounds + 1);
	status_progress(&b->status, r, elapsed_s, ops);
}

static json_t *record_json(struct batch *b)
{
	struct host_info host;
	host_info_read(&host);
	struct run_record rec = { .command = b->command, .started_utc = b->started, .cfg = b->cfg, .target = &b->tgt,
				  .host = &host, .results = b->rs, .n = b->n, .interrupted = b->interrupted,
				  .started_mono_ns = b->started_mono_ns };
	return result_to_json(&rec);
}

/* result.partial.json: every job finished so far, marked partial; replaced after each job. */
static void write_partial(struct batch *b)
{
	json_t *root = record_json(b);
	json_object_set_new(root, "partial", json_true());
	result_write_as(root, b->out.dir, RESULT_PARTIAL_FILE);
	json_decref(root);
}

static void unlink_in(const char *dir, const char *name)
{
	char *path = xasprintf("%s/%s", dir, name);
	unlink(path);
	free(path);
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
	write_running(b, spec, 1);
	run_job(spec, &b->tgt, r, batch_progress, b, NULL);
	status_clear(&b->status);
	if (atomic_load(&engine_stop))
		b->interrupted = 1;
	write_partial(b);
	unlink_in(b->out.dir, RESULT_RUNNING_FILE);
	b->running_round = 0;
	return r;
}

/* One member of a group: its job run in a thread of its own, starting each round at the gate. */
struct member {
	const struct job_spec *spec;
	const struct target *tgt;
	struct job_result *r;
	struct group_seat seat;
	pthread_t tid;
	int started;
};

static void *member_main(void *arg)
{
	struct member *m = arg;
	run_job(m->spec, m->tgt, m->r, NULL, NULL, &m->seat);
	return NULL;
}

size_t batch_run_group(struct batch *b, const struct job_spec *const *specs, size_t n)
{
	if (atomic_load(&engine_stop)) {
		b->interrupted = 1;
		return 0;
	}
	/* every member's result slot exists before any thread writes to it */
	if (b->n + n > b->cap) {
		b->cap = b->n + n + 16;
		b->rs = xrealloc(b->rs, b->cap * sizeof(*b->rs));
	}
	struct group_gate gate;
	group_gate_init(&gate, (unsigned)n);
	write_running(b, specs[0], 1); /* a group is where its first job stands */
	struct member *ms = xcalloc(n, sizeof(*ms));
	unsigned workers = 0;
	for (size_t i = 0; i < n; i++) {
		struct member *m = &ms[i];
		*m = (struct member){ .spec = specs[i], .tgt = &b->tgt, .r = &b->rs[b->n + i],
				      .seat = { .gate = &gate, .first_worker = workers } };
		workers += (unsigned)specs[i]->o.threads;
		int err = pthread_create(&m->tid, NULL, member_main, m);
		m->started = err == 0;
		if (err) { /* this member never runs: the others must not wait for it */
			memset(m->r, 0, sizeof(*m->r));
			m->r->spec = specs[i];
			m->r->status = JOB_FAILED;
			m->r->dax_effective = m->r->durable = -1;
			fmt_into(m->r->reason, sizeof(m->r->reason), "starting the group's thread: %s", strerror(err));
			group_gate_leave(&gate);
		}
	}
	for (size_t i = 0; i < n; i++)
		if (ms[i].started)
			pthread_join(ms[i].tid, NULL);
	b->n += n;
	free(ms);
	group_gate_destroy(&gate);
	if (atomic_load(&engine_stop))
		b->interrupted = 1;
	write_partial(b);
	unlink_in(b->out.dir, RESULT_RUNNING_FILE);
	b->running_round = 0;
	return n;
}

const char *batch_command_line = "daxperf";

json_t *batch_finish(struct batch *b)
{
	tgt_remove_workdir(&b->tgt);
	return record_json(b);
}

int batch_conclude(struct batch *b, const struct batch_args *a, json_t *root, int rc)
{
	const char *dir = b->out.dir;
	if (result_write(root, dir)) {
		rc = 3;
	} else {
		/* the final result holds everything the partial one did */
		unlink_in(dir, RESULT_PARTIAL_FILE);
		note("result: %s/result.json", dir);
		if (a->plot && plot_result_dir(dir, "png", NULL) && rc == 0)
			rc = 1;
	}
	if (a->format == FORMAT_JSON) {
		json_dumpf(root, stdout, JSON_INDENT(1) | JSON_REAL_PRECISION(10));
		fputc('\n', stdout);
	}
	json_decref(root);
	outdir_release(&b->out);
	return b->interrupted ? 130 : rc;
}

void batch_free(struct batch *b)
{
	for (size_t i = 0; i < b->n; i++)
		job_result_free(&b->rs[i]);
	free(b->rs);
	free(b->command);
	b->command = NULL;
	outdir_release(&b->out);
	topo_fini();
}
