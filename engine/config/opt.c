#include "config/opt.h"
#include "lib/units.h"
#include "lib/util.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define SLOT(d, base, type) ((type *)((char *)(base) + (d)->offset))
#define CSLOT(d, base, type) ((const type *)((const char *)(base) + (d)->offset))

const struct opt_def *opt_find(const struct opt_def *table, const char *name)
{
	for (const struct opt_def *d = table; d && d->name; d++)
		if (!strcmp(d->name, name))
			return d;
	return NULL;
}

static const char *unit_hint(const struct opt_def *d)
{
	switch (d->type) {
	case OPT_SIZE: return "a size such as 4k, 2m or 1g";
	case OPT_TIME: return "a time such as 500ms or 10s";
	default: return "a whole number such as 1000 or 10k";
	}
}

int opt_parse_number(const struct opt_def *d, const char *text, uint64_t *v, char *err, size_t errlen)
{
	int rc = d->type == OPT_SIZE ? parse_size(text, v)
	       : d->type == OPT_TIME ? parse_time_ns(text, v)
	                             : parse_count(text, v);
	if (rc == -ERANGE) {
		fmt_into(err, errlen, "%s = '%s' is too large", d->name, text);
		return -1;
	}
	if (rc) {
		fmt_into(err, errlen, "%s must be %s, not '%s'", d->name, unit_hint(d), text);
		return -1;
	}
	if (*v < d->min || (d->max && *v > d->max)) {
		char lo[32], hi[32];
		opt_format_number(d, d->min, lo, sizeof(lo));
		if (d->max) {
			opt_format_number(d, d->max, hi, sizeof(hi));
			fmt_into(err, errlen, "%s = %s is out of range %s..%s", d->name, text, lo, hi);
		} else {
			fmt_into(err, errlen, "%s = %s is below the minimum %s", d->name, text, lo);
		}
		return -1;
	}
	return 0;
}

void opt_format_number(const struct opt_def *d, uint64_t v, char *buf, size_t len)
{
	if (d->type == OPT_SIZE)
		format_size(v, buf, len);
	else if (d->type == OPT_TIME)
		format_time(v, buf, len);
	else
		snprintf(buf, len, "%llu", (unsigned long long)v);
}

static void enum_choices(const struct opt_def *d, const char *sep, char *buf, size_t len)
{
	size_t used = 0;
	buf[0] = '\0';
	for (const char *const *v = d->values; *v; v++) {
		int n = snprintf(buf + used, len - used, "%s%s", used ? sep : "", *v);
		if (n < 0 || (size_t)n >= len - used)
			break;
		used += (size_t)n;
	}
}

static int parse_bool(const char *t, int *out)
{
	static const char *const yes[] = { "1", "yes", "on", "true" }, *const no[] = { "0", "no", "off", "false" };
	for (size_t i = 0; i < 4; i++) {
		if (!strcasecmp(t, yes[i]))
			return *out = 1, 0;
		if (!strcasecmp(t, no[i]))
			return *out = 0, 0;
	}
	return -1;
}

/* Parses "0-3,6" into a CPU set; CPUs past CPU_SETSIZE or reversed ranges are errors. */
static int parse_cpulist(const char *t, struct cpu_list *out)
{
	CPU_ZERO(&out->set);
	out->count = 0;
	if (!*t)
		return 0;
	const char *p = t;
	for (;;) {
		char *end;
		if (!isdigit((unsigned char)*p))
			return -1;
		unsigned long lo = strtoul(p, &end, 10), hi = lo;
		if (*end == '-') {
			if (!isdigit((unsigned char)end[1]))
				return -1;
			hi = strtoul(end + 1, &end, 10);
		}
		if (hi < lo || hi >= CPU_SETSIZE)
			return -1;
		for (unsigned long c = lo; c <= hi; c++)
			CPU_SET(c, &out->set);
		if (*end == '\0')
			break;
		if (*end != ',')
			return -1;
		p = end + 1;
	}
	out->count = (unsigned)CPU_COUNT(&out->set);
	return 0;
}

/* 0, or -1 with why set when the reason is more than "not a list of percentiles". Each value must
 * survive %g, which names it in the result ("99.99999999" would be reported as p100), and appear once. */
static int parse_percentiles(const char *t, struct percentile_list *out, char *why, size_t len)
{
	char *copy = xstrdup(t), *save = NULL;
	out->count = 0;
	int rc = 0;
	for (char *tok = strtok_r(copy, ",", &save); tok && !rc; tok = strtok_r(NULL, ",", &save)) {
		char *end, spelled[32];
		tok = trim(tok);
		double p = strtod(tok, &end);
		if (end == tok || *end || !(p > 0 && p < 100) || out->count == PERCENTILES_MAX) {
			rc = -1;
			break;
		}
		snprintf(spelled, sizeof(spelled), "%g", p);
		if (strtod(spelled, NULL) != p) {
			fmt_into(why, len, "percentile %s has more digits than a result names it by (%s)", tok, spelled);
			rc = -1;
		}
		for (unsigned i = 0; i < out->count && !rc; i++) {
			if (out->p[i] == p) {
				fmt_into(why, len, "percentile %s is listed twice", tok);
				rc = -1;
			}
		}
		if (!rc)
			out->p[out->count++] = p;
	}
	free(copy);
	return rc || out->count == 0 ? -1 : 0;
}

/* "stride:N" with N a size, or one of seq / rand. */
static int parse_pattern(const char *t, struct access_pattern *out)
{
	out->stride = 0;
	if (!strcasecmp(t, "seq"))
		return out->kind = PATTERN_SEQ, 0;
	if (!strcasecmp(t, "rand"))
		return out->kind = PATTERN_RAND, 0;
	if (!strncasecmp(t, "stride:", 7) && parse_size(t + 7, &out->stride) == 0 && out->stride > 0)
		return out->kind = PATTERN_STRIDE, 0;
	return -1;
}

static int parse_where(const char *t, struct page_where *out)
{
	out->offset = 0;
	if (!strcasecmp(t, "random"))
		return out->kind = WHERE_RANDOM, 0;
	if (!strcasecmp(t, "hot"))
		return out->kind = WHERE_HOT, 0;
	if (!strncasecmp(t, "offset:", 7) && parse_size(t + 7, &out->offset) == 0)
		return out->kind = WHERE_OFFSET, 0;
	return -1;
}

static int parse_rw(const char *t, struct rw_mix *out)
{
	if (!strcasecmp(t, "read"))
		return out->kind = RW_READ, out->read_pct = 100, 0;
	if (!strcasecmp(t, "write"))
		return out->kind = RW_WRITE, out->read_pct = 0, 0;
	uint64_t pct;
	if (!strncasecmp(t, "mix:", 4) && parse_count(t + 4, &pct) == 0 && pct <= 100)
		return out->kind = RW_MIX, out->read_pct = (unsigned)pct, 0;
	return -1;
}

static bool is_plain_name(const char *t)
{
	return *t && !strchr(t, '/') && strcmp(t, ".") && strcmp(t, "..") && strlen(t) < OPT_NAME_MAX;
}

/* "NAME must be EXPECT, not 'TEXT'"; returns -1. */
static int must_be(const struct opt_def *d, const char *expect, const char *text, char *err, size_t errlen)
{
	fmt_into(err, errlen, "%s must be %s, not '%s'", d->name, expect, text);
	return -1;
}

/* The parsers of the table below: text into the option's slot; 0, or -1 with err written. */
static int read_number(const struct opt_def *d, const char *text, void *slot, char *err, size_t errlen)
{
	return opt_parse_number(d, text, slot, err, errlen);
}

static int read_bool(const struct opt_def *d, const char *text, void *slot, char *err, size_t errlen)
{
	return parse_bool(text, slot) ? must_be(d, "0 or 1 (or yes/no, on/off)", text, err, errlen) : 0;
}

static int read_enum(const struct opt_def *d, const char *text, void *slot, char *err, size_t errlen)
{
	for (int i = 0; d->values[i]; i++) {
		if (!strcasecmp(text, d->values[i])) {
			*(int *)slot = i;
			return 0;
		}
	}
	char choices[256], expect[272];
	enum_choices(d, ", ", choices, sizeof(choices));
	fmt_into(expect, sizeof(expect), "one of %s", choices);
	return must_be(d, expect, text, err, errlen);
}

static int read_name(const struct opt_def *d, const char *text, void *slot, char *err, size_t errlen)
{
	if (*text && !is_plain_name(text)) /* empty: the engine picks a name */
		return must_be(d, "a plain file name inside the target directory", text, err, errlen);
	snprintf(slot, OPT_NAME_MAX, "%s", text);
	return 0;
}

static int read_word(const struct opt_def *d, const char *text, void *slot, char *err, size_t errlen)
{
	size_t n = strspn(text, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.");
	if (text[n] || n >= OPT_NAME_MAX)
		return must_be(d, "a name of letters, digits, '-', '_' and '.'", text, err, errlen);
	snprintf(slot, OPT_NAME_MAX, "%s", text);
	return 0;
}

static int read_cpulist(const struct opt_def *d, const char *text, void *slot, char *err, size_t errlen)
{
	return parse_cpulist(text, slot) ? must_be(d, "a CPU list such as 0-3,6", text, err, errlen) : 0;
}

static int read_pattern(const struct opt_def *d, const char *text, void *slot, char *err, size_t errlen)
{
	return parse_pattern(text, slot) ? must_be(d, "one of seq, rand, stride:N", text, err, errlen) : 0;
}

static int read_rw(const struct opt_def *d, const char *text, void *slot, char *err, size_t errlen)
{
	return parse_rw(text, slot) ? must_be(d, "one of read, write, mix:PERCENT_READ", text, err, errlen) : 0;
}

static int read_where(const struct opt_def *d, const char *text, void *slot, char *err, size_t errlen)
{
	return parse_where(text, slot) ? must_be(d, "one of random, hot, offset:BYTES", text, err, errlen) : 0;
}

static int read_percentiles(const struct opt_def *d, const char *text, void *slot, char *err, size_t errlen)
{
	char expect[80];
	fmt_into(expect, sizeof(expect), "a list of up to %d percentiles between 0 and 100", PERCENTILES_MAX);
	char why[160] = "";
	if (parse_percentiles(text, slot, why, sizeof(why)) == 0)
		return 0;
	if (!why[0])
		return must_be(d, expect, text, err, errlen);
	fmt_into(err, errlen, "%s: %s", d->name, why);
	return -1;
}

static int read_node(const struct opt_def *d, const char *text, void *slot, char *err, size_t errlen)
{
	uint64_t n;
	if (!strcasecmp(text, "any"))
		return *(int *)slot = -1, 0;
	if (parse_count(text, &n) == 0 && n < 1024)
		return *(int *)slot = (int)n, 0;
	return must_be(d, "a NUMA node number or any", text, err, errlen);
}

static int read_warmup(const struct opt_def *d, const char *text, void *slot, char *err, size_t errlen)
{
	struct warmup *w = slot;
	w->ns = w->ops = 0;
	int rc = has_time_unit(text) ? parse_time_ns(text, &w->ns) : parse_count(text, &w->ops);
	return rc ? must_be(d, "a time such as 1s or an op count such as 1000", text, err, errlen) : 0;
}

int opt_set_defaults(const struct opt_def *table, void *base)
{
	char err[256];
	for (const struct opt_def *d = table; d && d->name; d++)
		if (opt_parse(d, d->def, base, err, sizeof(err)))
			return error("built-in default is invalid: %s", err);
	return 0;
}

static void format_cpulist(const struct cpu_list *c, char *buf, size_t len)
{
	size_t used = 0;
	buf[0] = '\0';
	for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		if (!CPU_ISSET(cpu, &c->set))
			continue;
		int last = cpu;
		while (last + 1 < CPU_SETSIZE && CPU_ISSET(last + 1, &c->set))
			last++;
		int n = last > cpu ? snprintf(buf + used, len - used, "%s%d-%d", used ? "," : "", cpu, last)
				   : snprintf(buf + used, len - used, "%s%d", used ? "," : "", cpu);
		if (n < 0 || (size_t)n >= len - used)
			return;
		used += (size_t)n;
		cpu = last;
	}
}

/* The formatters of the table below: the slot's value as the user would write it. */
static void write_number(const struct opt_def *d, const void *slot, char *buf, size_t len)
{
	opt_format_number(d, *(const uint64_t *)slot, buf, len);
}

static void write_int(const struct opt_def *d, const void *slot, char *buf, size_t len)
{
	(void)d;
	snprintf(buf, len, "%d", *(const int *)slot);
}

static void write_enum(const struct opt_def *d, const void *slot, char *buf, size_t len)
{
	snprintf(buf, len, "%s", d->values[*(const int *)slot]);
}

static void write_name(const struct opt_def *d, const void *slot, char *buf, size_t len)
{
	(void)d;
	snprintf(buf, len, "%s", (const char *)slot);
}

static void write_cpulist(const struct opt_def *d, const void *slot, char *buf, size_t len)
{
	(void)d;
	format_cpulist(slot, buf, len);
}

static void write_pattern(const struct opt_def *d, const void *slot, char *buf, size_t len)
{
	(void)d;
	const struct access_pattern *p = slot;
	char s[32];
	format_size(p->stride, s, sizeof(s));
	if (p->kind == PATTERN_STRIDE)
		snprintf(buf, len, "stride:%s", s);
	else
		snprintf(buf, len, "%s", p->kind == PATTERN_SEQ ? "seq" : "rand");
}

static void write_where(const struct opt_def *d, const void *slot, char *buf, size_t len)
{
	(void)d;
	const struct page_where *w = slot;
	char s[32];
	format_size(w->offset, s, sizeof(s));
	if (w->kind == WHERE_OFFSET)
		snprintf(buf, len, "offset:%s", s);
	else
		snprintf(buf, len, "%s", w->kind == WHERE_HOT ? "hot" : "random");
}

static void write_rw(const struct opt_def *d, const void *slot, char *buf, size_t len)
{
	(void)d;
	const struct rw_mix *m = slot;
	if (m->kind == RW_MIX)
		snprintf(buf, len, "mix:%u", m->read_pct);
	else
		snprintf(buf, len, "%s", m->kind == RW_READ ? "read" : "write");
}

static void write_percentiles(const struct opt_def *d, const void *slot, char *buf, size_t len)
{
	(void)d;
	const struct percentile_list *p = slot;
	size_t used = 0;
	buf[0] = '\0';
	for (unsigned i = 0; i < p->count && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%g", i ? "," : "", p->p[i]);
}

static void write_node(const struct opt_def *d, const void *slot, char *buf, size_t len)
{
	(void)d;
	int node = *(const int *)slot;
	if (node < 0)
		snprintf(buf, len, "any");
	else
		snprintf(buf, len, "%d", node);
}

static void write_warmup(const struct opt_def *d, const void *slot, char *buf, size_t len)
{
	(void)d;
	const struct warmup *w = slot;
	if (w->ns)
		format_time(w->ns, buf, len);
	else
		snprintf(buf, len, "%llu", (unsigned long long)w->ops);
}

/* One row per option type: how its text is read and written back, how help names it (NULL: the
 * enum's choices), and whether a comma list of values sweeps it (ranges only for numbers). */
static const struct opt_type_row {
	int (*read)(const struct opt_def *d, const char *text, void *slot, char *err, size_t errlen);
	void (*write)(const struct opt_def *d, const void *slot, char *buf, size_t len);
	const char *type_name;
	bool numeric, sweepable;
} opt_types[] = {
	[OPT_SIZE] = { read_number, write_number, "size", true, true },
	[OPT_COUNT] = { read_number, write_number, "count", true, true },
	[OPT_TIME] = { read_number, write_number, "time", true, true },
	[OPT_BOOL] = { read_bool, write_int, "0|1", false, true },
	[OPT_ENUM] = { read_enum, write_enum, NULL, false, true },
	[OPT_NAME] = { read_name, write_name, "file name", false, false },
	[OPT_CPULIST] = { read_cpulist, write_cpulist, "cpu list", false, false },
	[OPT_PATTERN] = { read_pattern, write_pattern, "seq|rand|stride:N", false, true },
	[OPT_RW] = { read_rw, write_rw, "read|write|mix:P", false, true },
	[OPT_PERCENTILES] = { read_percentiles, write_percentiles, "list of %", false, false },
	[OPT_WARMUP] = { read_warmup, write_warmup, "time or ops", false, false },
	[OPT_NODE] = { read_node, write_node, "node|any", false, true },
	[OPT_WHERE] = { read_where, write_where, "random|hot|offset:X", false, true },
	[OPT_WORD] = { read_word, write_name, "name", false, false },
};

bool opt_numeric(const struct opt_def *d)
{
	return opt_types[d->type].numeric;
}

bool opt_sweepable(const struct opt_def *d)
{
	return opt_types[d->type].sweepable;
}

int opt_parse(const struct opt_def *d, const char *text, void *base, char *err, size_t errlen)
{
	return opt_types[d->type].read(d, text, SLOT(d, base, char), err, errlen);
}

void opt_format(const struct opt_def *d, const void *base, char *buf, size_t len)
{
	opt_types[d->type].write(d, CSLOT(d, base, char), buf, len);
}

void opt_describe_type(const struct opt_def *d, char *buf, size_t len)
{
	if (opt_types[d->type].type_name)
		snprintf(buf, len, "%s", opt_types[d->type].type_name);
	else
		enum_choices(d, "|", buf, len);
}

/* The range column of help: "1..1g", ">= 0", or empty for non-numbers. */
void opt_describe_range(const struct opt_def *d, char *range, size_t len)
{
	char lo[32], hi[32];
	range[0] = '\0';
	if (!opt_numeric(d))
		return;
	opt_format_number(d, d->min, lo, sizeof(lo));
	if (d->max) {
		opt_format_number(d, d->max, hi, sizeof(hi));
		fmt_into(range, len, "%s..%s", lo, hi);
	} else {
		fmt_into(range, len, ">= %s", lo);
	}
}

void opt_print_help(const struct opt_def *table, const char *title)
{
	/* columns as wide as their widest cell, so a long enum or default never shifts the rest */
	int wname = 6, wtype = 4, wdef = 7, wrange = 5;
	for (const struct opt_def *d = table; d && d->name; d++) {
		char type[128], range[64];
		opt_describe_type(d, type, sizeof(type));
		opt_describe_range(d, range, sizeof(range));
		wname = (int)strlen(d->name) > wname ? (int)strlen(d->name) : wname;
		wtype = (int)strlen(type) > wtype ? (int)strlen(type) : wtype;
		wdef = (int)strlen(d->def) > wdef ? (int)strlen(d->def) : wdef;
		wrange = (int)strlen(range) > wrange ? (int)strlen(range) : wrange;
	}
	printf("%s\n", title);
	printf("  %-*s %-*s %-*s %-*s %s\n", wname, "option", wtype, "type", wdef, "default", wrange, "range", "meaning");
	for (const struct opt_def *d = table; d && d->name; d++) {
		char type[128], range[64];
		opt_describe_type(d, type, sizeof(type));
		opt_describe_range(d, range, sizeof(range));
		printf("  %-*s %-*s %-*s %-*s %s\n", wname, d->name, wtype, type, wdef, *d->def ? d->def : "-", wrange, range,
		       d->help);
	}
}
