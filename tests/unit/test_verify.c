/* Verification: a file of self-checking blocks passes; a block changed behind the writer's back
 * (pwrite from the test), a stale one and a misplaced one are each caught and named. */
#include "testutil.h"
#include "measure/verify.h"

#include <fcntl.h>

#define SEED 7
#define NBLK 16

static char path[128];

static void write_block(int fd, uint64_t blk, uint64_t as_off, uint32_t gen)
{
	static unsigned char b[VERIFY_BLOCK];
	verify_fill_block(b, SEED, as_off, gen);
	assert_int_equal(pwrite(fd, b, VERIFY_BLOCK, (off_t)(blk * VERIFY_BLOCK)), VERIFY_BLOCK);
}

/* A file where block i holds generation gen[i]. */
static int make(uint32_t *gen)
{
	snprintf(path, sizeof(path), "%s", write_temp("verify.dat", ""));
	int fd = open(path, O_RDWR);
	assert_true(fd >= 0);
	for (uint64_t i = 0; i < NBLK; i++)
		write_block(fd, i, i * VERIFY_BLOCK, gen[i]);
	return fd;
}

static void clean_file_passes(void **state)
{
	(void)state;
	uint32_t gen[NBLK] = { 0 };
	gen[3] = 5;
	close(make(gen));
	struct verify_map m = { NBLK, gen };
	struct verify_report r;
	assert_int_equal(verify_file(path, SEED, &m, &r), 0);
	assert_int_equal(r.checked_blocks, NBLK);
	assert_int_equal(r.bad_blocks, 0);
	assert_int_equal(r.first_bad_offset, -1);
}

static void corruption_behind_the_back_is_caught(void **state)
{
	(void)state;
	uint32_t gen[NBLK] = { 0 };
	int fd = make(gen);
	assert_int_equal(pwrite(fd, "X", 1, 7 * VERIFY_BLOCK + 1000), 1);
	close(fd);
	struct verify_map m = { NBLK, gen };
	struct verify_report r;
	assert_int_equal(verify_file(path, SEED, &m, &r), 0);
	assert_int_equal(r.bad_blocks, 1);
	assert_int_equal(r.first_bad_offset, 7 * VERIFY_BLOCK);
	assert_non_null(strstr(r.what, "CRC mismatch"));
	assert_int_equal(r.found_gen, -1);
}

static void stale_and_misplaced_blocks_are_named(void **state)
{
	(void)state;
	uint32_t gen[NBLK] = { 0 };
	int fd = make(gen);
	write_block(fd, 2, 2 * VERIFY_BLOCK, 1);  /* the file has generation 1 ... */
	write_block(fd, 9, 4 * VERIFY_BLOCK, 0);  /* block 4's data landed at block 9 */
	close(fd);
	gen[2] = 2;                                /* ... but generation 2 was written */
	struct verify_map m = { NBLK, gen };
	struct verify_report r;
	assert_int_equal(verify_file(path, SEED, &m, &r), 0);
	assert_int_equal(r.bad_blocks, 2);
	assert_int_equal(r.first_bad_offset, 2 * VERIFY_BLOCK);
	assert_int_equal(r.expected_gen, 2);
	assert_int_equal(r.found_gen, 1);
	assert_non_null(strstr(r.what, "stale generation"));
	int64_t found;
	const char *what;
	static unsigned char b[VERIFY_BLOCK];
	verify_fill_block(b, SEED, 4 * VERIFY_BLOCK, 0);
	assert_int_equal(verify_check_block(b, SEED, 9 * VERIFY_BLOCK, 0, &found, &what), -1);
	assert_non_null(strstr(what, "another offset"));
	assert_int_equal(verify_check_block(b, SEED + 1, 4 * VERIFY_BLOCK, 0, &found, &what), -1);
	assert_non_null(strstr(what, "another seed"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(clean_file_passes),
		cmocka_unit_test(corruption_behind_the_back_is_caught),
		cmocka_unit_test(stale_and_misplaced_blocks_are_named),
	};
	return cmocka_run_group_tests_name("verify", tests, NULL, NULL);
}
