/* Filesystem operations the reflink, dedupe and fault workloads share: naming the filesystem in a
 * skip reason, counting extents (FIEMAP), cutting a file into extents, copying without sharing. */
#ifndef DAXPERF_FSOPS_H
#define DAXPERF_FSOPS_H

#include <stddef.h>
#include <stdint.h>

/* "xfs", "ext4", "tmpfs", ... from statfs, for messages such as "ext4 has no FICLONE". */
const char *fs_name(int fd);
/* Extents of the file by FIEMAP, or -errno. */
long fs_extent_count(int fd);
/* Rewrites one 4 KiB block in each of n evenly spread places after punching it, so the file ends up
 * in about 2n+1 extents; 0 or -errno. */
int fs_fragment(int fd, uint64_t size, unsigned n);
/* Copies src to a new file at dst with read/write (no reflink), size bytes; 0 or -errno. */
int fs_copy_plain(int src, const char *dst, uint64_t size);
/* A per-thread bit per 4 KiB block of a slice: set returns whether it was already set. */
static inline int bit_test_set(uint64_t *bits, uint64_t i)
{
	uint64_t m = 1ull << (i & 63);
	int was = (bits[i >> 6] & m) != 0;
	bits[i >> 6] |= m;
	return was;
}

#endif
