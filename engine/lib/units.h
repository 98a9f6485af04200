/* Parsing and printing of sizes (4k, 2m, 1g: powers of 1024), times (500ms, 10s) and counts (1000, 1m). */
#ifndef DAXPERF_UNITS_H
#define DAXPERF_UNITS_H

#include <stdint.h>
#include <stddef.h>

/* Each returns 0, or -EINVAL for text that is not a value, -ERANGE for one that overflows. */
int parse_size(const char *s, uint64_t *bytes);
int parse_time_ns(const char *s, uint64_t *ns);
int parse_count(const char *s, uint64_t *n);
/* True when the text carries a time unit (used to tell "warmup = 2s" from "warmup = 1000"). */
int has_time_unit(const char *s);

/* Shortest exact spelling: 65536 -> "64k", 1536 -> "1536". */
void format_size(uint64_t bytes, char *buf, size_t len);
/* Shortest exact spelling: 2000000000 -> "2s", 1500000 -> "1500us". */
void format_time(uint64_t ns, char *buf, size_t len);
/* Human figure with 3 significant digits: 1234567 -> "1.23M". */
void format_si(double v, char *buf, size_t len);
/* A latency with its unit, 3 significant digits: "45.1ns", "1.23us", "2.50ms", "1.20s". */
void format_latency(double ns, char *buf, size_t len);

#endif
