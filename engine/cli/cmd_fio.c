/*
 * `daxperf fio CONFIG`: fio as the reference. For each job with a fio equivalent, daxperf runs the job,
 * then fio runs the same work on the same file from a generated job file (kept beside the result), and
 * the figures stand side by side with their ratio. Jobs without an equivalent are listed with the reason.
 */
#include "cli/batch.h"
#include "cli/commands.h"
#include "cli/fio_job.h"
#include "cli/fio_quote.h"
#include "lib/paths.h"
#include "result/result.h"
#include "measure/timer.h"
#include "lib/units.h"
#include "lib/util.h"
#include "workloads/workload.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char fio_usage[] =
	"usage: daxperf fio CONFIG [options]\n"
	"\n"
	"Runs each job of CONFIG that fio can also express, then fio on the same file (psync for rw,\n"
	"the mmap engine for mmap loads and stores, libpmem for flushed stores on DAX files), and prints\n"
	"ops/s, MB/s, mean and p99 of both with the ratio daxperf / fio. The fio job files and fio's own\n"
	"JSON are kept in the result directory under fio/.\n"
	"\n"
	"  --rounds N         daxperf / fio rounds, alternating on the same file; medians shown (3)\n"
	"  --dir DIR, --set KEY=VALUE, --output DIR, --force, --format human|json  as for run\n"
	"  -h, --help         this help\n";

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median(double *v, unsigned n)
{
	if (!n)
		return 0;
	qsort(v, n, sizeof(double), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* One job's comparison: its spec (kept for the batch), its row of the result, the files, and each
 * round's figures of both tools (ops/s, bytes/s, mean ns, p99 ns). */
struct fio_cmp {
	struct job_spec *sp;
	json_t *row;
	const char *why;         /* no fio equivalent, and why */
	enum wl_fio kind;
	char reason[512];        /* why the comparison stopped, or what fio would misread */
	char text[3 * PATH_MAX], fio_name[256], fio_path[2 * PATH_MAX];
	char jobfile[PATH_MAX + 64], jsonfile[PATH_MAX + 64];
	double dv[4][100], fv[4][100];
	unsigned done;
	int keep;                /* the job's own keep: else its file goes after its rounds */
};

/* Sets the row's status and reason and prints the job's line; the job is not compared. */
static void row_not_compared(struct fio_cmp *c, const char *status, const char *reason, int human)
{
	json_object_set_new(c->row, "status", json_string(status));
	json_object_set_new(c->row, "reason", json_string(reason));
	if (human)
		printf("%-28.28s %-8s %s\n", c->sp->name, "-", reason);
}

/* Before either tool runs: what fio would misread fails the job, a job fio cannot express is listed
 * with why. 0 to run the rounds, 1 when the job is done (rc set to 1 for a failure). */
static int fio_plan(struct fio_cmp *c, const struct target *t, int human, int *rc)
{
	c->why = fio_job_text(c->sp, -1, "", "", NULL, NULL, c->text, sizeof(c->text), &c->kind);
	/* the file lives in the work directory: its path is checked again once known */
	if (!c->why && (fio_quote(FIO_COMMENT, c->sp->name, c->fio_name, sizeof(c->fio_name), c->reason, sizeof(c->reason)) ||
			fio_quote(FIO_FILENAME, t->workdir, c->fio_path, sizeof(c->fio_path), c->reason, sizeof(c->reason)))) {
		row_not_compared(c, "failed", c->reason, human);
		*rc = 1;
		return 1;
	}
	if (c->why && c->kind != WL_FIO_IF_DAX) {
		row_not_compared(c, "no fio equivalent", c->why, human);
		return 1;
	}
	return 0;
}

static int fio_round(struct fio_cmp *c, struct fio_figures *f)
{
	return fio_round_file(c->jobfile, c->jsonfile, c->text, f, 1, c->reason, sizeof(c->reason));
}

/* A round's figures of both tools for one job. */
static void fio_keep_round(struct fio_cmp *c, const struct job_result *r, const struct fio_figures *f)
{
	double secs = (double)r->runtime_ns / 1e9;
	unsigned d = c->done++;
	c->dv[0][d] = secs > 0 ? (double)r->ops / secs : 0;
	c->dv[1][d] = secs > 0 ? (double)r->bytes / secs : 0;
	c->dv[2][d] = timer_ticks_to_ns(hist_mean(&r->lat));
	c->dv[3][d] = timer_ticks_to_ns(hist_percentile(&r->lat, 99));
	c->fv[0][d] = f->iops, c->fv[1][d] = f->bw, c->fv[2][d] = f->mean_ns, c->fv[3][d] = f->p99_ns;
}

/* daxperf and fio alternate for `rounds` rounds on the same file; returns daxperf's last result,
 * NULL when a signal stopped the batch. */
static struct job_result *fio_rounds(struct fio_cmp *c, struct batch *b, const struct job_list *jobs, size_t i,
				     unsigned rounds, const char *fiodir)
{
	struct job_result *r = NULL;
	/* a relative path starting with '-' would be an option to fio */
	const char *dot = fiodir[0] == '/' ? "" : "./";
	snprintf(c->jobfile, sizeof(c->jobfile), "%s%s/%zu.fio", dot, fiodir, i);
	snprintf(c->jsonfile, sizeof(c->jsonfile), "%s%s/%zu.json", dot, fiodir, i);
	for (unsigned k = 0; k < rounds && !c->reason[0]; k++) {
		r = batch_run(b, c->sp, jobs_after_s(jobs, i, 2 * rounds));
		if (!r)
			break;
		/* fio, another process, reaches the file through this one's descriptor */
		char fio_file[PATH_MAX + 32];
		fmt_into(fio_file, sizeof(fio_file), "/proc/%d/%s", (int)getpid(), r->path + strlen("/proc/self/"));
		if (fio_quote(FIO_FILENAME, fio_file, c->fio_path, sizeof(c->fio_path), c->reason, sizeof(c->reason)))
			break; /* reason says what fio would misread */
		if (r->status != JOB_OK) {
			fmt_into(c->reason, sizeof(c->reason), "daxperf: %s", r->reason);
			break;
		}
		char shown[2 * PATH_MAX], ignored[8];
		fio_quote(FIO_COMMENT, r->shown_path, shown, sizeof(shown), ignored, sizeof(ignored));
		c->why = fio_job_text(c->sp, r->dax_effective, c->fio_path, c->fio_name, NULL, shown, c->text, sizeof(c->text), &c->kind);
		if (c->why) {
			snprintf(c->reason, sizeof(c->reason), "%s", c->why);
			break;
		}
		struct fio_figures f;
		if (fio_round(c, &f) == 0)
			fio_keep_round(c, r, &f);
	}
	return r;
}

/* The figures shown are each tool's median over the rounds; the ratio shown is the ratio of those
 * figures; the verdict follows from every round's own ratio: within 10% only when each round is. */
struct fio_summary {
	double d[4], f[4];        /* daxperf and fio: ops/s, bytes/s, mean ns, p99 ns */
	double ops_ratio, bw_ratio;
	double bw_lo, bw_hi;      /* the rounds' lowest and highest bytes/s ratio */
	const char *agreement;
};

static void fio_summarize(struct fio_cmp *c, struct fio_summary *m)
{
	double rat[100];
	for (int k = 0; k < 4; k++) {
		m->d[k] = median(c->dv[k], c->done);
		m->f[k] = median(c->fv[k], c->done);
	}
	m->ops_ratio = m->f[0] > 0 ? m->d[0] / m->f[0] : 0;
	m->bw_ratio = m->f[1] > 0 ? m->d[1] / m->f[1] : 0;
	for (unsigned k = 0; k < c->done; k++)
		rat[k] = c->fv[1][k] > 0 ? c->dv[1][k] / c->fv[1][k] : 0;
	median(rat, c->done); /* sorts: the lowest and highest round */
	m->bw_lo = c->done ? rat[0] : 0;
	m->bw_hi = c->done ? rat[c->done - 1] : 0;
	m->agreement = m->bw_lo >= 0.9 && m->bw_hi <= 1.1 ? "within 10% in every round"
		       : m->bw_lo > 1 ? "daxperf ahead in every round"
		       : m->bw_hi < 1 ? "fio ahead in every round" : "rounds disagree: each tool ahead in some";
}

static void fio_report(struct fio_cmp *c, const struct fio_summary *m, int human)
{
	json_object_set_new(c->row, "status", json_string("compared"));
	json_object_set_new(c->row, "rounds", json_integer(c->done));
	json_object_set_new(c->row, "fio_job_file", json_string(c->jobfile));
	json_object_set_new(c->row, "daxperf", json_pack("{s:f, s:f, s:f, s:f}", "ops_per_sec", m->d[0], "bytes_per_sec",
							m->d[1], "mean_ns", m->d[2], "p99_ns", m->d[3]));
	json_object_set_new(c->row, "fio", json_pack("{s:f, s:f, s:f, s:f}", "ops_per_sec", m->f[0], "bytes_per_sec",
						    m->f[1], "mean_ns", m->f[2], "p99_ns", m->f[3]));
	json_object_set_new(c->row, "ratio", json_pack("{s:f, s:f, s:[f, f], s:s}", "ops_per_sec", m->ops_ratio,
						      "bytes_per_sec", m->bw_ratio, "bytes_per_sec_rounds", m->bw_lo,
						      m->bw_hi, "agreement", m->agreement));
	if (!human)
		return;
	for (int t = 0; t < 2; t++) {
		const double *v = t ? m->f : m->d;
		char x[4][16];
		format_si(v[0], x[0], sizeof(x[0]));
		snprintf(x[1], sizeof(x[1]), "%.1f", v[1] / 1e6);
		format_latency(v[2], x[2], sizeof(x[2]));
		format_latency(v[3], x[3], sizeof(x[3]));
		printf("%-28.28s %-8s %9s %9s %9s %9s\n", t ? "" : c->sp->name, t ? "fio" : "daxperf", x[0], x[1], x[2], x[3]);
	}
	printf("%-28s %-8s %8.2fx %8.2fx   rounds %.2f-%.2fx: %s\n", "", "ratio", m->ops_ratio, m->bw_ratio, m->bw_lo,
	       m->bw_hi, m->agreement);
}

/* A fresh comparison of job i (its spec kept in specs[i] for the batch), its row in rows. */
static void fio_cmp_start(struct fio_cmp *c, const struct job_list *jobs, struct job_spec *specs, size_t i, json_t *rows)
{
	memset(c, 0, sizeof(*c));
	c->sp = &specs[i];
	*c->sp = jobs->j[i];
	c->keep = c->sp->o.keep;
	c->sp->o.keep = 1;
	fmt_into(c->sp->o.file, sizeof(c->sp->o.file), "fio-%zu.dat", i);
	c->row = json_pack("{s:s}", "name", c->sp->name);
	if (c->sp->o.group[0])
		json_object_set_new(c->row, "group", json_string(c->sp->o.group));
	json_array_append_new(rows, c->row);
}

/* The end of one job's comparison: its row compared, or not with the reason; rc 1 for a failure. */
static void fio_cmp_end(struct fio_cmp *c, int human, int *rc)
{
	if (c->reason[0]) {
		row_not_compared(c, c->why ? "no fio equivalent" : "failed", c->reason, human);
		if (!c->why)
			*rc = 1;
		return;
	}
	struct fio_summary m;
	fio_summarize(c, &m);
	fio_report(c, &m, human);
}

/* The jobs of a group: daxperf runs them together, then fio runs them together from one job file (a
 * section each, each its own reporting group: new_group). A group fio cannot express in full is not
 * run: fio running part of it would not be the same load; every member says why. 0, or -1 when a
 * signal stopped the batch. */
static int fio_group(struct fio_cmp *cs, size_t n, struct batch *b, unsigned rounds, const char *fiodir, size_t first,
		     int human, int *rc)
{
	const char *group = cs[0].sp->o.group;
	const struct fio_cmp *bad = NULL;
	for (size_t i = 0; i < n; i++) {
		struct fio_cmp *c = &cs[i];
		c->why = fio_job_text(c->sp, -1, "", "", NULL, NULL, c->text, sizeof(c->text), &c->kind);
		if (!c->why && (fio_quote(FIO_COMMENT, c->sp->name, c->fio_name, sizeof(c->fio_name), c->reason, sizeof(c->reason)) ||
				fio_quote(FIO_FILENAME, b->tgt.workdir, c->fio_path, sizeof(c->fio_path), c->reason, sizeof(c->reason))))
			bad = bad ? bad : c;
		else if (c->why && c->kind != WL_FIO_IF_DAX)
			bad = bad ? bad : (snprintf(c->reason, sizeof(c->reason), "%s", c->why), c);
	}
	const char *dot = fiodir[0] == '/' ? "" : "./";
	size_t textlen = n * sizeof(cs[0].text);
	char *text = xcalloc(1, textlen);
	struct fio_figures *f = xcalloc(n, sizeof(*f));
	int stopped = 0;
	size_t last = SIZE_MAX; /* where the last round's results start */
	snprintf(cs[0].jobfile, sizeof(cs[0].jobfile), "%s%s/%zu.fio", dot, fiodir, first);
	snprintf(cs[0].jsonfile, sizeof(cs[0].jsonfile), "%s%s/%zu.json", dot, fiodir, first);
	for (unsigned k = 0; k < rounds && !bad; k++) {
		const struct job_spec **specs = xcalloc(n, sizeof(*specs));
		for (size_t i = 0; i < n; i++)
			specs[i] = cs[i].sp;
		size_t at = b->n, ran = batch_run_group(b, specs, n);
		free(specs);
		if (!ran) {
			stopped = 1;
			break;
		}
		last = at;
		char fio_group_name[2 * OPT_NAME_MAX];
		if (fio_quote(FIO_COMMENT, group, fio_group_name, sizeof(fio_group_name), cs[0].reason, sizeof(cs[0].reason))) {
			bad = &cs[0];
			break;
		}
		fmt_into(text, textlen, "; generated by daxperf fio from group %s: its jobs at once, each a reporting group of its own;\n"
					"; rerun: put the file's path in filename= (keep = 1 keeps the file), then fio --output-format=json THIS_FILE\n", fio_group_name);
		for (size_t i = 0; i < n && !bad; i++) {
			struct fio_cmp *c = &cs[i];
			const struct job_result *r = &b->rs[at + i];
			char fio_file[PATH_MAX + 32], section[32], shown[2 * PATH_MAX], ignored[8];
			fmt_into(fio_file, sizeof(fio_file), "/proc/%d/%s", (int)getpid(), r->path + strlen("/proc/self/"));
			snprintf(section, sizeof(section), "job%zu", i);
			fio_quote(FIO_COMMENT, r->shown_path, shown, sizeof(shown), ignored, sizeof(ignored)); /* never fails */
			if (fio_quote(FIO_FILENAME, fio_file, c->fio_path, sizeof(c->fio_path), c->reason, sizeof(c->reason)))
				bad = c;
			else if (r->status != JOB_OK)
				bad = (fmt_into(c->reason, sizeof(c->reason), "daxperf: %s", r->reason), c);
			else if ((c->why = fio_job_text(c->sp, r->dax_effective, c->fio_path, c->fio_name, section, shown, c->text,
							sizeof(c->text), &c->kind)))
				bad = (snprintf(c->reason, sizeof(c->reason), "%s", c->why), c);
			else
				fmt_into(text + strlen(text), textlen - strlen(text), "%s", c->text);
		}
		if (bad)
			break;
		if (fio_round_file(cs[0].jobfile, cs[0].jsonfile, text, f, n, cs[0].reason, sizeof(cs[0].reason))) {
			bad = &cs[0];
			break;
		}
		for (size_t i = 0; i < n; i++)
			fio_keep_round(&cs[i], &b->rs[at + i], &f[i]);
	}
	for (size_t i = 0; i < n && last != SIZE_MAX; i++)
		if (!cs[i].keep)
			unlink(b->rs[last + i].path);
	/* the members the trouble was not about say whose it was */
	for (size_t i = 0; i < n && bad; i++)
		if (&cs[i] != bad) {
			fmt_into(cs[i].reason, sizeof(cs[i].reason), "group %s runs only whole, and [%s] cannot: %s", group,
				 bad->sp->name, bad->reason);
			cs[i].why = bad->why;
		}
	for (size_t i = 0; i < n && !stopped; i++) {
		if (!bad && i)
			snprintf(cs[i].jobfile, sizeof(cs[i].jobfile), "%s", cs[0].jobfile);
		fio_cmp_end(&cs[i], human, rc);
	}
	free(f);
	free(text);
	return stopped ? -1 : 0;
}

/* Every job of the batch: planned, its rounds run, summarised and reported into rows; the jobs of a
 * group together, where its first job stands. */
static int fio_jobs(struct batch *b, const struct job_list *jobs, struct job_spec *specs, unsigned rounds,
		    const char *fiodir, json_t *rows, int human)
{
	int rc = 0;
	struct fio_cmp *c = xcalloc(jobs->n, sizeof(*c));
	for (size_t i = 0; i < jobs->n; i++) {
		const char *group = jobs->j[i].o.group;
		if (group[0]) {
			size_t n = 0, earlier = 0;
			for (size_t k = 0; k < i; k++)
				earlier |= !strcmp(jobs->j[k].o.group, group);
			if (earlier)
				continue;
			for (size_t k = i; k < jobs->n; k++)
				if (!strcmp(jobs->j[k].o.group, group))
					fio_cmp_start(&c[n++], jobs, specs, k, rows);
			if (fio_group(c, n, b, rounds, fiodir, i, human, &rc))
				break;
			continue;
		}
		fio_cmp_start(c, jobs, specs, i, rows);
		if (fio_plan(c, &b->tgt, human, &rc))
			continue;
		struct job_result *r = fio_rounds(c, b, jobs, i, rounds, fiodir);
		if (!r)
			break;
		if (!jobs->j[i].o.keep)
			unlink(r->path);
		fio_cmp_end(c, human, &rc);
	}
	free(c);
	return rc;
}

int cmd_fio(int argc, char **argv)
{
	struct batch_args a;
	struct cfg cfg;
	struct job_list jobs;
	char version[64];
	int rc = batch_parse_args(argc, argv, fio_usage, 1, &a);
	if (rc || batch_load(&a, &cfg, &jobs)) {
		strlist_free(&a.sets);
		return rc > 0 ? 0 : 2;
	}
	if (fio_version(version, sizeof(version))) {
		rc = 3;
		jobs_free(&jobs);
		cfg_free(&cfg);
		strlist_free(&a.sets);
		return rc;
	}
	struct batch b;
	rc = 3;
	if (batch_begin(&b, &a, &cfg, argc, argv, jobs.n) == 0) {
		char fiodir[PATH_MAX + 8];
		snprintf(fiodir, sizeof(fiodir), "%s/fio", b.out.dir);
		int mk = make_dirs(fiodir), human = a.format == FORMAT_HUMAN;
		json_t *rows = json_array();
		if (human) {
			report_header(stdout, cfg.name, &b.tgt);
			printf("%s on the same files, %u alternating rounds; figures are each tool's median, the ratio is of "
			       "those medians,\nand the verdict follows from every round's own ratio\n\n"
			       "%-28s %-8s %9s %9s %9s %9s\n", version, a.rounds, "job", "tool", "ops/s", "MB/s", "mean", "p99");
		}
		/* results point at their spec, so the specs live as long as the batch */
		struct job_spec *specs = xcalloc(jobs.n, sizeof(*specs));
		rc = mk ? 0 : fio_jobs(&b, &jobs, specs, a.rounds, fiodir, rows, human);
		if (mk)
			error("%s: cannot create: %s", fiodir, strerror(-mk));
		json_t *root = batch_finish(&b);
		json_object_set_new(root, "fio", json_pack("{s:s, s:s, s:o}", "version", version, "ratio",
							   "daxperf / fio, of the medians", "jobs", rows));
		if (!mk)
			note("fio job files and fio's own JSON in %s", fiodir);
		rc = batch_conclude(&b, &a, root, mk ? 3 : rc);
		batch_free(&b);
		free(specs);
	} else {
		batch_free(&b);
	}
	jobs_free(&jobs);
	cfg_free(&cfg);
	strlist_free(&a.sets);
	return rc;
}
