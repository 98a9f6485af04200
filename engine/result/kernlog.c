#include "result/kernlog.h"
#include "lib/util.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* A RIP or call trace belongs to the finding above it when it comes within this many lines. */
#define ATTACH_LINES 60

/* The line without "<4>" priority and "[   12.345678] " time prefixes. */
static const char *strip_prefix(const char *s)
{
	if (s[0] == '<') {
		const char *e = strchr(s, '>');
		if (e && e - s < 5)
			s = e + 1;
	}
	if (s[0] == '[') {
		const char *e = strchr(s, ']');
		if (e)
			s = e + 1 + (e[1] == ' ');
	}
	return s;
}

/* "dax_insert_entry+0x2a0/0x330 [mod]" -> "dax_insert_entry" */
static void symbol_of(const char *s, char *out, size_t len)
{
	while (*s == ' ' || *s == '?')
		s++;
	size_t n = 0;
	while (s[n] && (isalnum((unsigned char)s[n]) || s[n] == '_' || s[n] == '.') && n + 1 < len)
		n++;
	memcpy(out, s, n);
	out[n] = '\0';
}

/* " at fs/dax.c:380 dax_insert_entry+0x..." (a WARNING) or "kernel BUG at mm/x.c:12!" */
static void location_of(const char *line, struct kern_event *ev)
{
	const char *at = strstr(line, " at ");
	if (!at)
		return;
	at += 4;
	size_t n = strcspn(at, " !");
	if (!memchr(at, ':', n) || n >= sizeof(ev->location))
		return;
	memcpy(ev->location, at, n);
	ev->location[n] = '\0';
	if (at[n] == ' ')
		symbol_of(at + n + 1, ev->function, sizeof(ev->function));
}

static const char *kind_of(const char *l)
{
	if (!strncmp(l, "WARNING:", 8))
		return "WARNING";
	if (!strncmp(l, "BUG:", 4) || strstr(l, "kernel BUG at "))
		return "BUG";
	if (!strncmp(l, "Oops", 4) || strstr(l, "invalid opcode:") || strstr(l, "general protection fault"))
		return "Oops";
	if (!strncmp(l, "INFO: task ", 11) && strstr(l, "blocked for more than"))
		return "hung task";
	if (strstr(l, "Memory failure:"))
		return "Memory failure";
	if (!strncmp(l, "Call Trace:", 11))
		return "Call Trace";
	return NULL;
}

unsigned kernlog_scan(const char *text, void (*fn)(void *ctx, const struct kern_event *ev), void *ctx)
{
	struct kern_event ev;
	int open = 0;            /* ev holds a finding not yet passed on */
	long since = ATTACH_LINES; /* lines since the last finding began */
	int want_trace_fn = 0;   /* a lone Call Trace takes its function from the next line */
	unsigned found = 0;
	for (const char *p = text; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char raw[512];
		snprintf(raw, sizeof(raw), "%.*s", (int)(len < sizeof(raw) ? len : sizeof(raw) - 1), p);
		p = nl ? nl + 1 : NULL;
		const char *l = strip_prefix(raw);
		since++;
		if (want_trace_fn) {
			symbol_of(l, ev.function, sizeof(ev.function));
			want_trace_fn = !ev.function[0] && since < 4;
			continue;
		}
		const char *kind = kind_of(l);
		if (kind && !strcmp(kind, "Call Trace") && since < ATTACH_LINES)
			continue; /* the trace of the finding above */
		if (kind && !strcmp(kind, "Oops") && open && !strcmp(ev.kind, "BUG") && since < 3)
			continue; /* "kernel BUG at f.c:N!" then "invalid opcode": one finding, its RIP below */
		if (!kind) {
			/* "RIP: 0010:__vm_insert_mixed+0x..." names the function of a BUG or Oops */
			const char *rip = strstr(l, "RIP: ");
			if (open && rip && !ev.function[0] && since < ATTACH_LINES) {
				const char *colon = strchr(rip + 5, ':');
				symbol_of(colon ? colon + 1 : rip + 5, ev.function, sizeof(ev.function));
			}
			continue;
		}
		if (open) {
			fn(ctx, &ev);
			found++;
		}
		memset(&ev, 0, sizeof(ev));
		snprintf(ev.kind, sizeof(ev.kind), "%s", kind);
		size_t tl = strlen(l) < sizeof(ev.text) ? strlen(l) : sizeof(ev.text) - 1;
		memcpy(ev.text, l, tl);
		location_of(l, &ev);
		open = 1;
		since = 0;
		want_trace_fn = !strcmp(kind, "Call Trace");
	}
	if (open) {
		fn(ctx, &ev);
		found++;
	}
	return found;
}

static void append_json(void *ctx, const struct kern_event *ev)
{
	json_array_append_new(ctx, json_pack("{s:s, s:s, s:s, s:s}", "kind", ev->kind, "function", ev->function,
					     "location", ev->location, "text", ev->text));
}

json_t *kernlog_events_json(const char *text)
{
	json_t *a = json_array();
	kernlog_scan(text, append_json, a);
	return a;
}

int kernlog_kind_is_fault(const char *kind)
{
	return kind && strcmp(kind, "Memory failure") != 0;
}
