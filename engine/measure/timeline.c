#include "measure/timeline.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* 8192 windows of ~5 KiB each is 40 MiB a thread at most; long runs should use a longer window. */
#define TIMELINE_MAX_WINDOWS 8192u

/* A phase bounded by ops ends at runtime too: it needs no more windows than one bounded by time
 * (it had 2048, 11.5 MiB a thread, whatever its runtime). */
unsigned timeline_windows_for(uint64_t runtime_ns, uint64_t window_ns)
{
	uint64_t n = runtime_ns / window_ns + 2;
	return n > TIMELINE_MAX_WINDOWS ? TIMELINE_MAX_WINDOWS : (unsigned)n;
}

uint64_t timeline_bytes(unsigned nwindows)
{
	return (uint64_t)nwindows * (sizeof(struct tl_window) + hist_nbuckets(HIST_COARSE_BITS) * sizeof(uint64_t));
}

int timeline_init(struct timeline *tl, unsigned nwindows)
{
	memset(tl, 0, sizeof(*tl));
	unsigned nb = hist_nbuckets(HIST_COARSE_BITS);
	tl->w = calloc(nwindows, sizeof(*tl->w));
	tl->storage = calloc((size_t)nwindows * nb, sizeof(uint64_t));
	if (!tl->w || !tl->storage) {
		timeline_free(tl);
		return -ENOMEM;
	}
	tl->nwindows = nwindows;
	for (unsigned i = 0; i < nwindows; i++) {
		struct hist *h = &tl->w[i].lat;
		h->bits = HIST_COARSE_BITS;
		h->nbuckets = nb;
		h->buckets = tl->storage + (size_t)i * nb;
		h->min = UINT64_MAX;
	}
	return 0;
}

void timeline_free(struct timeline *tl)
{
	free(tl->w);
	free(tl->storage);
	memset(tl, 0, sizeof(*tl));
}

void timeline_reset(struct timeline *tl)
{
	for (unsigned i = 0; i < tl->used; i++) {
		tl->w[i].ops = tl->w[i].bytes = 0;
		hist_reset(&tl->w[i].lat);
	}
	tl->used = 0;
	tl->truncated = 0;
}

int timeline_compact(struct timeline *tl)
{
	unsigned keep = tl->used ? tl->used : 1, nb = hist_nbuckets(HIST_COARSE_BITS);
	if (keep >= tl->nwindows)
		return 0;
	uint64_t *storage = realloc(tl->storage, (size_t)keep * nb * sizeof(uint64_t));
	if (!storage)
		return -ENOMEM; /* the larger block is still valid */
	tl->storage = storage;
	struct tl_window *w = realloc(tl->w, keep * sizeof(*tl->w));
	if (w)
		tl->w = w;
	tl->nwindows = keep;
	for (unsigned i = 0; i < keep; i++)
		tl->w[i].lat.buckets = tl->storage + (size_t)i * nb;
	return 0;
}

void timeline_merge(struct timeline *dst, const struct timeline *src)
{
	for (unsigned i = 0; i < src->used && i < dst->nwindows; i++) {
		dst->w[i].ops += src->w[i].ops;
		dst->w[i].bytes += src->w[i].bytes;
		hist_merge(&dst->w[i].lat, &src->w[i].lat);
	}
	if (src->used > dst->used)
		dst->used = src->used < dst->nwindows ? src->used : dst->nwindows;
	dst->truncated |= src->truncated;
}
