/* Helpers for the unit tests: capture what a call prints on stderr, write temporary configs. */
#ifndef DAXPERF_TESTUTIL_H
#define DAXPERF_TESTUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char captured[4096] __attribute__((unused)); /* tests that capture nothing include this too */

/* Runs stmt with stderr sent to a file, then leaves the text in `captured`. */
#define CAPTURE_STDERR(stmt)                                                   \
	do {                                                                   \
		fflush(stderr);                                                \
		int saved_ = dup(2);                                           \
		FILE *tmp_ = tmpfile();                                        \
		dup2(fileno(tmp_), 2);                                         \
		stmt;                                                          \
		fflush(stderr);                                                \
		dup2(saved_, 2);                                               \
		close(saved_);                                                 \
		rewind(tmp_);                                                  \
		size_t n_ = fread(captured, 1, sizeof(captured) - 1, tmp_);    \
		captured[n_] = '\0';                                           \
		fclose(tmp_);                                                  \
	} while (0)

/* Writes text to a fresh file in a fresh temporary directory; returns its path (static buffer). */
static inline const char *write_temp(const char *name, const char *text)
{
	static char dir[64] = "";
	static char path[128];
	if (!dir[0]) {
		snprintf(dir, sizeof(dir), "/tmp/daxperf-unit-XXXXXX");
		if (!mkdtemp(dir))
			abort();
	}
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	if (!f)
		abort();
	fputs(text, f);
	fclose(f);
	return path;
}

#endif
