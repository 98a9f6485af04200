#include "result/stats.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

const char stats_method[] =
	"Welch's t-test on the per-round figures (95% CI of the difference of means); a change counts only "
	"when that CI excludes 0, the mean +/- 1.96 sd intervals do not overlap (mmtests), new min is beyond "
	"base median and new median beyond base max (LKP), and |change| >= the threshold; 3 rounds a side at least";

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

void stats_summarize(const double *x, unsigned n, struct stats_summary *s)
{
	memset(s, 0, sizeof(*s));
	s->n = n;
	if (!n)
		return;
	double *sorted = malloc(n * sizeof(*sorted));
	if (!sorted)
		abort();
	memcpy(sorted, x, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), cmp_double);
	double sum = 0;
	for (unsigned i = 0; i < n; i++)
		sum += x[i];
	s->mean = sum / n;
	/* two passes: the textbook sum-of-squares form loses everything at 1e6 ops/s with 0.1% noise */
	double ss = 0;
	for (unsigned i = 0; i < n; i++)
		ss += (x[i] - s->mean) * (x[i] - s->mean);
	s->sd = n > 1 ? sqrt(ss / (n - 1)) : 0;
	s->min = sorted[0];
	s->max = sorted[n - 1];
	s->median = n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
	free(sorted);
}

/* LKP: an increase counts when new min > base median and new median > base max; a decrease mirrored. */
static int lkp_apart(const struct stats_summary *b, const struct stats_summary *n, int up)
{
	return up ? n->min > b->median && n->median > b->max : n->max < b->median && n->median < b->min;
}

void stats_compare(const double *base, unsigned nbase, const double *new, unsigned nnew, int lower_is_better,
		   double threshold_pct, struct stats_compare *out)
{
	memset(out, 0, sizeof(*out));
	stats_summarize(base, nbase, &out->base);
	stats_summarize(new, nnew, &out->new);
	const struct stats_summary *b = &out->base, *n = &out->new;
	if (nbase < STATS_MIN_SAMPLES || nnew < STATS_MIN_SAMPLES) {
		out->verdict = STATS_TOO_FEW;
		out->change_pct = b->mean != 0 && nbase && nnew ? (n->mean - b->mean) / b->mean * 100 : NAN;
		out->ci_lo_pct = out->ci_hi_pct = NAN;
		return;
	}
	if (b->mean == 0) {
		out->verdict = STATS_NO_BASELINE;
		out->change_pct = out->ci_lo_pct = out->ci_hi_pct = NAN;
		return;
	}
	double d = n->mean - b->mean;
	double vb = b->sd * b->sd / nbase, vn = n->sd * n->sd / nnew, se = sqrt(vb + vn);
	/* Welch-Satterthwaite; with no spread on either side the pooled form's n1 + n2 - 2 */
	out->df = vb + vn > 0 ? (vb + vn) * (vb + vn) / (vb * vb / (nbase - 1) + vn * vn / (nnew - 1))
			      : (double)(nbase + nnew - 2);
	double t = gsl_cdf_tdist_Pinv(0.975, out->df);
	double scale = 100 / fabs(b->mean);
	out->change_pct = d * scale;
	out->ci_lo_pct = (d - t * se) * scale;
	out->ci_hi_pct = (d + t * se) * scale;
	out->welch = out->ci_lo_pct > 0 || out->ci_hi_pct < 0;
	int up = d > 0;
	out->sd_apart = up ? n->mean - 1.96 * n->sd > b->mean + 1.96 * b->sd
			   : n->mean + 1.96 * n->sd < b->mean - 1.96 * b->sd;
	out->lkp = lkp_apart(b, n, up);
	out->floor = fabs(out->change_pct) >= threshold_pct;
	if (!(out->welch && out->sd_apart && out->lkp && out->floor))
		out->verdict = STATS_NO_CHANGE;
	else
		out->verdict = up == !lower_is_better ? STATS_IMPROVED : STATS_REGRESSED;
}

const char *stats_verdict_name(enum stats_verdict v)
{
	static const char *const names[] = {
		[STATS_NO_CHANGE] = "no significant change",
		[STATS_REGRESSED] = "regressed",
		[STATS_IMPROVED] = "improved",
		[STATS_TOO_FEW] = "cannot tell",
		[STATS_NO_BASELINE] = "no baseline",
	};
	return v < sizeof(names) / sizeof(names[0]) ? names[v] : "?";
}
