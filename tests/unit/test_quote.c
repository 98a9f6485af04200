/* The quoting helpers: gnuplot, fio, one-line messages, path components. Each keeps text text. */
#include "testutil.h"
#include "cli/fio_quote.h"
#include "lib/paths.h"
#include "lib/util.h"
#include "plot/plot.h"

static void gnuplot_strings(void **state)
{
	(void)state;
	char out[96];
	/* gnuplot takes '' for a quote only after another character: a quote is a concatenation */
	assert_string_equal(plot_gp_text("vm'.system('x').'", '\'', out, sizeof(out)),
			    "'vm'.\"'\".'.system('.\"'\".'x'.\"'\".').'.\"'\".''");
	assert_string_equal(plot_gp_text("''", '\'', out, sizeof(out)), "''.\"'\".''.\"'\".''");
	assert_string_equal(plot_gp_text("a\n!touch x\n", '\'', out, sizeof(out)), "'a?!touch x?'");
	assert_string_equal(plot_gp_text("`x` @m a_b^c", '\'', out, sizeof(out)), "'`x` @m a_b^c'");
	assert_string_equal(plot_gp_text(NULL, '\'', out, sizeof(out)), "''");
	/* data file column: no escape for '"' exists there */
	assert_string_equal(plot_gp_text("a\"b\tc", '"', out, sizeof(out)), "\"a'b?c\"");
	/* comment: one line, no continuation by a trailing backslash */
	assert_string_equal(plot_gp_text("a\nb\\\\", 0, out, sizeof(out)), "a?b");
	/* cut to fit, never inside a written quote, always closed */
	char small[10];
	assert_string_equal(plot_gp_text("ab'cd", '\'', small, sizeof(small)), "'ab'");
	assert_string_equal(plot_gp_text("'''", '\'', small, sizeof(small)), "''.\"'\".''");
	assert_string_equal(plot_gp_text("abcdefghijk", '\'', small, sizeof(small)), "'abcdefg'");
}

static void fio_values(void **state)
{
	(void)state;
	char out[64], why[256];
	assert_int_equal(fio_quote(FIO_FILENAME, "/mnt/a:b/f", out, sizeof(out), why, sizeof(why)), 0);
	assert_string_equal(out, "/mnt/a\\:b/f");
	assert_int_equal(fio_quote(FIO_COMMENT, "r%s;#$x", out, sizeof(out), why, sizeof(why)), 0);
	assert_string_equal(out, "r%s;#$x");
	static const char *const bad[] = { "/a\nexec_prerun=x", "/a;b", "/a#b", "/a${HOME}", "/a\\b", "/a\x01", "/a ", " /a" };
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		why[0] = '\0';
		assert_int_equal(fio_quote(FIO_FILENAME, bad[i], out, sizeof(out), why, sizeof(why)), -1);
		assert_string_equal(out, "");
		assert_non_null(strstr(why, "fio cannot be given '"));
		assert_null(strchr(why, '\n'));
	}
	assert_int_equal(fio_quote(FIO_FILENAME, "/a\nb", out, sizeof(out), why, sizeof(why)), -1);
	assert_non_null(strstr(why, "'/a\\nb': it holds a newline"));
	assert_int_equal(fio_quote(FIO_COMMENT, "a\nb", out, sizeof(out), why, sizeof(why)), 0);
	assert_string_equal(out, "a\\nb");
	char tiny[4];
	assert_int_equal(fio_quote(FIO_FILENAME, "/a:b", tiny, sizeof(tiny), why, sizeof(why)), -1);
	assert_non_null(strstr(why, "too long"));
}

static void visible_and_components(void **state)
{
	(void)state;
	char out[64];
	assert_string_equal(text_visible("a\nb\tc\x1b", out, sizeof(out)), "a\\nb\\tc\\x1b");
	assert_string_equal(text_visible("a\nb", out, 3), "a");
	assert_string_equal(path_component("..", out, sizeof(out)), "__");
	assert_string_equal(path_component(".", out, sizeof(out)), "_");
	assert_string_equal(path_component("", out, sizeof(out)), "_");
	assert_string_equal(path_component(".hidden.x", out, sizeof(out)), "_hidden.x");
	assert_string_equal(path_component("a/../b\n", out, sizeof(out)), "a_.._b_");
	assert_string_equal(path_component("quick", out, sizeof(out)), "quick");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(gnuplot_strings),
		cmocka_unit_test(fio_values),
		cmocka_unit_test(visible_and_components),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
