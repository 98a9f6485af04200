/* Units and option parsing: sizes, times, counts, enums, patterns, CPU lists, and their messages. */
#include "testutil.h"
#include "config/jobopts.h"
#include "lib/units.h"

#include <errno.h>

static void sizes(void **state)
{
	(void)state;
	uint64_t v;
	assert_int_equal(parse_size("4k", &v), 0);
	assert_int_equal(v, 4096);
	assert_int_equal(parse_size("2M", &v), 0);
	assert_int_equal(v, 2u << 20);
	assert_int_equal(parse_size("1g", &v), 0);
	assert_int_equal(v, 1u << 30);
	assert_int_equal(parse_size("64", &v), 0);
	assert_int_equal(v, 64);
	assert_int_not_equal(parse_size("4q", &v), 0);
	assert_int_not_equal(parse_size("-4k", &v), 0);
	assert_int_not_equal(parse_size("", &v), 0);
	assert_int_not_equal(parse_size("99999999999999999999", &v), 0);
	/* kb, mb, gb, kib, mib, gib in any case: the same powers of 1024 as k, m, g */
	static const struct {
		const char *text;
		uint64_t want;
	} alike[] = {
		{ "4kb", 4096 }, { "4KB", 4096 }, { "4KiB", 4096 }, { "4kib", 4096 }, { "64mb", 64u << 20 },
		{ "64MiB", 64u << 20 }, { "1GB", 1u << 30 }, { "1gib", 1u << 30 }, { "2T", 2ull << 40 }, { "512b", 512 },
	};
	for (size_t i = 0; i < sizeof(alike) / sizeof(alike[0]); i++) {
		assert_int_equal(parse_size(alike[i].text, &v), 0);
		assert_int_equal(v, alike[i].want);
	}
	assert_int_not_equal(parse_size("4kbb", &v), 0);
	assert_int_not_equal(parse_size("4 k", &v), 0);
	assert_int_not_equal(parse_size("4.5k", &v), 0);
	assert_int_not_equal(parse_size("1e3", &v), 0);
	assert_int_equal(parse_size("16777216t", &v), -ERANGE); /* 2^64: one past what fits */
	assert_int_equal(parse_size("18446744073709551615", &v), 0);
	assert_int_equal(parse_size("18446744073709551616", &v), -ERANGE);
	char buf[32];
	format_size(65536, buf, sizeof(buf));
	assert_string_equal(buf, "64k");
	format_size(1536, buf, sizeof(buf));
	assert_string_equal(buf, "1536");
}

static void times(void **state)
{
	(void)state;
	uint64_t v;
	assert_int_equal(parse_time_ns("500ms", &v), 0);
	assert_int_equal(v, 500000000);
	assert_int_equal(parse_time_ns("10s", &v), 0);
	assert_int_equal(v, 10000000000ull);
	assert_int_not_equal(parse_time_ns("10", &v), 0);
	char buf[32];
	format_time(1500000, buf, sizeof(buf));
	assert_string_equal(buf, "1500us");
	format_time(2000000000ull, buf, sizeof(buf));
	assert_string_equal(buf, "2s");
}

static const struct opt_def *common(const char *name)
{
	const struct opt_def *d = opt_find(job_opt_table, name);
	assert_non_null(d);
	return d;
}

static void options_parse_and_round_trip(void **state)
{
	(void)state;
	struct job_opts o;
	char err[256], buf[256];
	assert_int_equal(opt_set_defaults(job_opt_table, &o), 0);
	static const char *const cases[][2] = {
		{ "bs", "2m" }, { "pattern", "stride:8k" }, { "pattern", "seq" }, { "rw", "mix:70" },
		{ "cpus", "0-3,6" }, { "warmup", "2s" }, { "warmup", "1000" }, { "percentiles", "50,99.9" },
		{ "runtime", "10s" }, { "keep", "1" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct opt_def *d = common(cases[i][0]);
		assert_int_equal(opt_parse(d, cases[i][1], &o, err, sizeof(err)), 0);
		opt_format(d, &o, buf, sizeof(buf));
		assert_string_equal(buf, cases[i][1]);
	}
	assert_int_equal(o.rw.read_pct, 70);
	assert_int_equal(o.cpus.count, 5);
}

static void option_errors_name_the_choices(void **state)
{
	(void)state;
	struct job_opts o;
	char err[256];
	opt_set_defaults(job_opt_table, &o);
	assert_int_equal(opt_parse(common("pattern"), "random", &o, err, sizeof(err)), -1);
	assert_string_equal(err, "pattern must be one of seq, rand, stride:N, not 'random'");
	assert_int_equal(opt_parse(common("workload"), "mmapp", &o, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "workload must be one of mmap, rw, chase"));
	assert_int_equal(opt_parse(common("threads"), "0", &o, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "out of range 1..1024"));
	assert_int_equal(opt_parse(common("rw"), "mix:120", &o, err, sizeof(err)), -1);
	assert_int_equal(opt_parse(common("cpus"), "3-1", &o, err, sizeof(err)), -1);
	assert_int_equal(opt_parse(common("file"), "../escape", &o, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "plain file name"));
	assert_int_equal(opt_parse(common("percentiles"), "50,100", &o, err, sizeof(err)), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sizes),
		cmocka_unit_test(times),
		cmocka_unit_test(options_parse_and_round_trip),
		cmocka_unit_test(option_errors_name_the_choices),
	};
	return cmocka_run_group_tests_name("units_opts", tests, NULL, NULL);
}
