/*
 * folios: how a file's pages sit in memory once mapped as daxperf and the bare loops map it.
 *   folios FILE
 * Maps FILE shared read-write, touches each 4 KiB page once (as both do before timing), and prints
 * the minor faults that took, whether the mapping is 2 MiB aligned, the share of pages physically
 * next to the page before, and the sizes of the folios holding them (from /proc/self/pagemap and
 * /proc/kpageflags: root only). A page-cache file written in 1 MiB pieces sits in 1 MiB folios on
 * ext4 and XFS, a tmpfs file in 4 KiB pages; a file read back after eviction in readahead's sizes.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#define KPF_COMPOUND_TAIL 16
#define PFN_MASK ((1ull << 55) - 1)

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: folios FILE\n");
		return 2;
	}
	int fd = open(argv[1], O_RDWR);
	struct stat st;
	if (fd < 0 || fstat(fd, &st)) {
		perror(argv[1]);
		return 1;
	}
	uint64_t size = (uint64_t)st.st_size, n = size / 4096;
	char *map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED || !n) {
		perror("mmap");
		return 1;
	}
	struct rusage r0, r1;
	getrusage(RUSAGE_SELF, &r0);
	for (uint64_t o = 0; o < size; o += 4096)
		(void)*(volatile char *)(map + o);
	getrusage(RUSAGE_SELF, &r1);
	printf("faults %ld for %llu pages, mapping %s2 MiB aligned", r1.ru_minflt - r0.ru_minflt,
	       (unsigned long long)n, (uintptr_t)map % (2u << 20) ? "not " : "");
	int pm = open("/proc/self/pagemap", O_RDONLY), kf = open("/proc/kpageflags", O_RDONLY);
	uint64_t *ent = malloc(n * 8);
	if (pm < 0 || kf < 0 || !ent ||
	    pread(pm, ent, n * 8, (off_t)((uintptr_t)map / 4096 * 8)) != (ssize_t)(n * 8) || !(ent[0] & PFN_MASK)) {
		printf(", folios unknown (/proc/kpageflags and page frame numbers need root)\n");
		return 0;
	}
	uint64_t sizes[64] = { 0 }, run = 0, next_to_last = 0;
	for (uint64_t i = 0; i < n; i++) {
		uint64_t pfn = ent[i] & PFN_MASK, flags = 0;
		if (pread(kf, &flags, 8, (off_t)(pfn * 8)) != 8)
			flags = 0;
		if (i && pfn == (ent[i - 1] & PFN_MASK) + 1)
			next_to_last++;
		if (run && !(flags >> KPF_COMPOUND_TAIL & 1)) {
			sizes[63 - __builtin_clzll(run)]++;
			run = 0;
		}
		run++;
	}
	sizes[63 - __builtin_clzll(run)]++;
	printf(", %.0f%% of pages physically after the one before; folios:", 100.0 * (double)next_to_last / (double)n);
	for (int b = 63; b >= 0; b--)
		if (sizes[b])
			printf(" %llu KiB x%llu", 4ull << b, (unsigned long long)sizes[b]);
	printf("\n");
	return 0;
}
