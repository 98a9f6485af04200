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

bool opt_numeric(const struct opt_def *d)
{
	return d->type == OPT_SIZE || d->type == OPT_COUNT || d->type == OPT_TIME;
}

bool opt_sweepable(const struct opt_def *d)
{
	return opt_numeric(d) || d->type == OPT_BOOL || d->type == OPT_ENUM || d->type == OPT_PATTERN ||
	       d->type == OPT_RW || d->type == OPT_NODE || d->type == OPT_WHERE;
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

int opt_parse(const struct opt_def *d, const char *text, void *base, char *err, size_t errlen)
{
	char choices[256];
	switch (d->type) {
	case OPT_SIZE:
	case OPT_COUNT:
	case OPT_TIME:
		return opt_parse_number(d, text, SLOT(d, base, uint64_t), err, errlen);
	case OPT_BOOL:
		if (parse_bool(text, SLOT(d, base, int)) == 0)
			return 0;
		fmt_into(err, errlen, "%s must be 0 or 1 (or yes/no, on/off), not '%s'", d->name, text);
		return -1;
	case OPT_ENUM:
		for (int i = 0; d->values[i]; i++) {
			if (!strcasecmp(text, d->values[i])) {
				*SLOT(d, base, int) = i;
				return 0;
			}
		}
		enum_choices(d, ", ", choices, sizeof(choices));
		fmt_into(err, errlen, "%s must be one of %s, not '%s'", d->name, choices, text);
		return -1;
	case OPT_NAME:
		if (*text && !is_plain_name(text)) { /* empty: the engine picks a name */
			fmt_into(err, errlen, "%s must be a plain file name inside the target directory, not '%s'",
				 d->name, text);
			return -1;
		}
		snprintf(SLOT(d, base, char), OPT_NAME_MAX, "%s", text);
		return 0;
	case OPT_CPULIST:
		if (parse_cpulist(text, SLOT(d, base, struct cpu_list)) == 0)
			return 0;
		fmt_into(err, errlen, "%s must be a CPU list such as 0-3,6, not '%s'", d->name, text);
		return -1;
	case OPT_PATTERN:
		if (parse_pattern(text, SLOT(d, base, struct access_pattern)) == 0)
			return 0;
		fmt_into(err, errlen, "%s must be one of seq, rand, stride:N, not '%s'", d->name, text);
		return -1;
	case OPT_RW:
		if (parse_rw(text, SLOT(d, base, struct rw_mix)) == 0)
			return 0;
		fmt_into(err, errlen, "%s must be one of read, write, mix:PERCENT_READ, not '%s'", d->name, text);
		return -1;
	case OPT_WHERE:
		if (parse_where(text, SLOT(d, base, struct page_where)) == 0)
			return 0;
		fmt_into(err, errlen, "%s must be one of random, hot, offset:BYTES, not '%s'", d->name, text);
		return -1;
	case OPT_PERCENTILES: {
		char why[160] = "";
		if (parse_percentiles(text, SLOT(d, base, struct percentile_list), why, sizeof(why)) == 0)
			return 0;
		if (why[0])
			fmt_into(err, errlen, "%s: %s", d->name, why);
		else
			fmt_into(err, errlen, "%s must be a list of up to %d percentiles between 0 and 100, not '%s'",
				 d->name, PERCENTILES_MAX, text);
		return -1;
	}
	case OPT_NODE: {
		uint64_t n;
		if (!strcasecmp(text, "any"))
			return *SLOT(d, base, int) = -1, 0;
		if (parse_count(text, &n) == 0 && n < 1024)
			return *SLOT(d, base, int) = (int)n, 0;
		fmt_into(err, errlen, "%s must be a NUMA node number or any, not '%s'", d->name, text);
		return -1;
	}
	case OPT_WARMUP: {
		struct warmup *w = SLOT(d, base, struct warmup);
		w->ns = w->ops = 0;
		int rc = has_time_unit(text) ? parse_time_ns(text, &w->ns) : parse_count(text, &w->ops);
		if (rc == 0)
			return 0;
		fmt_into(err, errlen, "%s must be a time such as 1s or an op count such as 1000, not '%s'",
			 d->name, text);
		return -1;
	}
	}
	fmt_into(err, errlen, "%s: option type not handled", d->name);
	return -1;
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

void opt_format(const struct opt_def *d, const void *base, char *buf, size_t len)
{
	switch (d->type) {
	case OPT_SIZE:
	case OPT_COUNT:
	case OPT_TIME:
		opt_format_number(d, *CSLOT(d, base, uint64_t), buf, len);
		return;
	case OPT_BOOL:
		snprintf(buf, len, "%d", *CSLOT(d, base, int));
		return;
	case OPT_ENUM:
		snprintf(buf, len, "%s", d->values[*CSLOT(d, base, int)]);
		return;
	case OPT_NAME:
		snprintf(buf, len, "%s", CSLOT(d, base, char));
		return;
	case OPT_CPULIST:
		format_cpulist(CSLOT(d, base, struct cpu_list), buf, len);
		return;
	case OPT_PATTERN: {
		const struct access_pattern *p = CSLOT(d, base, struct access_pattern);
		char s[32];
		format_size(p->stride, s, sizeof(s));
		if (p->kind == PATTERN_STRIDE)
			snprintf(buf, len, "stride:%s", s);
		else
			snprintf(buf, len, "%s", p->kind == PATTERN_SEQ ? "seq" : "rand");
		return;
	}
	case OPT_WHERE: {
		const struct page_where *w = CSLOT(d, base, struct page_where);
		char s[32];
		format_size(w->offset, s, sizeof(s));
		if (w->kind == WHERE_OFFSET)
			snprintf(buf, len, "offset:%s", s);
		else
			snprintf(buf, len, "%s", w->kind == WHERE_HOT ? "hot" : "random");
		return;
	}
	case OPT_RW: {
		const struct rw_mix *m = CSLOT(d, base, struct rw_mix);
		if (m->kind == RW_MIX)
			snprintf(buf, len, "mix:%u", m->read_pct);
		else
			snprintf(buf, len, "%s", m->kind == RW_READ ? "read" : "write");
		return;
	}
	case OPT_PERCENTILES: {
		const struct percentile_list *p = CSLOT(d, base, struct percentile_list);
		size_t used = 0;
		buf[0] = '\0';
		for (unsigned i = 0; i < p->count && used < len; i++)
			used += (size_t)snprintf(buf + used, len - used, "%s%g", i ? "," : "", p->p[i]);
		return;
	}
	case OPT_NODE:
		if (*CSLOT(d, base, int) < 0)
			snprintf(buf, len, "any");
		else
			snprintf(buf, len, "%d", *CSLOT(d, base, int));
		return;
	case OPT_WARMUP: {
		const struct warmup *w = CSLOT(d, base, struct warmup);
		if (w->ns)
			format_time(w->ns, buf, len);
		else
			snprintf(buf, len, "%llu", (unsigned long long)w->ops);
		return;
	}
	}
	snprintf(buf, len, "?");
}

void opt_describe_type(const struct opt_def *d, char *buf, size_t len)
{
	switch (d->type) {
	case OPT_SIZE: snprintf(buf, len, "size"); return;
	case OPT_COUNT: snprintf(buf, len, "count"); return;
	case OPT_TIME: snprintf(buf, len, "time"); return;
	case OPT_BOOL: snprintf(buf, len, "0|1"); return;
	case OPT_ENUM:
		enum_choices(d, "|", buf, len);
		return;
	case OPT_NAME: snprintf(buf, len, "file name"); return;
	case OPT_CPULIST: snprintf(buf, len, "cpu list"); return;
	case OPT_PATTERN: snprintf(buf, len, "seq|rand|stride:N"); return;
	case OPT_RW: snprintf(buf, len, "read|write|mix:P"); return;
	case OPT_PERCENTILES: snprintf(buf, len, "list of %%"); return;
	case OPT_WARMUP: snprintf(buf, len, "time or ops"); return;
	case OPT_NODE: snprintf(buf, len, "node|any"); return;
	case OPT_WHERE: snprintf(buf, len, "random|hot|offset:X"); return;
	}
	snprintf(buf, len, "?");
}

void opt_print_help(const struct opt_def *table, const char *title)
{
	printf("%s\n", title);
	printf("  %-16s %-24s %-9s %-14s %s\n", "option", "type", "default", "range", "meaning");
	for (const struct opt_def *d = table; d && d->name; d++) {
		char type[128], range[64] = "", lo[32], hi[32];
		opt_describe_type(d, type, sizeof(type));
		if (opt_numeric(d)) {
			opt_format_number(d, d->min, lo, sizeof(lo));
			if (d->max) {
				opt_format_number(d, d->max, hi, sizeof(hi));
				fmt_into(range, sizeof(range), "%s..%s", lo, hi);
			} else {
				snprintf(range, sizeof(range), ">= %s", lo);
			}
		}
		printf("  %-16s %-24s %-9s %-14s %s\n", d->name, type, *d->def ? d->def : "-", range, d->help);
	}
}
