/*
 * bare: the loops daxperf is measured against, with nothing but the access itself.
 *   bare MODE FILE SECONDS
 * MODE: load64 (random 64 B copies from a mapping), read4k (random 4 KiB copies from a mapping),
 *       pread4k (random 4 KiB pread), seq2m (2 MiB sequential copies from a mapping),
 *       chase (dependent loads over a random cyclic permutation of the mapping's cache lines).
 * Prints "ops_per_sec NUMBER" (chase: "ns_per_load NUMBER"). Same RNG and offset arithmetic as
 * daxperf's, so the difference is the engine's cost.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "workloads/access.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char sink[2 << 20] __attribute__((aligned(4096)));

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: bare MODE FILE SECONDS\n");
		return 2;
	}
	const char *mode = argv[1];
	double secs = atof(argv[3]);
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
	for (uint64_t o = 0; o < size; o += 4096)
		(void)*(volatile char *)(map + o);
	uint64_t rng = rng_seed(1, 0), ops = 0;
	double t0 = now(), t1;
	if (!strcmp(mode, "chase")) {
		uint64_t n = size / 64;
		uint32_t *perm = malloc(n * sizeof(uint32_t));
		for (uint64_t i = 0; i < n; i++)
			perm[i] = (uint32_t)i;
		for (uint64_t i = n - 1; i > 0; i--) {
			uint64_t j = rng_below(&rng, i);
			uint32_t t = perm[i];
			perm[i] = perm[j];
			perm[j] = t;
		}
		for (uint64_t i = 0; i < n; i++)
			*(char **)(map + (uint64_t)perm[i] * 64) = map + (uint64_t)perm[(i + 1) % n] * 64;
		free(perm);
		void *p = map;
		t0 = now();
		do {
			for (int i = 0; i < 4096; i++)
				p = *(void **)p;
			ops += 4096;
		} while ((t1 = now()) - t0 < secs);
		printf("ns_per_load %.3f %p\n", (t1 - t0) * 1e9 / (double)ops, (void *)((uintptr_t)p & 1));
		return 0;
	}
	uint64_t bs = !strcmp(mode, "load64") ? 64 : !strcmp(mode, "seq2m") ? 2 << 20 : 4096;
	uint64_t blocks = size / bs, next = 0;
	int kind = !strcmp(mode, "seq2m") ? 1 : !strcmp(mode, "pread4k") ? 2 : 0;
	/* one loop per kind, so the loop body is the access and nothing else */
	do {
		if (kind == 1) {
			for (int i = 0; i < 256; i++) {
				memcpy(sink, map + next, bs);
				next = next + 2 * bs > size ? 0 : next + bs;
			}
		} else if (kind == 2) {
			for (int i = 0; i < 256; i++)
				if (pread(fd, sink, bs, (off_t)(rng_below(&rng, blocks) * bs)) != (ssize_t)bs)
					return 1;
		} else if (bs == 64) {
			for (int i = 0; i < 256; i++)
				memcpy(sink, map + rng_below(&rng, blocks) * 64, 64);
		} else {
			for (int i = 0; i < 256; i++)
				memcpy(sink, map + rng_below(&rng, blocks) * bs, bs);
		}
		ops += 256;
		__asm__ volatile("" ::: "memory");
	} while ((t1 = now()) - t0 < secs);
	printf("ops_per_sec %.1f\n", (double)ops / (t1 - t0));
	return 0;
}
