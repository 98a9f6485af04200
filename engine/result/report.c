#include "result/report.h"
#include "result/pacing.h"
#include "result/groups.h"
#include "result/peak.h"
#include "measure/host.h"
#include "measure/timer.h"
#include "lib/units.h"
#include "lib/util.h"
#include "workloads/workload.h"

#include <string.h>

double headline(const struct job_result *r, const char **unit)
{
	double secs = (double)r->runtime_ns / 1e9;
	if (r->spec->wl->headline == WL_HEADLINE_MEAN_LATENCY) {
		*unit = "ns mean load latency";
		return timer_ticks_to_ns(hist_mean(&r->lat));
	}
	if (r->spec->o.pattern.kind == PATTERN_SEQ) {
		*unit = "bytes/s";
		return secs > 0 ? (double)r->bytes / secs : 0;
	}
	*unit = "ops/s";
	return secs > 0 ? (double)r->ops / secs : 0;
}

/* The relative spread of a job's per-round ops/s, (max - min) / mean; 0 for one round. */
static double round_spread(const struct job_result *r)
{
	if (r->nrounds < 2)
		return 0;
	double lo = r->rounds[0].ops_per_sec, hi = lo, sum = 0;
	for (unsigned k = 0; k < r->nrounds; k++) {
		double v = r->rounds[k].ops_per_sec;
		lo = v < lo ? v : lo;
		hi = v > hi ? v : hi;
		sum += v;
	}
	return sum > 0 ? (hi - lo) / (sum / r->nrounds) : 0;
}

/* Groups with a latency member: the loaded-latency table, one row per run of the group (and side,
 * in compare and sweep --numa: their rounds merged). */
void report_groups(FILE *f, const struct job_result *rs, size_t n)
{
	struct group_run runs[256];
	size_t count = group_runs(rs, n, runs, 256);
	int header = 0, series = 0, merged = 0, shared = 0;
	for (size_t i = 0; i < count; i++) {
		series |= runs[i].series[0] != '\0';
		merged |= runs[i].rounds > 1;
	}
	for (size_t i = 0; i < count; i++) {
		const struct group_run *g = &runs[i];
		if (!g->latency || g->members < 2)
			continue;
		if (!header++) {
			fprintf(f, "\nloaded latency: each group's latency job beside the load of its other jobs%s\n",
				merged ? "; the rounds of a run merged" : "");
			fprintf(f, "%-32s %-24s %12s %10s %10s\n", "group run", series ? "ran on" : "latency job", "load MB/s",
				"mean", "p99");
		}
		char mean[16] = "-", p99[16] = "-";
		if (g->lat.count) {
			format_latency(timer_ticks_to_ns(hist_mean(&g->lat)), mean, sizeof(mean));
			format_latency(timer_ticks_to_ns(hist_percentile(&g->lat, 99)), p99, sizeof(p99));
		}
		const char *who = series ? g->series : g->latency->spec->name;
		if (!g->ok && !g->lat.count)
			fprintf(f, "%-32s %-24s %s\n", g->group, who, g->why && g->why[0] ? g->why : "did not run");
		else
			fprintf(f, "%-32s %-24s %12.1f %10s %10s%s%s\n", g->group, who, g->load_bytes_per_sec / 1e6, mean, p99,
				g->ok ? "" : "  (a member did not run in every round: see the jobs)",
				g->threads > g->cpus ? "  *" : "");
		shared |= g->threads > g->cpus;
	}

	/* the zero-load references, once each: the latency job's work with nothing beside it */
	for (size_t i = 0; i < count && header; i++) {
		const struct group_run *g = &runs[i];
		int shown = !g->idle || !g->idle_lat.count;
		for (size_t k = 0; k < i && !shown; k++)
			shown = runs[k].idle == g->idle;
		if (shown)
			continue;
		char mean[16], p99[16];
		format_latency(timer_ticks_to_ns(hist_mean(&g->idle_lat)), mean, sizeof(mean));
		format_latency(timer_ticks_to_ns(hist_percentile(&g->idle_lat, 99)), p99, sizeof(p99));
		fprintf(f, "%-32s %-24s %12.1f %10s %10s\n", "no load (alone)", series ? g->series : g->idle->spec->name, 0.0,
			mean, p99);
	}
	if (shared) /* the latency then includes waiting for the CPU: the curve shows sharing, not the medium */
		fprintf(f, "* its jobs' threads outnumbered the CPUs they were pinned to, so they took turns on a CPU: the "
			   "latency includes that wait\n");
	group_runs_free(runs, count);
}

/* "paced: asked rate = 200m (209.7 MB/s), reached 200.4 MB/s (95.6%): the asked rate was not met",
 * the asked rate in the user's own spelling. */
static void report_pacing(FILE *f, const struct job_result *r, const struct pacing *p)
{
	char asked[64], reached[32];
	if (r->spec->o.rate) {
		char spelled[32];
		format_size(r->spec->o.rate, spelled, sizeof(spelled));
		fmt_into(asked, sizeof(asked), "rate = %s (%.1f MB/s)", spelled, p->asked / 1e6);
		fmt_into(reached, sizeof(reached), "%.1f MB/s", p->reached / 1e6);
	} else {
		char si[16];
		fmt_into(asked, sizeof(asked), "rate_iops = %.0f", p->asked);
		format_si(p->reached, si, sizeof(si));
		fmt_into(reached, sizeof(reached), "%s ops/s", si);
	}
	fprintf(f, "  %s: paced: asked %s, reached %s (%.1f%%)%s\n", r->spec->name, asked, reached,
		100 * p->reached / p->asked, p->met ? "" : ": the asked rate was not met");
}

/* Whether a clock read is a quarter or more of the job's median timed op (every op timed). */
static int clock_heavy(const struct job_result *r, double *p50)
{
	if (r->status != JOB_OK || !r->lat.count || strcmp(r->latency_mode, "every op timed"))
		return 0;
	*p50 = timer_ticks_to_ns(hist_percentile(&r->lat, 50));
	return *p50 > 0 && timer.overhead_ns > 0.25 * *p50;
}

void report_clock_share(FILE *f, const struct job_result *rs, size_t n)
{
	size_t named = 0;
	char clock[16];
	format_latency(timer.overhead_ns, clock, sizeof(clock));
	for (size_t i = 0; i < n; i++) {
		double p50;
		int seen = 0;
		for (size_t k = 0; k < i && !seen; k++)
			seen = !strcmp(rs[k].spec->name, rs[i].spec->name);
		if (seen || !clock_heavy(&rs[i], &p50))
			continue;
		if (named++)
			fprintf(f, ", %s", rs[i].spec->name);
		else
			fprintf(f, "\nclock: a read costs %s, a quarter or more of the p50 of %s", clock, rs[i].spec->name);
	}
	if (named)
		fprintf(f, ": their latencies are largely the clock's; lat_sample = 64 or lat_batch = 256 time one op in many\n");
}

void report_notes(FILE *f, const struct job_result *rs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct job_result *r = &rs[i];
		if (r->status != JOB_OK || !r->lat.count)
			continue;
		const char *name = r->spec->name;
		double mean = timer_ticks_to_ns(hist_mean(&r->lat)), p50 = timer_ticks_to_ns(hist_percentile(&r->lat, 50));
		double p99 = timer_ticks_to_ns(hist_percentile(&r->lat, 99));
		char a[16], b[16];
		if (mean > p99) {
			format_latency(mean, a, sizeof(a));
			format_latency(timer_ticks_to_ns((double)r->lat.max), b, sizeof(b));
			fprintf(f, "  %s: mean %s above p99: fewer than 1%% of ops (max %s) carry the mean; see the timeline\n",
				name, a, b);
		}
		struct pacing pace;
		if (pacing_of(r, &pace) == 0)
			report_pacing(f, r, &pace);
		double spread = round_spread(r);
		if (spread > 0.5)
			fprintf(f, "  %s: rounds disagree (ops/s spread %.0f%% of the mean): see the timeline\n", name,
				spread * 100);
		/* a timed op pays one clock read: where that is a large share, the figures are the clock's */
		if (clock_heavy(r, &p50)) {
			format_latency(timer.overhead_ns, a, sizeof(a));
			format_latency(p50, b, sizeof(b));
			if (timer.overhead_ns > p50)
				fprintf(f, "  %s: p50 %s is below the clock overhead measured at start (%s): the clock's cost "
					   "varies here, so latencies this short are not resolved; use lat_sample or lat_batch\n",
					name, b, a);
			else
				fprintf(f, "  %s: a clock read (%s) is %.0f%% of the p50 (%s): use lat_sample = 64 or "
					   "lat_batch = 256 to time one op in many\n", name, a, 100 * timer.overhead_ns / p50, b);
		}
	}
}

void report_header(FILE *f, const char *config, const struct target *t)
{
	fprintf(f, "config %s on %s (%s", config, t->dir, t->fs.fstype);
	if (t->fs.device[0])
		fprintf(f, " on %s", t->fs.device);
	fprintf(f, ", %s)\n", t->fs.dax_capable == 1 ? "device DAX capable"
			      : t->fs.dax_capable == 0 ? "device not DAX capable" : "no block device");
	fprintf(f, "timer %s: resolution %.1f ns, overhead %.1f ns per timed op (median of back-to-back reads "
		   "at start; each timed op includes one)\n",
		timer.source, timer.resolution_ns, timer.overhead_ns);
	if (host_emulated())
		fprintf(f, "EMULATED: the lab (QEMU TCG, memmap= pmem, emulated NUMA distances): figures show software-path "
			   "costs only; behaviour is real\n");
}

static const char *status_word(const struct job_result *r)
{
	if (r->interrupted)
		return "stopped";
	return r->status == JOB_OK ? "ok" : r->status == JOB_SKIPPED ? "skipped" : "FAILED";
}

/* One line of what poison did to a job (over the results given: the rounds of a compare side):
 * injected, hit (how), recovered (how fast, data checked), lost, left. */
void report_poison(FILE *f, const char *label, const struct job_result *const *rs, unsigned n)
{
	const struct poison_job *first = NULL;
	unsigned pages = 0, stopped = 0, left = 0;
	uint64_t hits = 0, via[3] = { 0 }, recovered = 0, data_ok = 0, lost = 0, rec_count = 0, rec_max = 0;
	double rec_sum = 0;
	for (unsigned i = 0; i < n; i++) {
		const struct poison_job *pj = rs[i]->poison;
		if (!pj)
			continue;
		first = first ? first : pj;
		pages += pj->npages;
		hits += pj->hits;
		for (int k = 0; k < 3; k++)
			via[k] += pj->hits_via[k];
		recovered += pj->recovered;
		lost += pj->lost;
		stopped += pj->threads_stopped;
		left += pj->left_poisoned;
		rec_count += pj->recovery.count;
		rec_sum += hist_mean(&pj->recovery) * (double)pj->recovery.count;
		rec_max = pj->recovery.max > rec_max ? pj->recovery.max : rec_max;
		data_ok += pj->recovered_data_ok;
	}
	if (!first)
		return;
	fprintf(f, "  %s: poison %s: %u pages injected, %llu hits (%llu SIGBUS, %llu EIO, %llu emulated)", label,
		first->backend == POISON_EMULATED ? "EMULATED" : poison_backend_names[first->backend], pages, (unsigned long long)hits, (unsigned long long)via[HIT_SIGBUS],
		(unsigned long long)via[HIT_EIO], (unsigned long long)via[HIT_EMULATED]);
	if (recovered) {
		char mean[16], max[16];
		format_latency(timer_ticks_to_ns(rec_sum / (double)(rec_count ? rec_count : 1)), mean, sizeof(mean));
		format_latency(timer_ticks_to_ns((double)rec_max), max, sizeof(max));
		fprintf(f, ", %llu recovered by %s (mean %s, max %s; data checked %llu/%llu)", (unsigned long long)recovered,
			poison_recover_names[first->o->recover], mean, max, (unsigned long long)data_ok,
			(unsigned long long)recovered);
	}
	if (lost)
		fprintf(f, ", %llu lost (%s)", (unsigned long long)lost, poison_recover_names[first->o->recover]);
	if (stopped)
		fprintf(f, ", %u threads stopped", stopped);
	fprintf(f, ", %u left poisoned\n", left);
	if (first->note[0])
		fprintf(f, "    %s\n", first->note);
}

void report_table(FILE *f, const struct job_result *rs, size_t n)
{
	size_t w = 4;
	for (size_t i = 0; i < n; i++)
		if (strlen(rs[i].spec->name) > w)
			w = strlen(rs[i].spec->name);
	if (w > 48)
		w = 48;
	fprintf(f, "%-*s %-7s %-4s %9s %9s %9s %9s %9s %9s %9s\n", (int)w, "job", "status", "dax", "ops/s", "MB/s", "mean",
		"p50", "p99", "p99.9", "max");
	for (size_t i = 0; i < n; i++) {
		const struct job_result *r = &rs[i];
		const char *dax = r->dax_effective < 0 ? "?" : r->dax_effective ? "yes" : "no";
		fprintf(f, "%-*.*s %-7s %-4s", (int)w, (int)w, r->spec->name, status_word(r), dax);
		if (r->status != JOB_OK || !r->ops) {
			fprintf(f, " %s\n", r->reason[0] ? r->reason : "no operations completed");
			continue;
		}
		double secs = (double)r->runtime_ns / 1e9;
		char ops[16], mbs[16], lat[5][16];
		format_si((double)r->ops / secs, ops, sizeof(ops));
		snprintf(mbs, sizeof(mbs), "%.1f", (double)r->bytes / secs / 1e6);
		format_latency(timer_ticks_to_ns(hist_mean(&r->lat)), lat[0], sizeof(lat[0]));
		static const double ps[] = { 50, 99, 99.9 };
		for (int k = 0; k < 3; k++)
			format_latency(timer_ticks_to_ns(hist_percentile(&r->lat, ps[k])), lat[k + 1], sizeof(lat[k + 1]));
		format_latency(timer_ticks_to_ns((double)r->lat.max), lat[4], sizeof(lat[4]));
		fprintf(f, " %9s %9s %9s %9s %9s %9s %9s\n", ops, mbs, lat[0], lat[1], lat[2], lat[3], lat[4]);
	}
	report_notes(f, rs, n);
	for (size_t i = 0; i < n; i++)
		if (rs[i].detail[0])
			fprintf(f, "  %s: %s\n", rs[i].spec->name, rs[i].detail);
	for (size_t i = 0; i < n; i++) {
		const struct job_result *one = &rs[i];
		report_poison(f, rs[i].spec->name, &one, 1);
	}
	/* one line per latency mode other than the default, not one per job */
	for (size_t i = 0; i < n; i++) {
		const char *mode = rs[i].latency_mode;
		size_t count = 0, first = i;
		for (size_t k = 0; k < n; k++) {
			if (strcmp(rs[k].latency_mode, mode))
				continue;
			if (k < i)
				first = k;
			count++;
		}
		if (first == i && strcmp(mode, "every op timed"))
			fprintf(f, "  latency of %s%s: %s\n", count == n ? "every job" : rs[i].spec->name,
				count > 1 && count < n ? " and others" : "", mode);
	}
	report_groups(f, rs, n);
	report_peak(f, rs, n);
}

void report_simple(FILE *f, const struct job_result *rs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *unit;
		if (rs[i].status != JOB_OK)
			fprintf(f, "nan\n");
		else
			fprintf(f, "%.6g\n", headline(&rs[i], &unit));
	}
}

void status_progress(void *ctx, const struct job_result *r, double elapsed_s, uint64_t ops)
{
	struct status_ctx *s = ctx;
	if (!s->enabled)
		return;
	char rate[16];
	format_si(elapsed_s > 0 ? (double)ops / elapsed_s : 0, rate, sizeof(rate));
	double total = (double)r->spec->o.runtime_ns / 1e9;
	double eta = (total > elapsed_s ? total - elapsed_s : 0) + s->after_s;
	fprintf(stderr, "\r\033[K[%zu/%zu] %.40s  %.1fs/%.1fs  %s ops/s  ETA %.0fs", s->index + 1, s->total,
		r->spec->name, elapsed_s, total, rate, eta);
	fflush(stderr);
}

void status_clear(struct status_ctx *s)
{
	if (s->enabled) {
		fprintf(stderr, "\r\033[K");
		fflush(stderr);
	}
}
