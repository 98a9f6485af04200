/*
 * Per-thread timeline: fixed windows (the `window` option) of ops, bytes and a coarse latency
 * histogram (HIST_COARSE_BITS, error <= 3.2%), allocated before the timed phase. A run longer than
 * the windows allocated folds the excess into the last window and says so (`truncated`).
 */
#ifndef DAXPERF_TIMELINE_H
#define DAXPERF_TIMELINE_H

#include "measure/hist.h"

struct tl_window {
	uint64_t ops;
	uint64_t bytes;
	struct hist lat;
};

struct timeline {
	unsigned nwindows;
	unsigned used;        /* windows touched, from the first */
	int truncated;
	uint64_t *storage;    /* every window's buckets, one allocation */
	struct tl_window *w;
};

/* Windows for a phase of `runtime_ns` (or the cap, for op-bounded phases); 0 or -ENOMEM. */
int timeline_init(struct timeline *tl, unsigned nwindows);
void timeline_free(struct timeline *tl);
void timeline_reset(struct timeline *tl);
/* Gives back the windows past the last one used, once a round is over (a job bounded by ops sizes its
 * timeline for 2048 windows and may use one): memory then grows with what was measured, not with
 * rounds or jobs. 0, or -ENOMEM with the timeline unchanged. */
int timeline_compact(struct timeline *tl);
/* Adds src's windows into dst's, window by window. */
void timeline_merge(struct timeline *dst, const struct timeline *src);

/* Window for index i, clamping to the last one. */
static inline struct tl_window *timeline_at(struct timeline *tl, uint64_t i)
{
	if (i >= tl->nwindows) {
		tl->truncated = 1;
		i = tl->nwindows - 1;
	}
	if (i + 1 > tl->used)
		tl->used = (unsigned)i + 1;
	return &tl->w[i];
}

/* How many windows a phase needs: runtime / window rounded up, plus slack; capped for memory. */
unsigned timeline_windows_for(uint64_t runtime_ns, uint64_t window_ns);
/* Bytes a timeline of that many windows takes. */
uint64_t timeline_bytes(unsigned nwindows);

#endif
