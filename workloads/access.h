/* Offset generation shared by the workloads: sequential, random and strided walks of a thread's slice. */
#ifndef DAXPERF_ACCESS_H
#define DAXPERF_ACCESS_H

#include "workloads/workload.h"

/* xorshift64*: fast, good enough for offsets and read/write choices, deterministic from the seed. */
static inline uint64_t rng_next(uint64_t *s)
{
	uint64_t x = *s;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545F4914F6CDD1Dull;
}

/* Uniform value in [0, n) without a division (Lemire's multiply-shift). */
static inline uint64_t rng_below(uint64_t *s, uint64_t n)
{
	return (uint64_t)(((unsigned __int128)rng_next(s) * n) >> 64);
}

static inline uint64_t rng_seed(uint64_t seed, unsigned index)
{
	uint64_t s = (seed + 1) * 0x9E3779B97F4A7C15ull ^ ((uint64_t)index + 1) * 0xBF58476D1CE4E5B9ull;
	return s ? s : 1;
}

/* Links the 64-byte lines of [base, base + len) into one random cycle (Sattolo: a uniformly random
 * permutation with a single cycle), each line holding the address of the next: a chase's walk.
 * perm has room for len / 64 entries. Shared by the chase workload and the bench's bare chase, so
 * both walk the same kind of cycle. */
static inline void chase_link_cycle(char *base, uint64_t len, uint64_t *rng, uint32_t *perm)
{
	uint64_t n = len / 64;
	for (uint64_t i = 0; i < n; i++)
		perm[i] = (uint32_t)i;
	for (uint64_t i = n - 1; i > 0; i--) {
		uint64_t j = rng_below(rng, i);
		uint32_t tmp = perm[i];
		perm[i] = perm[j];
		perm[j] = tmp;
	}
	for (uint64_t i = 0; i < n; i++)
		*(char **)(base + (uint64_t)perm[i] * 64) = base + (uint64_t)perm[(i + 1) % n] * 64;
}

/* Byte offset in the job file of the next access of bs bytes. */
static inline uint64_t access_next(struct wl_thread *t)
{
	const struct job_opts *o = t->job->o;
	uint64_t off;
	switch (o->pattern.kind) {
	case PATTERN_RAND:
		return t->slice_off + rng_below(&t->rng, t->slice_len / o->bs) * o->bs;
	default:
		/* seq is a stride of bs; both wrap to the slice start */
		off = t->next;
		t->next += o->pattern.kind == PATTERN_STRIDE ? o->pattern.stride : o->bs;
		if (t->next + o->bs > t->slice_len)
			t->next = 0;
		return t->slice_off + off;
	}
}

/* True when this op is a read, by the rw option. */
static inline int access_is_read(struct wl_thread *t)
{
	const struct rw_mix *m = &t->job->o->rw;
	if (m->kind != RW_MIX)
		return m->kind == RW_READ;
	return rng_below(&t->rng, 100) < m->read_pct;
}

/* With verify = 1, fills t->buf with the next generation of each 4 KiB block of [off, off + len)
 * and records it; the write that follows puts exactly these bytes there. */
static inline void verify_stamp(struct wl_thread *t, uint64_t off, uint64_t len)
{
	struct verify_map *m = t->job->vmap;
	for (uint64_t b = 0; b < len; b += VERIFY_BLOCK) {
		uint64_t blk = (off + b) / VERIFY_BLOCK;
		verify_fill_block((char *)t->buf + b, t->job->o->seed, off + b, ++m->gen[blk]);
	}
}

#endif
