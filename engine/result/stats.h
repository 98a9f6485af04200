/*
 * Is a difference between two sets of per-round figures real? Welch's t-test (95% confidence interval
 * of the difference of means, t quantile from GSL), and, so that a verdict is never looser than the
 * tools kernel developers already trust, mmtests' rule (mean +/- 1.96 sd intervals do not overlap),
 * LKP's rule (new min beyond base median and new median beyond base max) and a minimum effect.
 * Computation only; nothing here prints.
 */
#ifndef DAXPERF_STATS_H
#define DAXPERF_STATS_H

#define STATS_MIN_SAMPLES 3

struct stats_summary {
	unsigned n;
	double mean, sd, min, median, max;
};

enum stats_verdict {
	STATS_NO_CHANGE,    /* no significant change */
	STATS_REGRESSED,
	STATS_IMPROVED,
	STATS_TOO_FEW,      /* fewer than STATS_MIN_SAMPLES on a side: cannot tell */
	STATS_NO_BASELINE,  /* base mean is 0: no percentage */
};

struct stats_compare {
	struct stats_summary base, new;
	double change_pct;             /* (new - base) / base, in percent of the base mean */
	double ci_lo_pct, ci_hi_pct;   /* Welch 95% CI of new - base, in percent of the base mean */
	double df;                     /* Welch-Satterthwaite degrees of freedom */
	int welch;                     /* the CI excludes 0 */
	int sd_apart;                  /* mmtests: mean +/- 1.96 sd of the two sides do not overlap */
	int lkp;                       /* LKP: min/median of one side beyond median/max of the other */
	int floor;                     /* |change| >= the threshold */
	enum stats_verdict verdict;
};

/* n, mean, sample standard deviation, min, median, max of x (not changed). */
void stats_summarize(const double *x, unsigned n, struct stats_summary *s);

/* Compares new against base; lower_is_better for latencies. A change is significant only when all
 * four tests agree. threshold_pct is the minimum effect (1 for 1%). */
void stats_compare(const double *base, unsigned nbase, const double *new, unsigned nnew, int lower_is_better,
		   double threshold_pct, struct stats_compare *out);

const char *stats_verdict_name(enum stats_verdict v);

/* One line naming the method, for the report and the JSON. */
extern const char stats_method[];

#endif
