/* Histogram: every value lands in a bucket that holds it, and the reported midpoint is within the
 * documented relative error bound of the true value. */
#include "testutil.h"
#include "measure/hist.h"

#include <math.h>

static void check_bound(unsigned bits)
{
	double bound = 1.0 / (double)(2u << bits);
	uint64_t v = 0;
	for (int i = 0; i < 200000; i++) {
		v = v < 1000 ? v + 1 : v + v / 997 + 1;
		if (v >> HIST_VALUE_BITS)
			break;
		unsigned idx = hist_index(bits, v);
		assert_true(idx < hist_nbuckets(bits));
		uint64_t lo, hi;
		hist_bucket_range(bits, idx, &lo, &hi);
		assert_true(lo <= v && v < hi);
		double mid = hi - lo == 1 ? (double)lo : ((double)lo + (double)(hi - 1)) / 2;
		assert_true(fabs(mid - (double)v) / (double)v <= bound + 1e-12);
	}
}

static void fine_error_under_one_percent(void **state)
{
	(void)state;
	check_bound(HIST_FINE_BITS);
	assert_true(1.0 / (double)(2u << HIST_FINE_BITS) < 0.01);
}

static void coarse_error_bound(void **state)
{
	(void)state;
	check_bound(HIST_COARSE_BITS);
}

static void buckets_are_contiguous(void **state)
{
	(void)state;
	uint64_t prev_hi = 0;
	for (unsigned i = 0; i < hist_nbuckets(HIST_FINE_BITS); i++) {
		uint64_t lo, hi;
		hist_bucket_range(HIST_FINE_BITS, i, &lo, &hi);
		assert_int_equal(lo, prev_hi);
		assert_true(hi > lo);
		prev_hi = hi;
	}
}

static void percentiles_match_sorted_data(void **state)
{
	(void)state;
	struct hist h;
	assert_int_equal(hist_init(&h, HIST_FINE_BITS), 0);
	/* 1..100000: the p-th percentile is p * 1000 */
	for (uint64_t v = 1; v <= 100000; v++)
		hist_add(&h, v);
	static const double ps[] = { 1, 50, 90, 99, 99.9 };
	for (size_t i = 0; i < 5; i++) {
		double want = ps[i] * 1000, got = hist_percentile(&h, ps[i]);
		assert_true(fabs(got - want) / want < 0.004);
	}
	assert_int_equal(h.min, 1);
	assert_int_equal(h.max, 100000);
	assert_true(fabs(hist_mean(&h) - 50000.5) < 1e-6);
	assert_true(fabs(hist_stddev(&h) - 28867.513) < 0.01);
	hist_free(&h);
}

static void merge_adds_counts(void **state)
{
	(void)state;
	struct hist a, b;
	hist_init(&a, HIST_FINE_BITS);
	hist_init(&b, HIST_FINE_BITS);
	hist_add_n(&a, 100, 3);
	hist_add(&b, 5000);
	hist_merge(&a, &b);
	assert_int_equal(a.count, 4);
	assert_int_equal(a.min, 100);
	assert_int_equal(a.max, 5000);
	assert_true(hist_percentile(&a, 75) == 100);
	assert_true(fabs(hist_percentile(&a, 100) - 5000) / 5000 < 0.004);
	hist_free(&a);
	hist_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fine_error_under_one_percent), cmocka_unit_test(coarse_error_bound),
		cmocka_unit_test(buckets_are_contiguous),       cmocka_unit_test(percentiles_match_sorted_data),
		cmocka_unit_test(merge_adds_counts),
	};
	return cmocka_run_group_tests_name("hist", tests, NULL, NULL);
}
