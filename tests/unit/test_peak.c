/* The peak-bandwidth table: mixes named as MLC names them, which jobs belong, cells in place. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "result/peak.h"

#include <stdlib.h>
#include <string.h>

static void mixes_named_as_ratios(void **state)
{
	(void)state;
	static const struct { const char *rw, *persist, *want; } cases[] = {
		{ "read", "none", "all reads" }, { "mix:75", "none", "3:1" }, { "mix:67", "none", "2:1" },
		{ "mix:66", "none", "2:1" },     { "mix:50", "none", "1:1" }, { "mix:25", "none", "1:3" },
		{ "mix:60", "none", "60% reads" }, { "write", "nt", "nt writes" }, { "write", "none", "all writes" },
		{ "write", "flush", "all writes (flush)" }, { "mix:75", "nt", "3:1 (nt)" }, { "mix:100", "none", "100% reads" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char out[48];
		peak_mix_label(cases[i].rw, cases[i].persist, out, sizeof(out));
		assert_string_equal(out, cases[i].want);
	}
}

static void only_thread_sweeps_of_mmap_mixes(void **state)
{
	(void)state;
	assert_true(peak_job("mmap", "rw=read,threads=2"));
	assert_true(peak_job("mmap", "threads=2"));
	assert_true(peak_job("mmap", "persist=nt,threads=1"));
	assert_false(peak_job("mmap", "rw=read"));              /* no threads swept */
	assert_false(peak_job("mmap", "bs=4k,threads=2"));      /* two jobs per cell */
	assert_false(peak_job("rw", "rw=read,threads=2"));      /* pread, not loads and stores */
	assert_false(peak_job("mmap", ""));
	assert_false(peak_job(NULL, "threads=1"));
}

static void cells_in_place_first_round_stands(void **state)
{
	(void)state;
	struct peak_table *t = calloc(1, sizeof(*t));
	peak_add(t, "mmap", "rw=read,threads=4", "read", "none", "4", 1, 4e9);
	peak_add(t, "mmap", "rw=read,threads=1", "read", "none", "1", 1, 1e9);
	assert_false(peak_ready(t));
	peak_add(t, "mmap", "rw=mix:50,threads=1", "mix:50", "none", "1", 0, 0);
	peak_add(t, "mmap", "rw=read,threads=1", "read", "none", "1", 1, 9e9); /* a later round */
	peak_add(t, "mmap", "bs=4k,threads=1", "read", "none", "1", 1, 7e9);   /* not a peak job */
	assert_true(peak_ready(t));
	assert_int_equal(t->ncols, 2);
	assert_int_equal(t->threads[0], 1);
	assert_int_equal(t->threads[1], 4);
	assert_string_equal(t->rows[0], "all reads");
	assert_string_equal(t->rows[1], "1:1");
	assert_true(t->have[0][0] == 1 && t->mbs[0][0] == 1000);
	assert_true(t->have[0][1] == 1 && t->mbs[0][1] == 4000);
	assert_true(t->have[1][0] == -1 && t->have[1][1] == 0);
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(mixes_named_as_ratios),
		cmocka_unit_test(only_thread_sweeps_of_mmap_mixes),
		cmocka_unit_test(cells_in_place_first_round_stands),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
