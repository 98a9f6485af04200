/*
 * Option tables: one table per scope (common job options, each workload's own), with designated
 * initializers. The same table drives the INI config, `--set key=value`, `daxperf help` and the
 * "options" object of every result, so an option is declared exactly once.
 */
#ifndef DAXPERF_OPT_H
#define DAXPERF_OPT_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <sched.h>

enum opt_type {
	OPT_SIZE,        /* uint64_t bytes: 4k, 2m, 1g */
	OPT_COUNT,       /* uint64_t: 1000, 10k, 1m */
	OPT_TIME,        /* uint64_t nanoseconds: 500ms, 10s */
	OPT_BOOL,        /* int: 0/1, yes/no, on/off, true/false */
	OPT_ENUM,        /* int: index into .values */
	OPT_NAME,        /* char[OPT_NAME_MAX]: a plain file name, no '/' */
	OPT_CPULIST,     /* struct cpu_list: 0-3,6 */
	OPT_PATTERN,     /* struct access_pattern: seq | rand | stride:N */
	OPT_RW,          /* struct rw_mix: read | write | mix:PERCENT_READ */
	OPT_PERCENTILES, /* struct percentile_list: 50,99,99.9 */
	OPT_WARMUP,      /* struct warmup: a time (2s) or an op count (1000) */
	OPT_NODE,        /* int: a NUMA node number, or -1 for "any" */
	OPT_WHERE,       /* struct page_where: random | hot | offset:X */
	OPT_WORD,        /* char[OPT_NAME_MAX]: letters, digits, '-', '_' and '.' (a group's name) */
};

#define OPT_NAME_MAX 128
#define PERCENTILES_MAX 16

enum pattern_kind { PATTERN_SEQ, PATTERN_RAND, PATTERN_STRIDE };
struct access_pattern {
	int kind;
	uint64_t stride; /* bytes, for PATTERN_STRIDE */
};

enum rw_kind { RW_READ, RW_WRITE, RW_MIX };
struct rw_mix {
	int kind;
	unsigned read_pct; /* 100 for read, 0 for write */
};

struct cpu_list {
	unsigned count;
	cpu_set_t set;
};

struct percentile_list {
	unsigned count;
	double p[PERCENTILES_MAX];
};

enum where_kind { WHERE_RANDOM, WHERE_HOT, WHERE_OFFSET };
/* Which pages of the job file an action (poison) picks. */
struct page_where {
	int kind;
	uint64_t offset; /* WHERE_OFFSET: a byte offset in the job file */
};

struct warmup {
	uint64_t ns;
	uint64_t ops;
};

struct opt_def {
	const char *name;
	enum opt_type type;
	size_t offset;              /* where the value lives in the scope's struct */
	const char *def;            /* default, written as a user would write it */
	uint64_t min, max;          /* numeric bounds (inclusive); max 0 = none */
	const char *const *values;  /* OPT_ENUM: NULL-terminated names */
	const char *help;
};

/* Finds a name in a table terminated by an entry with .name == NULL. */
const struct opt_def *opt_find(const struct opt_def *table, const char *name);

/* True when the type accepts a comma list of values to sweep over; ranges only for numbers. */
bool opt_sweepable(const struct opt_def *d);
bool opt_numeric(const struct opt_def *d);

/* Parses text into the value slot of `base`; on failure writes the reason into err and returns -1. */
int opt_parse(const struct opt_def *d, const char *text, void *base, char *err, size_t errlen);
/* Parses a bare number of the option's type (for sweep ranges). */
int opt_parse_number(const struct opt_def *d, const char *text, uint64_t *v, char *err, size_t errlen);
/* Spells a number of the option's type the way a user would write it. */
void opt_format_number(const struct opt_def *d, uint64_t v, char *buf, size_t len);
/* Writes every option of the table to its default; returns -1 only for a broken table. */
int opt_set_defaults(const struct opt_def *table, void *base);

/* Writes the current value as user text (round-trips through opt_parse). */
void opt_format(const struct opt_def *d, const void *base, char *buf, size_t len);
/* Describes the type for help output: "size", "one of seq, rand, stride:N", ... */
void opt_describe_type(const struct opt_def *d, char *buf, size_t len);
/* Describes the bounds for help output: "1..1g", ">= 0", or "" for non-numbers. */
void opt_describe_range(const struct opt_def *d, char *buf, size_t len);
/* Prints a help table of every option of a table. */
void opt_print_help(const struct opt_def *table, const char *title);

#endif
