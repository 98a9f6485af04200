/*
 * Log-linear latency histogram (HdrHistogram / fio style) over timer ticks.
 *
 * With B sub-bucket bits, values below 2^(B+1) get a bucket each (exact); above, every power of two
 * is cut into 2^B equal buckets, so a bucket is at most 1/2^B of its lower bound wide. Reporting the
 * bucket midpoint bounds the relative error by 1/2^(B+1):
 *   B = 7 (job histograms):      width <= 0.78%, error <= 0.39%   (the "under 1%" bound)
 *   B = 4 (timeline windows):    width <= 6.25%, error <= 3.2%
 * Min, max, mean and stddev are exact (kept beside the buckets).
 */
#ifndef DAXPERF_HIST_H
#define DAXPERF_HIST_H

#include <stdint.h>
#include <stddef.h>

#define HIST_FINE_BITS 7
#define HIST_COARSE_BITS 4
#define HIST_VALUE_BITS 48 /* ticks up to 2^48: about a day at 3 GHz */

struct hist {
	unsigned bits;
	unsigned nbuckets;
	uint64_t count;
	uint64_t min, max;
	uint64_t sum;              /* integer sums: exact, and cheaper than doubles in the timed loop */
	unsigned __int128 sumsq;
	uint64_t *buckets;
};

/* Buckets needed for `bits` sub-bucket bits over HIST_VALUE_BITS of range. */
static inline unsigned hist_nbuckets(unsigned bits)
{
	return (HIST_VALUE_BITS + 1 - bits) << bits;
}

static inline unsigned hist_index(unsigned bits, uint64_t v)
{
	if (v < (2ull << bits))
		return (unsigned)v;
	if (v >> HIST_VALUE_BITS)
		v = (1ull << HIST_VALUE_BITS) - 1;
	unsigned msb = 63u - (unsigned)__builtin_clzll(v);
	unsigned shift = msb - bits;
	return ((shift + 1) << bits) + (unsigned)((v >> shift) - (1ull << bits));
}

/* The add of the timed loop: no branches beyond min/max, no allocation. */
static inline void hist_add_n(struct hist *h, uint64_t v, uint64_t n)
{
	h->buckets[hist_index(h->bits, v)] += n;
	h->count += n;
	h->sum += v * n;
	h->sumsq += (unsigned __int128)v * v * n;
	if (v < h->min)
		h->min = v;
	if (v > h->max)
		h->max = v;
}

static inline void hist_add(struct hist *h, uint64_t v)
{
	hist_add_n(h, v, 1);
}

/* Allocates an empty histogram; 0 or -ENOMEM. */
int hist_init(struct hist *h, unsigned bits);
void hist_free(struct hist *h);
void hist_reset(struct hist *h);
/* Drops the empty buckets past the last used one, once nothing more is added (a finished job keeps
 * what it measured, not 43 KiB of zeros); 0, or -ENOMEM with the histogram unchanged. */
int hist_compact(struct hist *h);
/* Adds every sample of src (same bits) to dst; dst has at least src's buckets (a fresh or full one). */
void hist_merge(struct hist *dst, const struct hist *src);
/* Lowest value and one past the highest value of bucket i. */
void hist_bucket_range(unsigned bits, unsigned i, uint64_t *lo, uint64_t *hi);
/* Value at percentile p (0 < p <= 100): the midpoint of its bucket, clamped to [min, max]. */
double hist_percentile(const struct hist *h, double p);
double hist_mean(const struct hist *h);
double hist_stddev(const struct hist *h);

#endif
