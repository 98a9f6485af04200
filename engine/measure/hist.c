#include "measure/hist.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int hist_init(struct hist *h, unsigned bits)
{
	memset(h, 0, sizeof(*h));
	h->bits = bits;
	h->nbuckets = hist_nbuckets(bits);
	h->buckets = calloc(h->nbuckets, sizeof(uint64_t));
	if (!h->buckets)
		return -ENOMEM;
	h->min = UINT64_MAX;
	return 0;
}

void hist_free(struct hist *h)
{
	free(h->buckets);
	h->buckets = NULL;
}

void hist_reset(struct hist *h)
{
	memset(h->buckets, 0, h->nbuckets * sizeof(uint64_t));
	h->count = 0;
	h->sum = 0;
	h->sumsq = 0;
	h->min = UINT64_MAX;
	h->max = 0;
}

void hist_merge(struct hist *dst, const struct hist *src)
{
	/* a compacted src has fewer buckets than dst; one whose buckets dst lacks is never merged */
	unsigned n = src->nbuckets < dst->nbuckets ? src->nbuckets : dst->nbuckets;
	for (unsigned i = 0; i < n; i++)
		dst->buckets[i] += src->buckets[i];
	dst->count += src->count;
	dst->sum += src->sum;
	dst->sumsq += src->sumsq;
	if (src->min < dst->min)
		dst->min = src->min;
	if (src->max > dst->max)
		dst->max = src->max;
}

int hist_compact(struct hist *h)
{
	unsigned keep = h->nbuckets;
	while (keep > 1 && !h->buckets[keep - 1])
		keep--;
	if (keep == h->nbuckets)
		return 0;
	uint64_t *b = realloc(h->buckets, keep * sizeof(uint64_t));
	if (!b)
		return -ENOMEM;
	h->buckets = b;
	h->nbuckets = keep;
	return 0;
}

void hist_bucket_range(unsigned bits, unsigned i, uint64_t *lo, uint64_t *hi)
{
	if (i < (2u << bits)) {
		*lo = i;
		*hi = (uint64_t)i + 1;
		return;
	}
	unsigned shift = (i >> bits) - 1;
	uint64_t sub = (1ull << bits) + (i & ((1u << bits) - 1));
	*lo = sub << shift;
	*hi = (sub + 1) << shift;
}

double hist_percentile(const struct hist *h, double p)
{
	if (!h->count)
		return 0;
	/* the smallest value with at least p% of the samples at or below it */
	uint64_t rank = (uint64_t)ceil(p / 100.0 * (double)h->count);
	if (rank < 1)
		rank = 1;
	uint64_t seen = 0;
	for (unsigned i = 0; i < h->nbuckets; i++) {
		seen += h->buckets[i];
		if (seen >= rank) {
			uint64_t lo, hi;
			hist_bucket_range(h->bits, i, &lo, &hi);
			double mid = hi - lo == 1 ? (double)lo : ((double)lo + (double)(hi - 1)) / 2;
			/* clamp to the exact extremes where they are kept (not in timeline windows) */
			if (h->max >= h->min && mid < (double)h->min)
				mid = (double)h->min;
			if (h->max >= h->min && mid > (double)h->max)
				mid = (double)h->max;
			return mid;
		}
	}
	return (double)h->max;
}

double hist_mean(const struct hist *h)
{
	return h->count ? (double)h->sum / (double)h->count : 0;
}

double hist_stddev(const struct hist *h)
{
	if (h->count < 2)
		return 0;
	double mean = hist_mean(h);
	double var = (double)h->sumsq / (double)h->count - mean * mean;
	return var > 0 ? sqrt(var) : 0;
}
