/* Small helpers shared by every module: error messages, checked allocation, strings. */
#ifndef DAXPERF_UTIL_H
#define DAXPERF_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Set by the fuzzers: error() and note() print nothing (the errors are what they expect). */
extern int messages_quiet;

/* Prints "daxperf: <message>" on stderr once; returns -1 so callers can `return error(...)`. */
int error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints "daxperf: note: <message>" on stderr. */
void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Allocation that cannot fail: a benchmark out of memory has nothing sensible to measure. */
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* snprintf that always terminates; returns true when the text fit. */
bool fmt_into(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* S for an error message on one line: control characters as \n, \t or \xNN, the rest as it is
 * (cut to fit len). Returns out. */
char *text_visible(const char *s, char *out, size_t len);

/* Edit distance, for "did you mean" suggestions. */
unsigned edit_distance(const char *a, const char *b);

/* Reads a whole file into a NUL-terminated buffer; returns NULL and sets errno on failure. */
char *read_file(const char *path, size_t *len);

/* Trims leading and trailing white space in place; returns the start. */
/* The first byte of s that is not valid UTF-8 (jansson refuses such strings), or NULL. */
const char *utf8_invalid(const char *s);
/* The 1-based line of text that `at` points into. */
int line_of(const char *text, const char *at);
char *trim(char *s);

#endif
