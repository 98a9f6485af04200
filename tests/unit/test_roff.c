/* roff_put: the one quoting helper of the man page. */
#include "testutil.h"
#include "lib/roff.h"

#include <stdlib.h>

/* What roff_put writes for s. */
static char *escaped(const char *s, int at_line_start)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	assert_non_null(f);
	roff_put(f, s, at_line_start);
	fclose(f);
	return out;
}

static void expect(const char *s, int at_line_start, const char *want)
{
	char *got = escaped(s, at_line_start);
	assert_string_equal(got, want);
	free(got);
}

static void plain_text_passes(void **state)
{
	(void)state;
	expect("run a config", 1, "run a config");
}

static void specials_are_escaped(void **state)
{
	(void)state;
	expect("--set KEY=VALUE", 0, "\\-\\-set KEY=VALUE");
	expect("a\\b", 0, "a\\eb");
	expect("say \"hi\"", 0, "say \\(dqhi\\(dq");
}

static void requests_cannot_start_a_line(void **state)
{
	(void)state;
	expect(".SH NAME", 1, "\\&.SH NAME");
	expect("'br", 1, "\\&'br");
	/* inside a line a dot is text; after a newline it would start a line again */
	expect("a.b", 1, "a.b");
	expect(".x", 0, ".x");
	expect("one\n.two\n'three", 0, "one\n\\&.two\n\\&'three");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(plain_text_passes),
		cmocka_unit_test(specials_are_escaped),
		cmocka_unit_test(requests_cannot_start_a_line),
	};
	return cmocka_run_group_tests_name("roff", tests, NULL, NULL);
}
