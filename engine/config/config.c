#include "config/config.h"
#include "lib/util.h"

#include <errno.h>
#include <ini.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define INCLUDE_DEPTH_MAX 8

struct parse_state {
	struct cfg *c;
	const char *file;     /* the file being read (owned by c->files) */
	const char *outer;    /* section the include stands in, for section-less keys of included files */
	int depth;
	int line;             /* counted by line_reader: inih calls it once per line */
	FILE *fp;
	char err[512];
};

static const char *remember_file(struct cfg *c, const char *path)
{
	c->files = xrealloc(c->files, (c->nfiles + 1) * sizeof(char *));
	c->files[c->nfiles] = xstrdup(path);
	return c->files[c->nfiles++];
}

struct cfg_section *cfg_section(struct cfg *c, const char *name)
{
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->s[i].name, name))
			return &c->s[i];
	return NULL;
}

void cfg_add(struct cfg *c, const char *section, const char *key, const char *value, const char *file, int line)
{
	struct cfg_section *s = cfg_section(c, section);
	if (!s) {
		c->s = xrealloc(c->s, (c->n + 1) * sizeof(*c->s));
		s = &c->s[c->n++];
		memset(s, 0, sizeof(*s));
		s->name = xstrdup(section);
		s->file = file;
		s->line = line;
	}
	s->e = xrealloc(s->e, (s->n + 1) * sizeof(*s->e));
	s->e[s->n++] = (struct cfg_entry){ xstrdup(key), xstrdup(value), file, line };
}

static int parse_file(struct parse_state *st, const char *path);

static int handle_entry(void *user, const char *section, const char *name, const char *value)
{
	struct parse_state *st = user;
	const char *sect = *section ? section : st->outer;
	if (!sect) {
		fmt_into(st->err, sizeof(st->err), "%s:%d: '%s' stands before any [section]", st->file, st->line, name);
		return 0;
	}
	if (!strcmp(name, "include")) {
		if (st->depth >= INCLUDE_DEPTH_MAX) {
			fmt_into(st->err, sizeof(st->err), "%s:%d: includes nested deeper than %d (a cycle?)",
				 st->file, st->line, INCLUDE_DEPTH_MAX);
			return 0;
		}
		char *dir_copy = xstrdup(st->file);
		char *inc = value[0] == '/' ? xstrdup(value) : xasprintf("%s/%s", dirname(dir_copy), value);
		free(dir_copy);
		struct parse_state sub = { .c = st->c, .outer = sect, .depth = st->depth + 1 };
		int rc = parse_file(&sub, inc);
		if (rc == -ENOENT || rc == -EACCES || rc == -EISDIR)
			fmt_into(st->err, sizeof(st->err), "%s:%d: cannot include '%s': %s", st->file, st->line, inc,
				 strerror(-rc));
		else if (rc)
			memcpy(st->err, sub.err, sizeof(st->err));
		free(inc);
		return rc == 0;
	}
	cfg_add(st->c, sect, name, value, st->file, st->line);
	return 1;
}

/* fgets that counts lines, so the handler knows the line it is called for. */
static char *line_reader(char *str, int num, void *stream)
{
	struct parse_state *st = stream;
	char *got = fgets(str, num, st->fp);
	if (got && strchr(got, '\n'))
		st->line++;
	else if (got && feof(st->fp))
		st->line++;
	return got;
}

static void append_text(struct cfg *c, const char *path, const char *text)
{
	char *joined = xasprintf("%s; file: %s\n%s", c->text ? c->text : "", path, text);
	free(c->text);
	c->text = joined;
}

/* 0, -errno for a file that cannot be read (message left to the caller), or -EINVAL with st->err. */
static int parse_file(struct parse_state *st, const char *path)
{
	size_t len;
	char *text = read_file(path, &len);
	if (!text)
		return -errno;
	if (strlen(text) != len) {
		free(text);
		fmt_into(st->err, sizeof(st->err), "%s: not a text file (NUL byte)", path);
		return -EINVAL;
	}
	st->file = remember_file(st->c, path);
	append_text(st->c, path, text);
	free(text);
	st->fp = fopen(path, "r");
	if (!st->fp)
		return -errno;
	st->line = 0;
	int rc = ini_parse_stream(line_reader, st, handle_entry, st);
	fclose(st->fp);
	if (rc == 0)
		return 0;
	if (!st->err[0]) {
		if (rc < 0)
			fmt_into(st->err, sizeof(st->err), "%s: cannot read", path);
		else
			fmt_into(st->err, sizeof(st->err), "%s:%d: not 'key = value' nor '[section]'", path, rc);
	}
	return -EINVAL;
}

int cfg_load(struct cfg *c, const char *path)
{
	memset(c, 0, sizeof(*c));
	ini_stop_on_first_error = true;
	/* long lines (CPU lists, percentiles) must not be cut at inih's default 200 characters */
	ini_use_stack = false;
	ini_max_line = 4096;
	c->path = xstrdup(path);
	char *base = xstrdup(path), *b = basename(base);
	char *dot = strrchr(b, '.');
	if (dot && !strcmp(dot, ".ini"))
		*dot = '\0';
	c->name = xstrdup(b);
	free(base);
	struct parse_state st = { .c = c };
	int rc = parse_file(&st, path);
	if (rc == 0)
		return 0;
	/* a config that failed holds nothing the caller may use: free it here, once */
	if (rc != -EINVAL)
		error("%s: cannot read config: %s", path, strerror(-rc));
	else
		error("%s", st.err);
	cfg_free(c);
	return -1;
}

void cfg_free(struct cfg *c)
{
	for (size_t i = 0; i < c->n; i++) {
		for (size_t j = 0; j < c->s[i].n; j++) {
			free(c->s[i].e[j].key);
			free(c->s[i].e[j].value);
		}
		free(c->s[i].e);
		free(c->s[i].name);
	}
	for (size_t i = 0; i < c->nfiles; i++)
		free(c->files[i]);
	free(c->files);
	free(c->s);
	free(c->text);
	free(c->name);
	free(c->path);
	memset(c, 0, sizeof(*c));
}
