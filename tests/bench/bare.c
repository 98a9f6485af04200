/*
 * bare: the loops daxperf is measured against, with nothing but the access itself.
 *   bare MODE FILE SECONDS [THREADS]
 * MODE: load64 (random 64 B copies from a mapping), read4k (random 4 KiB copies from a mapping),
 *       pread4k (random 4 KiB pread), seq2m (2 MiB sequential copies from a mapping),
 *       chase (dependent loads over a random cyclic permutation of the mapping's cache lines);
 *       load64-timed, read4k-timed, pread4k-timed: the same accesses, each one timed as daxperf
 *       times an op (lfence; rdtsc; access; lfence; rdtsc; lfence) and counted in a log2 bucket:
 *       the ceiling of a tool that times every access, which serialises them.
 * THREADS (default 1): each thread works on its own slice of the file (as daxperf's threads do),
 * pinned to CPU i of the process's allowed CPUs. Prints "ops_per_sec NUMBER" (the sum over threads;
 * chase: "ns_per_load NUMBER", the mean over threads). Same RNG and offset arithmetic as daxperf's,
 * so the difference is the engine's cost. BARE_HIST=1 also prints the timed modes' log2 histogram of
 * ticks to stderr, "2^K COUNT" per bucket, to set beside daxperf's percentiles.
 */
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <x86intrin.h>

#include "workloads/access.h"

enum kind { LOAD64, READ4K, PREAD4K, SEQ2M, CHASE };

struct thread {
	pthread_t id;
	int cpu;
	unsigned index;
	enum kind kind;
	int timed;
	int fd;
	char *slice;          /* the thread's slice in the mapping */
	uint64_t slice_off, slice_len;
	double secs;
	uint64_t ops;
	double elapsed;
	uint64_t buckets[64]; /* timed modes: log2 of each access's ticks */
	void *end;            /* chase: where the chase stopped (kept so the loads are not dropped) */
	int failed;
};

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* daxperf's timer_now(): the read cannot pass the access, in either direction */
static inline uint64_t tick(void)
{
	_mm_lfence();
	uint64_t t = __rdtsc();
	_mm_lfence();
	return t;
}

static inline void count(struct thread *t, uint64_t d)
{
	t->buckets[63 - __builtin_clzll(d | 1)]++;
}

/* Links the slice's cache lines into one random cycle with daxperf's own code (workloads/access.h). */
static void link_cycle(char *base, uint64_t len, uint64_t *rng)
{
	uint32_t *perm = malloc(len / 64 * sizeof(uint32_t));
	chase_link_cycle(base, len, rng, perm);
	free(perm);
}

static pthread_barrier_t start_line;

static void *run(void *arg)
{
	struct thread *t = arg;
	static __thread char sink[2 << 20] __attribute__((aligned(4096)));
	if (t->cpu >= 0) {
		cpu_set_t set;
		CPU_ZERO(&set);
		CPU_SET(t->cpu, &set);
		sched_setaffinity(0, sizeof(set), &set);
	}
	uint64_t rng = rng_seed(1, t->index), ops = 0;
	char *map = t->slice;
	uint64_t size = t->slice_len;
	if (t->kind == CHASE)
		link_cycle(map, size, &rng);
	for (uint64_t o = 0; o < size; o += 4096)
		(void)*(volatile char *)(map + o);
	memset(sink, 0, sizeof(sink));
	pthread_barrier_wait(&start_line);
	double t0 = now(), t1;
	if (t->kind == CHASE) {
		void *p = map;
		do {
			for (int i = 0; i < 4096; i++)
				p = *(void **)p;
			ops += 4096;
		} while ((t1 = now()) - t0 < t->secs);
		t->end = p;
		t->ops = ops;
		t->elapsed = t1 - t0;
		return NULL;
	}
	uint64_t bs = t->kind == LOAD64 ? 64 : t->kind == SEQ2M ? 2 << 20 : 4096;
	uint64_t blocks = size / bs, next = 0;
	/* one loop per kind, so the loop body is the access and nothing else */
	do {
		if (t->kind == SEQ2M) {
			for (int i = 0; i < 256; i++) {
				memcpy(sink, map + next, bs);
				next = next + 2 * bs > size ? 0 : next + bs;
			}
		} else if (t->kind == PREAD4K && t->timed) {
			for (int i = 0; i < 256; i++) {
				off_t off = (off_t)(t->slice_off + rng_below(&rng, blocks) * bs);
				uint64_t a = tick();
				ssize_t n = pread(t->fd, sink, bs, off);
				uint64_t b = tick();
				count(t, b - a);
				if (n != (ssize_t)bs)
					t->failed = 1;
			}
		} else if (t->kind == PREAD4K) {
			for (int i = 0; i < 256; i++)
				if (pread(t->fd, sink, bs, (off_t)(t->slice_off + rng_below(&rng, blocks) * bs)) != (ssize_t)bs)
					t->failed = 1;
		} else if (t->kind == LOAD64 && t->timed) {
			for (int i = 0; i < 256; i++) {
				const char *at = map + rng_below(&rng, blocks) * 64;
				uint64_t a = tick();
				memcpy(sink, at, 64);
				uint64_t b = tick();
				count(t, b - a);
			}
		} else if (t->kind == LOAD64) {
			for (int i = 0; i < 256; i++)
				memcpy(sink, map + rng_below(&rng, blocks) * 64, 64);
		} else if (t->timed) {
			for (int i = 0; i < 256; i++) {
				const char *at = map + rng_below(&rng, blocks) * 4096;
				uint64_t a = tick();
				memcpy(sink, at, 4096);
				uint64_t b = tick();
				count(t, b - a);
			}
		} else {
			for (int i = 0; i < 256; i++)
				memcpy(sink, map + rng_below(&rng, blocks) * 4096, 4096);
		}
		ops += 256;
		__asm__ volatile("" ::: "memory");
	} while ((t1 = now()) - t0 < t->secs && !t->failed);
	t->ops = ops;
	t->elapsed = t1 - t0;
	return NULL;
}

static const struct {
	const char *name;
	enum kind kind;
	int timed;
} modes[] = {
	{ "load64", LOAD64, 0 }, { "read4k", READ4K, 0 }, { "pread4k", PREAD4K, 0 },
	{ "seq2m", SEQ2M, 0 },   { "chase", CHASE, 0 },   { "load64-timed", LOAD64, 1 },
	{ "read4k-timed", READ4K, 1 }, { "pread4k-timed", PREAD4K, 1 },
};

int main(int argc, char **argv)
{
	if (argc != 4 && argc != 5) {
		fprintf(stderr, "usage: bare MODE FILE SECONDS [THREADS]\n");
		return 2;
	}
	int m = -1;
	for (unsigned i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (!strcmp(argv[1], modes[i].name))
			m = (int)i;
	unsigned nthreads = argc == 5 ? (unsigned)atoi(argv[4]) : 1;
	if (m < 0 || nthreads < 1 || nthreads > 64) {
		fprintf(stderr, "bare: unknown mode %s or bad thread count\n", argv[1]);
		return 2;
	}
	int fd = open(argv[2], O_RDWR);
	struct stat st;
	if (fd < 0 || fstat(fd, &st)) {
		perror(argv[2]);
		return 1;
	}
	uint64_t size = (uint64_t)st.st_size;
	char *map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	/* threads on the allowed CPUs in order (taskset -c 1 bare ...: one thread on CPU 1) */
	cpu_set_t allowed;
	sched_getaffinity(0, sizeof(allowed), &allowed);
	int cpus[64], ncpus = 0;
	for (int c = 0; c < CPU_SETSIZE && ncpus < 64; c++)
		if (CPU_ISSET(c, &allowed))
			cpus[ncpus++] = c;
	struct thread *ts = calloc(nthreads, sizeof(*ts));
	/* slices as daxperf cuts them: equal, a multiple of the access size */
	uint64_t unit = !strcmp(argv[1], "seq2m") ? 2 << 20 : 4096;
	uint64_t slice = size / nthreads / unit * unit;
	pthread_barrier_init(&start_line, NULL, nthreads);
	for (unsigned i = 0; i < nthreads; i++) {
		ts[i] = (struct thread){ .cpu = nthreads > 1 ? cpus[i % ncpus] : -1, .index = i,
					 .kind = modes[m].kind, .timed = modes[m].timed, .fd = fd,
					 .slice = map + i * slice, .slice_off = i * slice, .slice_len = slice,
					 .secs = atof(argv[3]) };
		pthread_create(&ts[i].id, NULL, run, &ts[i]);
	}
	double rate = 0, ns = 0;
	int failed = 0;
	for (unsigned i = 0; i < nthreads; i++) {
		pthread_join(ts[i].id, NULL);
		rate += (double)ts[i].ops / ts[i].elapsed;
		ns += ts[i].elapsed * 1e9 / (double)ts[i].ops / nthreads;
		failed |= ts[i].failed || (ts[i].end && ((uintptr_t)ts[i].end & 63));
	}
	if (getenv("BARE_HIST") && modes[m].timed)
		for (int b = 0; b < 64; b++) {
			uint64_t n = 0;
			for (unsigned i = 0; i < nthreads; i++)
				n += ts[i].buckets[b];
			if (n)
				fprintf(stderr, "2^%d %llu\n", b, (unsigned long long)n);
		}
	if (failed) {
		fprintf(stderr, "bare: an access failed\n");
		return 1;
	}
	if (modes[m].kind == CHASE)
		printf("ns_per_load %.3f\n", ns);
	else
		printf("ops_per_sec %.1f\n", rate);
	return 0;
}
