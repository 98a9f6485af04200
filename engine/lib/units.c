#include "lib/units.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Splits "123abc" into the number 123 and the suffix "abc"; rejects signs, blanks and empty numbers. */
static int split_number(const char *s, uint64_t *num, const char **suffix)
{
	if (!s || !isdigit((unsigned char)*s))
		return -EINVAL;
	uint64_t v = 0;
	while (isdigit((unsigned char)*s)) {
		unsigned d = (unsigned)(*s - '0');
		if (v > (UINT64_MAX - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
		s++;
	}
	*num = v;
	*suffix = s;
	return 0;
}

static int scale(uint64_t v, uint64_t mult, uint64_t *out)
{
	if (mult && v > UINT64_MAX / mult)
		return -ERANGE;
	*out = v * mult;
	return 0;
}

struct unit {
	const char *name;
	uint64_t mult;
};

static int parse_with_units(const char *s, const struct unit *units, uint64_t *out)
{
	uint64_t v;
	const char *suffix;
	int rc = split_number(s, &v, &suffix);
	if (rc)
		return rc;
	for (const struct unit *u = units; u->name; u++)
		if (!strcasecmp(suffix, u->name))
			return scale(v, u->mult, out);
	return -EINVAL;
}

static const struct unit size_units[] = {
	{ "", 1 }, { "b", 1 },
	{ "k", 1ull << 10 }, { "kb", 1ull << 10 }, { "kib", 1ull << 10 },
	{ "m", 1ull << 20 }, { "mb", 1ull << 20 }, { "mib", 1ull << 20 },
	{ "g", 1ull << 30 }, { "gb", 1ull << 30 }, { "gib", 1ull << 30 },
	{ "t", 1ull << 40 }, { "tb", 1ull << 40 }, { "tib", 1ull << 40 },
	{ NULL, 0 },
};

static const struct unit time_units[] = {
	{ "ns", 1 }, { "us", 1000 }, { "ms", 1000000 }, { "s", 1000000000ull },
	{ "m", 60000000000ull }, { "min", 60000000000ull }, { "h", 3600000000000ull },
	{ NULL, 0 },
};

/* Counts scale by powers of 1000: ops = 1m means a million operations. */
static const struct unit count_units[] = {
	{ "", 1 }, { "k", 1000 }, { "m", 1000000 }, { "g", 1000000000ull }, { NULL, 0 },
};

int parse_size(const char *s, uint64_t *bytes)
{
	return parse_with_units(s, size_units, bytes);
}

int parse_time_ns(const char *s, uint64_t *ns)
{
	return parse_with_units(s, time_units, ns);
}

int parse_count(const char *s, uint64_t *n)
{
	return parse_with_units(s, count_units, n);
}

int has_time_unit(const char *s)
{
	uint64_t v;
	const char *suffix;
	if (split_number(s, &v, &suffix))
		return 0;
	for (const struct unit *u = time_units; u->name; u++)
		if (!strcasecmp(suffix, u->name))
			return 1;
	return 0;
}

void format_size(uint64_t bytes, char *buf, size_t len)
{
	static const char *const names[] = { "t", "g", "m", "k" };
	static const unsigned shifts[] = { 40, 30, 20, 10 };
	for (size_t i = 0; i < 4; i++) {
		uint64_t m = 1ull << shifts[i];
		if (bytes && bytes % m == 0) {
			snprintf(buf, len, "%llu%s", (unsigned long long)(bytes / m), names[i]);
			return;
		}
	}
	snprintf(buf, len, "%llu", (unsigned long long)bytes);
}

void format_time(uint64_t ns, char *buf, size_t len)
{
	static const char *const names[] = { "s", "ms", "us" };
	static const uint64_t mults[] = { 1000000000ull, 1000000ull, 1000ull };
	for (size_t i = 0; i < 3; i++) {
		if (ns && ns % mults[i] == 0) {
			snprintf(buf, len, "%llu%s", (unsigned long long)(ns / mults[i]), names[i]);
			return;
		}
	}
	snprintf(buf, len, "%lluns", (unsigned long long)ns);
}

void format_si(double v, char *buf, size_t len)
{
	static const char *const names[] = { "", "k", "M", "G", "T" };
	size_t i = 0;
	while (v >= 999.5 && i + 1 < 5) {
		v /= 1000;
		i++;
	}
	if (v >= 99.95)
		snprintf(buf, len, "%.0f%s", v, names[i]);
	else if (v >= 9.995)
		snprintf(buf, len, "%.1f%s", v, names[i]);
	else
		snprintf(buf, len, "%.2f%s", v, names[i]);
}

void format_latency(double ns, char *buf, size_t len)
{
	if (ns < 1000)
		snprintf(buf, len, ns < 100 ? "%.1fns" : "%.0fns", ns);
	else if (ns < 1e6)
		snprintf(buf, len, "%.3gus", ns / 1e3);
	else if (ns < 1e9)
		snprintf(buf, len, "%.3gms", ns / 1e6);
	else
		snprintf(buf, len, "%.3gs", ns / 1e9);
}
