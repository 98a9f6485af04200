/* The verdicts of `daxperf diff` on figures whose answer is known by hand: Welch's CI against a
 * worked example, each of the four tests able to veto on its own, too few rounds, direction. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "result/stats.h"

#include <math.h>

#define NEAR(a, b, tol) assert_true(fabs((a) - (b)) < (tol))

static void summary_of_known_data(void **state)
{
	(void)state;
	const double x[] = { 4, 1, 3, 2 };
	struct stats_summary s;
	stats_summarize(x, 4, &s);
	NEAR(s.mean, 2.5, 1e-12);
	NEAR(s.sd, sqrt(5.0 / 3.0), 1e-12);
	NEAR(s.median, 2.5, 1e-12);
	NEAR(s.min, 1, 1e-12);
	NEAR(s.max, 4, 1e-12);
	assert_true(x[0] == 4); /* the input is left as it was */
}

/* base 10 11 12, new 14 15 16: d = 4, se = sqrt(2/3), df = 4, t(0.975, 4) = 2.776445 */
static void welch_worked_example(void **state)
{
	(void)state;
	const double b[] = { 10, 11, 12 }, n[] = { 14, 15, 16 };
	struct stats_compare c;
	stats_compare(b, 3, n, 3, 0, 1, &c);
	NEAR(c.df, 4, 1e-9);
	double half = 2.776445 * sqrt(2.0 / 3.0);
	NEAR(c.change_pct, 400.0 / 11, 1e-9);
	NEAR(c.ci_lo_pct, (4 - half) * 100 / 11, 1e-3);
	NEAR(c.ci_hi_pct, (4 + half) * 100 / 11, 1e-3);
	assert_true(c.welch && c.sd_apart && c.lkp && c.floor);
	assert_int_equal(c.verdict, STATS_IMPROVED);
	/* the same numbers as latencies: higher is worse */
	stats_compare(b, 3, n, 3, 1, 1, &c);
	assert_int_equal(c.verdict, STATS_REGRESSED);
	/* and the other way round */
	stats_compare(n, 3, b, 3, 0, 1, &c);
	assert_int_equal(c.verdict, STATS_REGRESSED);
	assert_true(c.change_pct < 0 && c.ci_hi_pct < 0);
}

static void too_few_rounds_cannot_tell(void **state)
{
	(void)state;
	const double b[] = { 100, 100.1 }, n[] = { 200, 200.1, 200.2 };
	struct stats_compare c;
	stats_compare(b, 2, n, 3, 0, 1, &c);
	assert_int_equal(c.verdict, STATS_TOO_FEW);
	assert_string_equal(stats_verdict_name(c.verdict), "cannot tell");
	NEAR(c.change_pct, 100, 0.2);
}

/* ten rounds, sd 1, 1.5% apart: Welch alone would call it, the 1.96 sd intervals overlap */
static void mmtests_rule_vetoes(void **state)
{
	(void)state;
	double b[10], n[10];
	for (int i = 0; i < 10; i++) {
		b[i] = 100 + (i % 2 ? 1 : -1);
		n[i] = 101.5 + (i % 2 ? 1 : -1);
	}
	struct stats_compare c;
	stats_compare(b, 10, n, 10, 0, 1, &c);
	assert_true(c.welch);
	assert_false(c.sd_apart);
	assert_int_equal(c.verdict, STATS_NO_CHANGE);
}

/* separated by every test but 0.5%: under the 1% floor, counts with a 0.1% one */
static void floor_vetoes(void **state)
{
	(void)state;
	const double b[] = { 1000, 1000.1, 1000.2 }, n[] = { 1005, 1005.1, 1005.2 };
	struct stats_compare c;
	stats_compare(b, 3, n, 3, 0, 1, &c);
	assert_true(c.welch && c.sd_apart && c.lkp);
	assert_false(c.floor);
	assert_int_equal(c.verdict, STATS_NO_CHANGE);
	stats_compare(b, 3, n, 3, 0, 0.1, &c);
	assert_int_equal(c.verdict, STATS_IMPROVED);
}

/* one wild base round: means 8 sd apart, yet the new median is below the base max */
static void lkp_rule_vetoes(void **state)
{
	(void)state;
	double b[10], n[10];
	for (int i = 0; i < 10; i++) {
		b[i] = i == 9 ? 140 : 100;
		n[i] = 135;
	}
	struct stats_compare c;
	stats_compare(b, 10, n, 10, 0, 1, &c);
	assert_true(c.welch && c.sd_apart && c.floor);
	assert_false(c.lkp);
	assert_int_equal(c.verdict, STATS_NO_CHANGE);
}

static void no_spread_and_zero_base(void **state)
{
	(void)state;
	const double b[] = { 5, 5, 5 }, n[] = { 6, 6, 6 }, z[] = { 0, 0, 0 };
	struct stats_compare c;
	stats_compare(b, 3, n, 3, 1, 1, &c);
	NEAR(c.df, 4, 1e-12);
	NEAR(c.ci_lo_pct, 20, 1e-9);
	assert_int_equal(c.verdict, STATS_REGRESSED);
	stats_compare(b, 3, b, 3, 1, 1, &c);
	assert_int_equal(c.verdict, STATS_NO_CHANGE);
	stats_compare(z, 3, n, 3, 0, 1, &c);
	assert_int_equal(c.verdict, STATS_NO_BASELINE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(summary_of_known_data), cmocka_unit_test(welch_worked_example),
		cmocka_unit_test(too_few_rounds_cannot_tell), cmocka_unit_test(mmtests_rule_vetoes),
		cmocka_unit_test(floor_vetoes), cmocka_unit_test(lkp_rule_vetoes),
		cmocka_unit_test(no_spread_and_zero_base),
	};
	return cmocka_run_group_tests_name("stats", tests, NULL, NULL);
}
