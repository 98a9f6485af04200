/*
 * Reading INI configs (libinih) into sections of key = value entries that remember their file and
 * line, so every later error can name them. `include = other.ini` reads another file in place
 * (relative to the including file); [global] holds what every job inherits.
 */
#ifndef DAXPERF_CONFIG_H
#define DAXPERF_CONFIG_H

#include <stddef.h>

struct cfg_entry {
	char *key;
	char *value;
	const char *file; /* owned by the cfg's file list */
	int line;
};

struct cfg_section {
	char *name;
	const char *file;
	int line;
	struct cfg_entry *e;
	size_t n;
};

struct cfg {
	char *name;        /* "quick" for configs/quick.ini */
	char *path;        /* the top file */
	char *text;        /* every file read, concatenated with "; file:" headers, for the result */
	size_t text_len, text_cap;
	struct cfg_section *s;
	size_t n;
	char **files;
	size_t nfiles;
	size_t *index;     /* open-addressed hash of section names: slot = section number + 1, 0 = free */
	size_t index_cap;  /* a power of two, at least twice n: a config of 100,000 sections stays linear */
};

#define CFG_GLOBAL "global"

/* Reads a config file and its includes; on error prints "file:line: why" once and returns -1. */
int cfg_load(struct cfg *c, const char *path);
/* Adds an entry to the named section (created at the end if missing). */
void cfg_add(struct cfg *c, const char *section, const char *key, const char *value, const char *file, int line);
/* Finds a section by name, or NULL. */
struct cfg_section *cfg_section(struct cfg *c, const char *name);
void cfg_free(struct cfg *c);

#endif
