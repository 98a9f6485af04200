/*
 * Data verification: every written 4 KiB block carries a self-checking pattern: a magic, its own file
 * offset, a generation, a payload derived from (seed, offset, generation), and a CRC-32 (zlib) over
 * all of it. Writers record the generation they last wrote per block; afterwards every block of the
 * file is read back and checked against that record, so lost, stale, misplaced or torn writes show.
 */
#ifndef DAXPERF_VERIFY_H
#define DAXPERF_VERIFY_H

#include <stddef.h>
#include <stdint.h>

#define VERIFY_BLOCK 4096

/* The expected generation of each block of a file (0: as prepared). */
struct verify_map {
	uint64_t nblocks;
	uint32_t *gen;
};

struct verify_report {
	uint64_t checked_blocks;
	uint64_t bad_blocks;
	int64_t first_bad_offset;   /* -1 when every block checked out */
	uint32_t expected_gen;      /* at the first bad block */
	int64_t found_gen;          /* what the block says, -1 when its header or CRC is broken */
	char what[96];              /* "CRC mismatch", "stale generation", "block of another offset" */
};

/* Fills one block with the pattern for (seed, offset, generation). */
void verify_fill_block(void *blk, uint64_t seed, uint64_t off, uint32_t gen);
/* Checks one block read from `off`: 0 when it is (seed, off, gen); else -1 with found_gen and what. */
int verify_check_block(const void *blk, uint64_t seed, uint64_t off, uint32_t gen, int64_t *found_gen,
		       const char **what);
/* Reads the whole file and checks every block against the map (a NULL map: all generation 0).
 * 0 when the file could be read (the outcome is in r), -EINTR when the stop flag cut it short,
 * -errno otherwise. */
int verify_file(const char *path, uint64_t seed, const struct verify_map *m, struct verify_report *r);

#endif
