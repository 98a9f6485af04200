/* Inputs the fuzzers found troublesome (tests/fuzz/regressions) go through the parser again on every
 * run; under check-asan a leak or an overflow among them fails the suite. */
#include "testutil.h"
#include "config/config.h"
#include "run/jobs.h"
#include "lib/util.h"

#include <dirent.h>

#ifndef REGRESSIONS
#define REGRESSIONS "tests/fuzz/regressions"
#endif

static void every_regression_parses_or_fails_cleanly(void **state)
{
	(void)state;
	DIR *d = opendir(REGRESSIONS);
	assert_non_null(d);
	struct dirent *e;
	int seen = 0;
	messages_quiet = 1;
	while ((e = readdir(d))) {
		if (strncmp(e->d_name, "config-", 7))
			continue;
		char path[512];
		snprintf(path, sizeof(path), "%s/%s", REGRESSIONS, e->d_name);
		jobs_check_file(path);
		seen++;
	}
	closedir(d);
	messages_quiet = 0;
	assert_true(seen > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = { cmocka_unit_test(every_regression_parses_or_fails_cleanly) };
	return cmocka_run_group_tests_name("fuzz_regressions", tests, NULL, NULL);
}
