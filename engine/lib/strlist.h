/* A growable list of owned strings (--set arguments, a sweep's values). */
#ifndef DAXPERF_STRLIST_H
#define DAXPERF_STRLIST_H

#include <stddef.h>

struct strlist {
	char **v;
	size_t n;
};

/* Appends a copy of s. */
void strlist_add(struct strlist *l, const char *s);
/* Frees every string and empties the list. */
void strlist_free(struct strlist *l);

#endif
