#include "measure/verify.h"
#include "lib/util.h"
#include "lib/stop.h"

#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#define MAGIC "DAXPRFV1"

struct block_header {
	char magic[8];
	uint64_t offset;
	uint32_t gen;
	uint32_t crc; /* CRC-32 of the block with this field zero */
};

static uint32_t block_crc(const void *blk)
{
	const unsigned char *b = blk;
	uLong crc = crc32(0L, Z_NULL, 0);
	crc = crc32(crc, b, offsetof(struct block_header, crc));
	static const unsigned char zero[4];
	crc = crc32(crc, zero, 4);
	crc = crc32(crc, b + sizeof(struct block_header), VERIFY_BLOCK - sizeof(struct block_header));
	return (uint32_t)crc;
}

void verify_fill_block(void *blk, uint64_t seed, uint64_t off, uint32_t gen)
{
	struct block_header h = { .offset = off, .gen = gen };
	memcpy(h.magic, MAGIC, 8);
	memcpy(blk, &h, sizeof(h));
	uint64_t x = (seed + 1) * 0x9E3779B97F4A7C15ull ^ off * 0xBF58476D1CE4E5B9ull ^ ((uint64_t)gen << 32 | 1);
	for (size_t i = sizeof(h); i + 8 <= VERIFY_BLOCK; i += 8) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		memcpy((char *)blk + i, &x, 8);
	}
	h.crc = block_crc(blk);
	memcpy(blk, &h, sizeof(h));
}

int verify_check_block(const void *blk, uint64_t seed, uint64_t off, uint32_t gen, int64_t *found_gen,
		       const char **what)
{
	struct block_header h;
	memcpy(&h, blk, sizeof(h));
	*found_gen = -1;
	if (memcmp(h.magic, MAGIC, 8)) {
		*what = "no daxperf block header (overwritten or zeroed)";
		return -1;
	}
	if (h.crc != block_crc(blk)) {
		*what = "CRC mismatch (torn or corrupted block)";
		return -1;
	}
	*found_gen = h.gen;
	if (h.offset != off) {
		*what = "block written for another offset (misplaced)";
		return -1;
	}
	if (h.gen != gen) {
		*what = h.gen < gen ? "stale generation (a write was lost)" : "newer generation than recorded";
		return -1;
	}
	/* header and CRC agree: the payload must be the one (seed, off, gen) makes */
	static __thread unsigned char want[VERIFY_BLOCK];
	verify_fill_block(want, seed, off, gen);
	if (memcmp(want, blk, VERIFY_BLOCK)) {
		*what = "payload of another seed";
		return -1;
	}
	return 0;
}

int verify_file(const char *path, uint64_t seed, const struct verify_map *m, struct verify_report *r)
{
	memset(r, 0, sizeof(*r));
	r->first_bad_offset = -1;
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	enum { CHUNK = 256 };
	unsigned char *buf = xcalloc(CHUNK, VERIFY_BLOCK);
	int rc = 0;
	for (uint64_t b = 0;; b += CHUNK) {
		/* a signal ends the pass within a MiB: the check is then incomplete, not failed */
		if (atomic_load_explicit(&engine_stop, memory_order_relaxed)) {
			rc = -EINTR;
			break;
		}
		ssize_t n = pread(fd, buf, (size_t)CHUNK * VERIFY_BLOCK, (off_t)(b * VERIFY_BLOCK));
		if (n < 0) {
			rc = -errno;
			break;
		}
		size_t blocks = (size_t)n / VERIFY_BLOCK;
		for (size_t i = 0; i < blocks; i++) {
			uint64_t blk = b + i;
			uint32_t gen = m && blk < m->nblocks ? m->gen[blk] : 0;
			int64_t found;
			const char *what;
			r->checked_blocks++;
			if (verify_check_block(buf + i * VERIFY_BLOCK, seed, blk * VERIFY_BLOCK, gen, &found, &what) == 0)
				continue;
			if (r->bad_blocks++ == 0) {
				r->first_bad_offset = (int64_t)(blk * VERIFY_BLOCK);
				r->expected_gen = gen;
				r->found_gen = found;
				snprintf(r->what, sizeof(r->what), "%s", what);
			}
		}
		if (blocks < CHUNK)
			break;
	}
	free(buf);
	close(fd);
	return rc;
}
