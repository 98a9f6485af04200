/* The one quoting helper for roff (the man page): text in, text a formatter prints as written. */
#ifndef DAXPERF_ROFF_H
#define DAXPERF_ROFF_H

#include <stdio.h>

/* Writes s escaped for roff: backslashes as \e, hyphens as \-, double quotes as \(dq (safe inside
 * macro arguments), and a '.' or '\'' that would start a line (a request) behind \&. `at_line_start`
 * says whether s begins a line; every newline in s starts another. */
void roff_put(FILE *f, const char *s, int at_line_start);

#endif
