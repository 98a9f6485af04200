#include "result/peak.h"
#include "run/jobs.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void peak_mix_label(const char *rw, const char *persist, char *out, size_t len)
{
	char base[32];
	int nt = persist && !strcmp(persist, "nt");
	if (!rw)
		rw = "";
	if (!strcmp(rw, "read"))
		snprintf(base, sizeof(base), "all reads");
	else if (!strcmp(rw, "write"))
		snprintf(base, sizeof(base), "%s", nt ? "nt writes" : "all writes");
	else if (!strncmp(rw, "mix:", 4)) {
		/* reads to writes as a ratio of small integers where the percentage is within one of it
		 * (67 -> 2:1, since 2:1 is 66.7% reads) */
		double p = strtod(rw + 4, NULL), r = p < 100 ? round(p / (100 - p)) : 0, w = p > 0 ? round((100 - p) / p) : 0;
		if (p > 0 && p < 100 && r >= 1 && fabs(p - 100 * r / (r + 1)) <= 1)
			snprintf(base, sizeof(base), "%.0f:1", r);
		else if (p > 0 && p < 100 && w > 1 && fabs(p - 100 / (w + 1)) <= 1)
			snprintf(base, sizeof(base), "1:%.0f", w);
		else
			snprintf(base, sizeof(base), "%.0f%% reads", p);
	} else
		snprintf(base, sizeof(base), "%.24s", rw);
	/* a persist other than none (and nt on pure writes, named already) changes what a mix costs */
	if (persist && *persist && strcmp(persist, "none") && !(nt && !strcmp(rw, "write")))
		snprintf(out, len, "%s (%.12s)", base, persist);
	else
		snprintf(out, len, "%s", base);
}

int peak_job(const char *workload, const char *swept)
{
	if (!workload || strcmp(workload, "mmap") || !swept)
		return 0;
	int threads = 0;
	for (const char *k = swept; *k;) {
		size_t klen = strcspn(k, "=,");
		if (klen == 7 && !strncmp(k, "threads", 7))
			threads = 1;
		else if (!(klen == 2 && !strncmp(k, "rw", 2)) && !(klen == 7 && !strncmp(k, "persist", 7)))
			return 0;
		k += strcspn(k, ",");
		k += *k == ',';
	}
	return threads;
}

void peak_add(struct peak_table *t, const char *workload, const char *swept, const char *rw, const char *persist,
	      const char *threads, int ok, double bytes_per_sec)
{
	char *end;
	unsigned long th = threads ? strtoul(threads, &end, 10) : 0;
	if (!peak_job(workload, swept) || !th || *end)
		return;
	char label[48];
	peak_mix_label(rw, persist, label, sizeof(label));
	size_t r = 0, c = 0;
	while (r < t->nrows && strcmp(t->rows[r], label))
		r++;
	if (r == t->nrows) {
		if (r == PEAK_ROWS)
			return;
		snprintf(t->rows[t->nrows++], sizeof(t->rows[0]), "%s", label);
	}
	while (c < t->ncols && t->threads[c] < th)
		c++;
	if (c == t->ncols || t->threads[c] != th) {
		if (t->ncols == PEAK_COLS)
			return;
		/* a new column in its place: thread counts ascend */
		for (size_t k = t->ncols; k > c; k--) {
			t->threads[k] = t->threads[k - 1];
			for (size_t i = 0; i < PEAK_ROWS; i++) {
				t->mbs[i][k] = t->mbs[i][k - 1];
				t->have[i][k] = t->have[i][k - 1];
			}
		}
		for (size_t i = 0; i < PEAK_ROWS; i++)
			t->have[i][c] = 0;
		t->threads[c] = (unsigned)th;
		t->ncols++;
	}
	if (t->have[r][c])
		return;
	t->have[r][c] = ok ? 1 : -1;
	t->mbs[r][c] = ok ? bytes_per_sec / 1e6 : 0;
}

int peak_ready(const struct peak_table *t)
{
	return t->nrows >= 2 && t->ncols >= 2;
}

/* Collects a job's rw and persist from its effective options. */
struct mix_opts {
	char rw[32], persist[32], threads[16];
};

static void take_option(void *ctx, const char *name, const char *value)
{
	struct mix_opts *m = ctx;
	if (!strcmp(name, "rw"))
		snprintf(m->rw, sizeof(m->rw), "%s", value);
	else if (!strcmp(name, "persist"))
		snprintf(m->persist, sizeof(m->persist), "%s", value);
	else if (!strcmp(name, "threads"))
		snprintf(m->threads, sizeof(m->threads), "%s", value);
}

void peak_add_job(struct peak_table *t, const struct job_spec *spec, int ok, double bytes_per_sec)
{
	struct mix_opts m = { "", "", "" };
	jobs_each_option(spec, take_option, &m);
	peak_add(t, spec->wl->name, spec->swept, m.rw, m.persist, m.threads, ok, ok ? bytes_per_sec : 0);
}

void peak_print(FILE *f, const struct peak_table *t, const char *label)
{
	int measured = 0, missing = 0;
	for (size_t r = 0; r < t->nrows; r++)
		for (size_t c = 0; c < t->ncols; c++)
			measured |= t->have[r][c] == 1;
	if (!peak_ready(t) || !measured) /* a side that never ran says so in its jobs, not in a table of dashes */
		return;
	fprintf(f, "\npeak bandwidth (MB/s) by read:write mix and threads%s%s\n%-20s", label ? ", " : "", label ? label : "",
		"mix \\ threads");
	for (size_t c = 0; c < t->ncols; c++)
		fprintf(f, " %10u", t->threads[c]);
	fputc('\n', f);
	for (size_t r = 0; r < t->nrows; r++) {
		fprintf(f, "%-20s", t->rows[r]);
		for (size_t c = 0; c < t->ncols; c++)
			if (t->have[r][c] == 1)
				fprintf(f, " %10.1f", t->mbs[r][c]);
			else
				fprintf(f, " %10s", "-"), missing = 1;
		fputc('\n', f);
	}
	if (missing)
		fprintf(f, "-: no such job, or it did not run (see the jobs above)\n");
}

void report_peak(FILE *f, const struct job_result *rs, size_t n)
{
	struct peak_table *t = calloc(1, sizeof(*t));
	if (!t)
		return;
	for (size_t i = 0; i < n; i++) {
		const struct job_result *r = &rs[i];
		int ok = r->status == JOB_OK && r->ops && r->runtime_ns;
		peak_add_job(t, r->spec, ok, ok ? (double)r->bytes / ((double)r->runtime_ns / 1e9) : 0);
	}
	peak_print(f, t, NULL);
	free(t);
}
