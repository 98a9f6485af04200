#include "lib/util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>

int messages_quiet;

/* Character c as it is shown in a message: itself, or \n, \t, \xNN for control characters. */
static const char *visible_char(unsigned char c, char esc[8])
{
	if (c == '\n')
		return "\\n";
	if (c == '\t')
		return "\\t";
	if (c < 0x20 || c == 0x7f)
		snprintf(esc, 8, "\\x%02x", c);
	else
		esc[0] = (char)c, esc[1] = '\0';
	return esc;
}

/* "daxperf: <prefix><message>" on one line: a path or name holding a newline or an escape sequence
 * is shown with text_visible's escapes, so a message never spans lines or drives the terminal. */
__attribute__((format(printf, 2, 0))) static void put_message(const char *prefix, const char *fmt, va_list ap)
{
	char *msg = NULL;
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	fprintf(stderr, "daxperf: %s", prefix);
	char esc[8];
	for (const char *s = msg ? msg : fmt; *s; s++)
		fputs(visible_char((unsigned char)*s, esc), stderr);
	fputc('\n', stderr);
	free(msg);
}

int error(const char *fmt, ...)
{
	if (messages_quiet)
		return -1;
	va_list ap;
	va_start(ap, fmt);
	put_message("", fmt, ap);
	va_end(ap);
	return -1;
}

void note(const char *fmt, ...)
{
	if (messages_quiet)
		return;
	va_list ap;
	va_start(ap, fmt);
	put_message("note: ", fmt, ap);
	va_end(ap);
}

static void *die_oom(void)
{
	fputs("daxperf: out of memory\n", stderr);
	abort();
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	return p ? p : die_oom();
}

void *xrealloc(void *p, size_t size)
{
	void *q = realloc(p, size ? size : 1);
	return q ? q : die_oom();
}

char *xstrdup(const char *s)
{
	char *p = strdup(s ? s : "");
	return p ? p : die_oom();
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	va_start(ap, fmt);
	int n = vasprintf(&s, fmt, ap);
	va_end(ap);
	return n < 0 ? die_oom() : s;
}

bool fmt_into(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	return n >= 0 && (size_t)n < len;
}

char *text_visible(const char *s, char *out, size_t len)
{
	size_t k = 0;
	for (; s && *s; s++) {
		char buf[8];
		const char *esc = visible_char((unsigned char)*s, buf);
		size_t n = strlen(esc);
		if (k + n + 1 > len)
			break;
		memcpy(out + k, esc, n);
		k += n;
	}
	if (len)
		out[k] = '\0';
	return out;
}

unsigned edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 64 || lb > 64)
		return 99;
	unsigned row[65];
	for (size_t j = 0; j <= lb; j++)
		row[j] = (unsigned)j;
	for (size_t i = 1; i <= la; i++) {
		unsigned diag = row[0];
		row[0] = (unsigned)i;
		for (size_t j = 1; j <= lb; j++) {
			unsigned up = row[j];
			unsigned cost = tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]);
			unsigned best = diag + cost;
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 4096, n = 0;
	char *buf = xcalloc(1, cap);
	for (;;) {
		size_t got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
		if (n + 1 < cap)
			break;
		cap *= 2;
		buf = xrealloc(buf, cap);
	}
	int failed = ferror(f);
	fclose(f);
	if (failed) {
		free(buf);
		errno = EIO;
		return NULL;
	}
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

const char *utf8_invalid(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		unsigned c = *p, n;
		uint32_t cp;
		if (c < 0x80) {
			p++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			n = 1, cp = c & 0x1f;
		else if (c >= 0xe0 && c <= 0xef)
			n = 2, cp = c & 0x0f;
		else if (c >= 0xf0 && c <= 0xf4)
			n = 3, cp = c & 0x07;
		else
			return (const char *)p;
		for (unsigned i = 1; i <= n; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return (const char *)p;
			cp = cp << 6 | (p[i] & 0x3f);
		}
		/* overlong forms, UTF-16 surrogates and code points past U+10FFFF */
		if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
			return (const char *)p;
		p += n + 1;
	}
	return NULL;
}

int line_of(const char *text, const char *at)
{
	int line = 1;
	for (const char *p = text; p < at; p++)
		line += *p == '\n';
	return line;
}
