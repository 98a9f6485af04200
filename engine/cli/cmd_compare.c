/*
 * `daxperf compare CONFIG`: every job on a DAX inode and on a page-cache inode of the same
 * filesystem, interleaved DAX / page cache / DAX / page cache for --rounds rounds so drift hits both
 * alike, then the figures side by side, the ratios (DAX / page cache), the spread across rounds and
 * one line of advice per job where the spread allows a verdict.
 */
#include "cli/batch.h"
#include "cli/commands.h"
#include "measure/timer.h"
#include "lib/units.h"
#include "lib/util.h"
#include "result/peak.h"
#include "workloads/workload.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char compare_usage[] =
	"usage: daxperf compare CONFIG [options]\n"
	"\n"
	"Runs every job of CONFIG twice per round: with its file in an FS_XFLAG_DAX directory (DAX) and\n"
	"in a plain one (page cache), on the same filesystem, each mode checked by statx. Prints per job\n"
	"ops/s, MB/s, mean and p99 for both, the ratio DAX / page cache, the spread across rounds, and\n"
	"advice where the rounds do not overlap. Needs a filesystem mounted dax=inode on a DAX device\n"
	"(`daxperf lab -- ./daxperf compare CONFIG` provides one).\n"
	"\n"
	"  --rounds N         DAX / page cache rounds, interleaved (default 3)\n"
	"  --dir DIR, --set KEY=VALUE, --output DIR, --force, --format human|json, --plot  as for run\n"
	"  -h, --help         this help\n";

enum side { SIDE_DAX, SIDE_PC, SIDES };
static const char *const side_names[SIDES] = { "DAX", "page cache" };
static const char *const side_keys[SIDES] = { "dax", "pagecache" };

struct side_summary {
	int status;             /* JOB_OK when every round ran */
	const char *reason;
	unsigned rounds;
	double ops[100];        /* per round ops/s */
	double ops_per_sec, bytes_per_sec, mean_ns, p99_ns, lo, hi, spread;
	int64_t page_cache_bytes;
	const char *detail;
	int durable;            /* writes durable on return: 1, 0, -1 not said */
};

static void summarize(const struct batch *b, const size_t *idx, unsigned n, struct side_summary *s)
{
	memset(s, 0, sizeof(*s));
	s->status = JOB_OK;
	struct hist h;
	hist_init(&h, HIST_FINE_BITS);
	uint64_t ops = 0, bytes = 0, ns = 0;
	s->page_cache_bytes = -1;
	s->durable = n ? b->rs[idx[0]].durable : -1;
	for (unsigned k = 0; k < n; k++) {
		const struct job_result *r = &b->rs[idx[k]];
		if (r->status != JOB_OK) {
			s->status = r->status;
			s->reason = r->reason;
			break;
		}
		double secs = (double)r->runtime_ns / 1e9;
		s->ops[s->rounds++] = secs > 0 ? (double)r->ops / secs : 0;
		ops += r->ops;
		bytes += r->bytes;
		ns += r->runtime_ns;
		hist_merge(&h, &r->lat);
		if (r->page_cache_bytes > s->page_cache_bytes)
			s->page_cache_bytes = r->page_cache_bytes;
		if (r->detail[0])
			s->detail = r->detail;
	}
	if (s->rounds && ns) {
		s->ops_per_sec = (double)ops / ((double)ns / 1e9);
		s->bytes_per_sec = (double)bytes / ((double)ns / 1e9);
		s->mean_ns = timer_ticks_to_ns(hist_mean(&h));
		s->p99_ns = timer_ticks_to_ns(hist_percentile(&h, 99));
		s->lo = s->hi = s->ops[0];
		for (unsigned k = 1; k < s->rounds; k++) {
			s->lo = s->ops[k] < s->lo ? s->ops[k] : s->lo;
			s->hi = s->ops[k] > s->hi ? s->ops[k] : s->hi;
		}
		s->spread = s->ops_per_sec > 0 ? (s->hi - s->lo) / s->ops_per_sec : 0;
	}
	hist_free(&h);
}

/* Said beside a verdict whose sides did not do the same work: durable writes on one side only
 * (persist = flush on DAX reaches the medium; on the page cache it does not). */
static const char *durability_note(const struct side_summary *s)
{
	if (s[SIDE_DAX].durable < 0 || s[SIDE_PC].durable < 0 || s[SIDE_DAX].durable == s[SIDE_PC].durable)
		return "";
	return s[SIDE_DAX].durable ? "; not the same work: DAX writes durable, page-cache writes not"
				   : "; not the same work: page-cache writes durable, DAX writes not";
}

/* "page cache 1.9x faster (p99 3.1x)" when every round of one side beat every round of the other. */
static int verdict(const char *name, const struct side_summary *s, char *buf, size_t len)
{
	if (s[SIDE_DAX].status != JOB_OK || s[SIDE_PC].status != JOB_OK) {
		int bad = s[SIDE_DAX].status != JOB_OK ? SIDE_DAX : SIDE_PC;
		fmt_into(buf, len, "%s: no comparison: %s side %s: %s", name, side_names[bad],
			 s[bad].status == JOB_SKIPPED ? "skipped" : "failed", s[bad].reason ? s[bad].reason : "?");
		return -1;
	}
	int win = s[SIDE_DAX].lo > s[SIDE_PC].hi ? SIDE_DAX : s[SIDE_PC].lo > s[SIDE_DAX].hi ? SIDE_PC : -1;
	if (win < 0 || s[SIDE_DAX].rounds < 2) {
		fmt_into(buf, len, "%s: no significant difference (the rounds overlap%s)%s", name,
			 s[SIDE_DAX].rounds < 2 ? "; one round cannot tell" : "", durability_note(s));
		return win;
	}
	int lose = 1 - win;
	double x = s[win].ops_per_sec / s[lose].ops_per_sec, p = s[win].p99_ns > 0 ? s[lose].p99_ns / s[win].p99_ns : 0;
	/* two decimals below 10x, whole numbers above: "16x faster (p99 104x)", never "1e+02x" */
	char xs[32], ps[32];
	snprintf(xs, sizeof(xs), x < 10 ? "%.2f" : "%.0f", x);
	snprintf(ps, sizeof(ps), p < 10 ? "%.2f" : "%.0f", p);
	fmt_into(buf, len, "%s: %s %sx faster (p99 %sx)%s", name, side_names[win], xs, ps, durability_note(s));
	return win;
}

static json_t *side_json(const struct side_summary *s, const struct batch *b, const size_t *idx)
{
	json_t *rounds = json_array();
	for (unsigned k = 0; k < s->rounds; k++)
		json_array_append_new(rounds, json_pack("{s:f, s:f, s:f}", "ops_per_sec", s->ops[k], "mean_ns",
						       timer_ticks_to_ns(hist_mean(&b->rs[idx[k]].lat)), "p99_ns",
						       timer_ticks_to_ns(hist_percentile(&b->rs[idx[k]].lat, 99))));
	static const char *const st[] = { "ok", "skipped", "failed" };
	const struct job_result *first = &b->rs[idx[0]];
	return json_pack("{s:s, s:o, s:o, s:f, s:f, s:f, s:f, s:f, s:o, s:o, s:o, s:o}", "status", st[s->status], "reason",
			 s->reason ? json_string(s->reason) : json_null(), "dax_effective",
			 first->dax_effective < 0 ? json_null() : json_boolean(first->dax_effective), "ops_per_sec",
			 s->ops_per_sec, "bytes_per_sec", s->bytes_per_sec, "mean_ns", s->mean_ns, "p99_ns", s->p99_ns,
			 "spread", s->spread, "durable", s->durable < 0 ? json_null() : json_boolean(s->durable), "page_cache_bytes",
			 s->page_cache_bytes < 0 ? json_null() : json_integer((json_int_t)s->page_cache_bytes), "detail",
			 s->detail ? json_string(s->detail) : json_null(), "rounds", rounds);
}

static void print_side(const char *name, int side, const struct side_summary *s)
{
	char ops[16], mean[16], p99[16], pc[16];
	if (s->status != JOB_OK) {
		printf("%-32.32s %-10s %s\n", name, side_names[side], s->reason ? s->reason : "did not run");
		return;
	}
	format_si(s->ops_per_sec, ops, sizeof(ops));
	format_latency(s->mean_ns, mean, sizeof(mean));
	format_latency(s->p99_ns, p99, sizeof(p99));
	if (s->page_cache_bytes >= 0)
		snprintf(pc, sizeof(pc), "%.1fMiB", (double)s->page_cache_bytes / 1048576);
	else
		snprintf(pc, sizeof(pc), "?");
	printf("%-32.32s %-10s %9s %9.1f %9s %9s %7.1f%% %10s\n", name, side_names[side], ops, s->bytes_per_sec / 1e6,
	       mean, p99, s->spread * 100, pc);
}

/* The runs of a compare: each job twice (DAX and page cache sides), every side's rounds, and where
 * each round's result sits in the batch. */
struct plan {
	const struct job_list *jobs;
	unsigned rounds;
	struct job_spec *sides; /* jobs->n * SIDES */
	size_t *idx;            /* (job * SIDES + side) * rounds + round -> batch result index */
	unsigned *ran;          /* job * SIDES + side -> rounds that ran */
};

static const size_t *side_rounds(const struct plan *p, size_t job, int side)
{
	return &p->idx[(job * SIDES + side) * p->rounds];
}

/* Each job twice, with its file kept between rounds (filling it again would dominate). */
static void plan_make(struct plan *p, const struct job_list *jobs, unsigned rounds)
{
	p->jobs = jobs;
	p->rounds = rounds;
	p->sides = xcalloc(jobs->n * SIDES, sizeof(*p->sides));
	p->idx = xcalloc(jobs->n * SIDES * rounds, sizeof(size_t));
	p->ran = xcalloc(jobs->n * SIDES, sizeof(unsigned));
	for (size_t j = 0; j < jobs->n; j++) {
		for (int s = 0; s < SIDES; s++) {
			struct job_spec *x = &p->sides[j * SIDES + s];
			*x = jobs->j[j];
			x->o.dax = s == SIDE_DAX ? DAX_ON : DAX_OFF;
			x->o.keep = 1;
			fmt_into(x->name, sizeof(x->name), "%s/%s", jobs->j[j].name, side_keys[s]);
			fmt_into(x->o.file, sizeof(x->o.file), "compare-%zu.dat", j);
			/* a group's runs on each side are separate points of its curve */
			fmt_into(x->series, sizeof(x->series), "%s", side_names[s]);
		}
	}
}

static void plan_free(struct plan *p)
{
	free(p->idx);
	free(p->ran);
	free(p->sides);
}

/* Whether side s of job k failed in an earlier round (no DAX here, say): it is not tried again. */
static int side_failed(const struct batch *b, const struct plan *p, size_t k)
{
	return p->ran[k] && b->rs[p->idx[k * p->rounds + p->ran[k] - 1]].status != JOB_OK;
}

/* One round of one side of the group job j stands in: every member at once. Returns 0 when stopped. */
static int run_group_side(struct batch *b, struct plan *p, size_t j, int s)
{
	const struct job_list *jobs = p->jobs;
	const struct job_spec **specs = xcalloc(jobs->n, sizeof(*specs));
	size_t *member = xcalloc(jobs->n, sizeof(*member));
	size_t n = 0;
	int failed = 0;
	for (size_t m = j; m < jobs->n; m++)
		if (!strcmp(jobs->j[m].o.group, jobs->j[j].o.group)) {
			failed |= side_failed(b, p, m * SIDES + s);
			member[n] = m;
			specs[n++] = &p->sides[m * SIDES + s];
		}
	size_t at = b->n, ran = failed ? n : batch_run_group(b, specs, n);
	for (size_t i = 0; i < n && !failed && ran; i++) {
		size_t k = member[i] * SIDES + s;
		p->idx[k * p->rounds + p->ran[k]++] = at + i;
	}
	free(member);
	free(specs);
	return ran != 0;
}

static int earlier_in_group(const struct job_list *jobs, size_t j)
{
	for (size_t k = 0; k < j && jobs->j[j].o.group[0]; k++)
		if (!strcmp(jobs->j[k].o.group, jobs->j[j].o.group))
			return 1;
	return 0;
}

/* Runs every job's rounds, DAX and page cache interleaved; a side that failed once (no DAX here,
 * say) is not tried again. The jobs of a group run together, round by round and side by side, where
 * its first job stands. Stops when the batch is interrupted. */
static void run_rounds(struct batch *b, struct plan *p)
{
	const struct job_list *jobs = p->jobs;
	int stop = 0;
	for (size_t j = 0; j < jobs->n && !stop; j++) {
		if (earlier_in_group(jobs, j))
			continue;
		for (unsigned r = 0; r < p->rounds && !stop; r++) {
			for (int s = 0; s < SIDES && !stop; s++) {
				size_t k = j * SIDES + s;
				if (jobs->j[j].o.group[0]) {
					stop = !run_group_side(b, p, j, s);
					continue;
				}
				if (side_failed(b, p, k))
					continue;
				double after = jobs_after_s(jobs, j, SIDES * p->rounds) +
					       (double)(jobs->j[j].o.runtime_ns * (p->rounds * SIDES - r * SIDES - s - 1)) / 1e9;
				size_t at = b->n;
				if (!batch_run(b, &p->sides[k], after))
					stop = 1;
				else
					p->idx[k * p->rounds + p->ran[k]++] = at;
			}
		}
		/* the job's file (its group's files) goes once all its rounds are done */
		for (size_t m = j; m < jobs->n; m++)
			if (m == j || (jobs->j[j].o.group[0] && !strcmp(jobs->j[m].o.group, jobs->j[j].o.group)))
				for (int s = 0; s < SIDES; s++)
					if (p->ran[m * SIDES + s] && !jobs->j[m].o.keep)
						unlink(b->rs[side_rounds(p, m, s)[0]].path);
	}
}

/* One job's comparison: both sides summarised, the verdict into advice, the JSON entry (with
 * the ratios when both sides ran); NULL when neither side ran. *both_ok says whether it has ratios. */
static json_t *compare_job(const struct batch *b, const struct plan *p, size_t j, struct side_summary *s,
			   char *advice, size_t advice_len, int *both_ok)
{
	const char *name = p->jobs->j[j].name;
	if (!p->ran[j * SIDES] && !p->ran[j * SIDES + 1])
		return NULL;
	for (int k = 0; k < SIDES; k++) {
		summarize(b, side_rounds(p, j, k), p->ran[j * SIDES + k], &s[k]);
		if (!p->ran[j * SIDES + k])
			s[k].status = JOB_SKIPPED, s[k].reason = "not run (interrupted)";
	}
	int win = verdict(name, s, advice, advice_len);
	json_t *e = json_pack("{s:s, s:s, s:s}", "name", name, "verdict", advice, "faster",
			      win == SIDE_DAX ? "dax" : win == SIDE_PC ? "page cache" : "");
	for (int k = 0; k < SIDES; k++)
		if (p->ran[j * SIDES + k])
			json_object_set_new(e, side_keys[k], side_json(&s[k], b, side_rounds(p, j, k)));
	*both_ok = s[SIDE_DAX].status == JOB_OK && s[SIDE_PC].status == JOB_OK && s[SIDE_PC].ops_per_sec > 0;
	if (*both_ok)
		json_object_set_new(e, "ratio",
				    json_pack("{s:f, s:f, s:f, s:f}", "ops_per_sec", s[SIDE_DAX].ops_per_sec / s[SIDE_PC].ops_per_sec,
					      "bytes_per_sec", s[SIDE_DAX].bytes_per_sec / s[SIDE_PC].bytes_per_sec, "mean_ns",
					      s[SIDE_DAX].mean_ns / s[SIDE_PC].mean_ns, "p99_ns", s[SIDE_DAX].p99_ns / s[SIDE_PC].p99_ns));
	return e;
}

static void print_table_head(const struct batch *b, const char *config, unsigned rounds)
{
	report_header(stdout, config, &b->tgt);
	printf("%u rounds, DAX and page cache interleaved; ratios are DAX / page cache; spread is the\n"
	       "range of a side's per-round ops/s over its mean; page cache = the file's resident pages\n\n",
	       rounds);
	printf("%-32s %-10s %9s %9s %9s %9s %8s %10s\n", "job", "side", "ops/s", "MB/s", "mean", "p99", "spread",
	       "page cache");
}

/* Poison jobs: what was injected, hit and recovered on each side, over its rounds. */
static void print_poison(const struct batch *b, const struct plan *p)
{
	int header = 0;
	const struct job_list *jobs = p->jobs;
	for (size_t j = 0; j < jobs->n; j++) {
		for (int k = 0; k < SIDES; k++) {
			const struct job_result *rs[1000];
			unsigned n = 0;
			for (unsigned r = 0; r < p->ran[j * SIDES + k] && n < 1000; r++)
				rs[n++] = &b->rs[side_rounds(p, j, k)[r]];
			if (!n || !rs[0]->poison)
				continue;
			if (!header++)
				printf("\npoison, over each side's rounds:\n");
			char label[300];
			fmt_into(label, sizeof(label), "%s, %s", jobs->j[j].name, k == SIDE_DAX ? "DAX" : "page cache");
			report_poison(stdout, label, rs, n);
		}
	}
}

static void print_ratio(const struct side_summary *s)
{
	if (s[SIDE_DAX].status != JOB_OK || s[SIDE_PC].status != JOB_OK || !s[SIDE_PC].ops_per_sec)
		return;
	printf("%-32s %-10s %8.2fx %8.2fx %8.2fx %8.2fx\n", "", "dax / pc", s[SIDE_DAX].ops_per_sec / s[SIDE_PC].ops_per_sec,
	       s[SIDE_DAX].bytes_per_sec / s[SIDE_PC].bytes_per_sec, s[SIDE_DAX].mean_ns / s[SIDE_PC].mean_ns,
	       s[SIDE_DAX].p99_ns / s[SIDE_PC].p99_ns);
}

/* Compares, prints and writes the batch's jobs; returns the exit status so far (1 when a job has
 * no comparison). */
static int conclude(struct batch *b, const struct plan *p, json_t *root, const struct batch_args *a, const char *config)
{
	int rc = 0, human = a->format == FORMAT_HUMAN;
	const struct job_list *jobs = p->jobs;
	json_t *cmp = json_array();
	if (human)
		print_table_head(b, config, p->rounds);
	char (*advice)[512] = xcalloc(jobs->n, sizeof(*advice));
	struct peak_table *peak = xcalloc(SIDES, sizeof(*peak)); /* each side's, merged over its rounds */
	for (size_t j = 0; j < jobs->n; j++) {
		struct side_summary s[SIDES];
		int both_ok = 0;
		json_t *e = compare_job(b, p, j, s, advice[j], sizeof(advice[j]), &both_ok);
		if (!e)
			continue;
		for (int k = 0; k < SIDES; k++)
			peak_add_job(&peak[k], &jobs->j[j], s[k].status == JOB_OK && s[k].rounds, s[k].bytes_per_sec);
		if (!both_ok)
			rc = 1;
		json_array_append_new(cmp, e);
		if (human) {
			for (int k = 0; k < SIDES; k++)
				print_side(k ? "" : jobs->j[j].name, k, &s[k]);
			print_ratio(s);
		}
	}
	json_object_set_new(root, "compare", json_pack("{s:i, s:s, s:o}", "rounds", (int)p->rounds, "ratio",
						       "dax / page cache", "jobs", cmp));
	if (human) {
		print_poison(b, p);
		for (int k = 0; k < SIDES; k++)
			peak_print(stdout, &peak[k], side_names[k]);
		report_groups(stdout, b->rs, b->n);
		report_clock_share(stdout, b->rs, b->n);
		printf("\nadvice:\n");
		for (size_t j = 0; j < jobs->n; j++)
			if (advice[j][0])
				printf("  %s\n", advice[j]);
	}
	free(peak);
	free(advice);
	return rc;
}

int cmd_compare(int argc, char **argv)
{
	struct batch_args a;
	struct cfg cfg;
	struct job_list jobs;
	int rc = batch_parse_args(argc, argv, compare_usage, 1, &a);
	if (rc || batch_load(&a, &cfg, &jobs)) {
		strlist_free(&a.sets);
		return rc > 0 ? 0 : 2;
	}
	if (a.format == FORMAT_SIMPLE) {
		error("compare: --format simple has no meaning here; use human or json");
		jobs_free(&jobs);
		cfg_free(&cfg);
		strlist_free(&a.sets);
		return 2;
	}
	struct plan p;
	plan_make(&p, &jobs, a.rounds);
	struct batch b;
	rc = 3;
	if (batch_begin(&b, &a, &cfg, argc, argv, jobs.n * SIDES * a.rounds) == 0) {
		run_rounds(&b, &p);
		json_t *root = batch_finish(&b);
		rc = conclude(&b, &p, root, &a, cfg.name);
		rc = batch_conclude(&b, &a, root, rc);
	}
	batch_free(&b);
	plan_free(&p);
	jobs_free(&jobs);
	cfg_free(&cfg);
	strlist_free(&a.sets);
	return rc;
}
