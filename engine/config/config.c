#include "config/config.h"
#include "lib/util.h"

#include <errno.h>
#include <ini.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#define INCLUDE_DEPTH_MAX 8
/* A config is a page of text; anything larger is a mistake (an include of /dev/zero, a log file). */
#define CONFIG_SIZE_MAX (1u << 20)
/* ... and a config with all its includes at most this (what the result carries of it) */
#define CONFIG_TOTAL_MAX (4u << 20)
/* libinih copies section names into a fixed buffer of this size (INI_MAX_SECTION) and cuts them. */
#define SECTION_NAME_MAX 50
#define LINE_MAX_CHARS 4096

struct parse_state {
	struct cfg *c;
	const struct parse_state *parent; /* the including file's state: cycles are found by walking it */
	const char *file;     /* the file being read (owned by c->files) */
	dev_t dev;
	ino_t ino;
	const char *outer;    /* section the include stands in, for section-less keys of included files */
	int depth;
	int line;             /* counted by line_reader: inih calls it once per line */
	const char *text, *pos; /* the file's text, read once, and where the next line starts */
	char err[512];
};

static const char *remember_file(struct cfg *c, const char *path)
{
	c->files = xrealloc(c->files, (c->nfiles + 1) * sizeof(char *));
	c->files[c->nfiles] = xstrdup(path);
	return c->files[c->nfiles++];
}

static size_t name_hash(const char *name)
{
	size_t h = 14695981039346656037ull; /* FNV-1a */
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		h = (h ^ *p) * 1099511628211ull;
	return h;
}

/* The slot holding name, or the free slot where it would go. */
static size_t *index_slot(const struct cfg *c, const char *name)
{
	size_t mask = c->index_cap - 1;
	for (size_t i = name_hash(name) & mask;; i = (i + 1) & mask)
		if (!c->index[i] || !strcmp(c->s[c->index[i] - 1].name, name))
			return &c->index[i];
}

struct cfg_section *cfg_section(struct cfg *c, const char *name)
{
	if (!c->index_cap)
		return NULL;
	size_t at = *index_slot(c, name);
	return at ? &c->s[at - 1] : NULL;
}

static struct cfg_section *add_section(struct cfg *c, const char *name, const char *file, int line)
{
	if (2 * (c->n + 1) > c->index_cap) {
		free(c->index);
		c->index_cap = c->index_cap ? 2 * c->index_cap : 64;
		c->index = xcalloc(c->index_cap, sizeof(size_t));
		for (size_t i = 0; i < c->n; i++)
			*index_slot(c, c->s[i].name) = i + 1;
	}
	/* doubled when full, not grown by one: a config of many sections is copied log n times, not n */
	if ((c->n & (c->n - 1)) == 0)
		c->s = xrealloc(c->s, (c->n ? 2 * c->n : 1) * sizeof(*c->s));
	struct cfg_section *s = &c->s[c->n];
	memset(s, 0, sizeof(*s));
	s->name = xstrdup(name);
	s->file = file;
	s->line = line;
	*index_slot(c, name) = ++c->n;
	return s;
}

void cfg_add(struct cfg *c, const char *section, const char *key, const char *value, const char *file, int line)
{
	struct cfg_section *s = cfg_section(c, section);
	if (!s)
		s = add_section(c, section, file, line);
	s->e = xrealloc(s->e, (s->n + 1) * sizeof(*s->e));
	s->e[s->n++] = (struct cfg_entry){ xstrdup(key), xstrdup(value), file, line };
}

static const char *file_type(mode_t m)
{
	return S_ISDIR(m) ? "a directory" : S_ISFIFO(m) ? "a FIFO" : S_ISCHR(m) ? "a character device"
	     : S_ISBLK(m) ? "a block device" : S_ISSOCK(m) ? "a socket" : "not a regular file";
}

/* Reads a config file: regular files of at most CONFIG_SIZE_MAX only, opened without blocking
 * (a FIFO would wait for a writer forever), UTF-8 text without NUL bytes. The text, or NULL with
 * why filled; *st has the file's device and inode. */
static char *load_text(const char *path, struct stat *st, char *why, size_t len)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		fmt_into(why, len, "%s", strerror(errno));
		return NULL;
	}
	char *text = NULL;
	if (fstat(fd, st)) {
		fmt_into(why, len, "%s", strerror(errno));
	} else if (!S_ISREG(st->st_mode)) {
		fmt_into(why, len, "%s, not a regular file", file_type(st->st_mode));
	} else if (st->st_size > CONFIG_SIZE_MAX) {
		fmt_into(why, len, "%lld bytes, more than a config may have (%u)", (long long)st->st_size, CONFIG_SIZE_MAX);
	} else {
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK); /* only a FIFO needed it, at the open */
		/* read one byte past the limit: a file that grows after the fstat is still caught */
		text = xcalloc(1, CONFIG_SIZE_MAX + 2);
		size_t n = 0;
		ssize_t got = 0;
		while (n <= CONFIG_SIZE_MAX && (got = read(fd, text + n, CONFIG_SIZE_MAX + 1 - n)) > 0)
			n += (size_t)got;
		const char *bad = NULL;
		if (got < 0)
			fmt_into(why, len, "%s", strerror(errno));
		else if (n > CONFIG_SIZE_MAX)
			fmt_into(why, len, "more than a config may have (%u bytes)", CONFIG_SIZE_MAX);
		else if (strlen(text) != n)
			fmt_into(why, len, "not a text file (NUL byte at offset %zu)", strlen(text));
		else if ((bad = utf8_invalid(text)))
			fmt_into(why, len, "line %d: not UTF-8 text (byte 0x%02x)", line_of(text, bad), (unsigned char)*bad);
		if (got < 0 || n > CONFIG_SIZE_MAX || strlen(text) != n || bad) {
			free(text);
			text = NULL;
		}
	}
	close(fd);
	return text;
}

static int parse_file(struct parse_state *st, const char *path, char *why, size_t whylen);

static int include_file(struct parse_state *st, const char *sect, const char *value)
{
	if (st->depth >= INCLUDE_DEPTH_MAX) {
		fmt_into(st->err, sizeof(st->err), "%s:%d: includes nested deeper than %d", st->file, st->line,
			 INCLUDE_DEPTH_MAX);
		return 0;
	}
	char *dir_copy = xstrdup(st->file);
	char *inc = value[0] == '/' ? xstrdup(value) : xasprintf("%s/%s", dirname(dir_copy), value);
	free(dir_copy);
	struct parse_state sub = { .c = st->c, .parent = st, .outer = sect, .depth = st->depth + 1 };
	char why[300] = "";
	int rc = parse_file(&sub, inc, why, sizeof(why));
	if (rc && why[0])
		fmt_into(st->err, sizeof(st->err), "%s:%d: cannot include '%s': %s", st->file, st->line, inc, why);
	else if (rc)
		memcpy(st->err, sub.err, sizeof(st->err));
	free(inc);
	return rc == 0;
}

static int handle_entry(void *user, const char *section, const char *name, const char *value)
{
	struct parse_state *st = user;
	const char *sect = *section ? section : st->outer;
	if (!sect) {
		fmt_into(st->err, sizeof(st->err), "%s:%d: '%s' stands before any [section]", st->file, st->line, name);
		return 0;
	}
	if (!*name) {
		fmt_into(st->err, sizeof(st->err), "%s:%d: a value without a key", st->file, st->line);
		return 0;
	}
	if (!strcmp(name, "include"))
		return include_file(st, sect, value);
	/* twice in one section of one file is a slip (an included file may still be overridden) */
	const struct cfg_section *s = cfg_section(st->c, sect);
	for (size_t i = 0; s && i < s->n; i++) {
		if (s->e[i].file == st->file && !strcmp(s->e[i].key, name)) {
			fmt_into(st->err, sizeof(st->err), "%s:%d: '%s' again in [%s] (first at line %d): one value per key, "
				 "or a list such as %s = a,b", st->file, st->line, name, sect, s->e[i].line, name);
			return 0;
		}
	}
	cfg_add(st->c, sect, name, value, st->file, st->line);
	return 1;
}

/* A "[name]" line: its section is made here, so that a section without keys is a job too, and a
 * name libinih would cut, an empty one or a second section of the same name is an error. 0 or -1. */
static int section_line(struct parse_state *st, const char *line)
{
	if (st->line == 1 && !strncmp(line, "\xEF\xBB\xBF", 3))
		line += 3; /* a UTF-8 byte order mark, which libinih skips too */
	while (*line == ' ' || *line == '\t')
		line++;
	if (*line != '[')
		return 0;
	const char *end = strchr(line, ']');
	if (!end)
		return 0; /* libinih says "not '[section]'" */
	size_t n = (size_t)(end - line - 1);
	const char *after = end + 1;
	while (*after == ' ' || *after == '\t' || *after == '\r' || *after == '\n')
		after++;
	if (*after && *after != ';' && *after != '#') {
		/* libinih drops it: "[a] b" would silently be [a] */
		fmt_into(st->err, sizeof(st->err), "%s:%d: text after the section name: '%.40s'", st->file, st->line, end + 1);
		char *nl = strpbrk(st->err, "\r\n");
		if (nl)
			strcpy(nl, "'");
		return -1;
	}
	if (n == 0) {
		fmt_into(st->err, sizeof(st->err), "%s:%d: empty section name '[]'", st->file, st->line);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		/* a job's name reaches terminals, tables and every figure: no escape sequence rides along */
		if ((unsigned char)line[1 + i] < 0x20 || line[1 + i] == 0x7f) {
			fmt_into(st->err, sizeof(st->err), "%s:%d: section name holds a control character (byte 0x%02x)",
				 st->file, st->line, (unsigned char)line[1 + i]);
			return -1;
		}
	}
	if (n >= SECTION_NAME_MAX) {
		fmt_into(st->err, sizeof(st->err), "%s:%d: section name longer than %d characters: [%.*s%s]",
			 st->file, st->line, SECTION_NAME_MAX - 1, n > 64 ? 64 : (int)n, line + 1, n > 64 ? "..." : "");
		return -1;
	}
	char name[SECTION_NAME_MAX];
	memcpy(name, line + 1, n);
	name[n] = '\0';
	if (!strcasecmp(name, CFG_GLOBAL) && strcmp(name, CFG_GLOBAL)) {
		/* it would be a job that runs with these options, not options every job inherits */
		fmt_into(st->err, sizeof(st->err), "%s:%d: [%s]: section names are case-sensitive; the inherited one is [%s]",
			 st->file, st->line, name, CFG_GLOBAL);
		return -1;
	}
	const struct cfg_section *old = cfg_section(st->c, name);
	if (old && strcmp(name, CFG_GLOBAL)) {
		fmt_into(st->err, sizeof(st->err), "%s:%d: section [%s] again (first at %s:%d): give each job its own name",
			 st->file, st->line, name, old->file, old->line);
		return -1;
	}
	if (!old)
		add_section(st->c, name, st->file, st->line);
	return 0;
}

/* libinih's fgets: hands over the text read at load one line at a time and counts lines, so the
 * handler knows the line it is called for. A line too long for libinih's buffer is an error here:
 * libinih would read its rest as a line of its own. */
static char *line_reader(char *str, int num, void *stream)
{
	struct parse_state *st = stream;
	if (st->err[0] || !*st->pos)
		return NULL;
	const char *nl = strchr(st->pos, '\n');
	size_t n = nl ? (size_t)(nl - st->pos) + 1 : strlen(st->pos);
	st->line++;
	if (n > (size_t)num - 1) {
		fmt_into(st->err, sizeof(st->err), "%s:%d: line longer than %d characters", st->file, st->line, num - 2);
		return NULL;
	}
	memcpy(str, st->pos, n);
	str[n] = '\0';
	st->pos += n;
	if (section_line(st, str))
		return NULL;
	return str;
}

/* Adds a file's text to the config's, for the result; -1 past CONFIG_TOTAL_MAX (a config that
 * includes a 1 MiB file 60,000 times). Grown by doubling: 300 includes took 92 s copying. */
static int append_text(struct cfg *c, const char *path, const char *text)
{
	char *head = xasprintf("; file: %s\n", path);
	size_t hl = strlen(head), tl = strlen(text);
	int rc = -1;
	if (c->text_len + hl + tl <= CONFIG_TOTAL_MAX) {
		if (c->text_len + hl + tl + 1 > c->text_cap) {
			c->text_cap = 2 * (c->text_len + hl + tl + 1);
			c->text = xrealloc(c->text, c->text_cap);
		}
		memcpy(c->text + c->text_len, head, hl);
		memcpy(c->text + c->text_len + hl, text, tl + 1);
		c->text_len += hl + tl;
		rc = 0;
	}
	free(head);
	return rc;
}

/* 0; -1 with why filled for a file that cannot be read (the caller names it); -EINVAL with st->err. */
static int parse_file(struct parse_state *st, const char *path, char *why, size_t whylen)
{
	struct stat sb;
	char *text = load_text(path, &sb, why, whylen);
	if (!text)
		return -1;
	for (const struct parse_state *p = st->parent; p; p = p->parent) {
		if (p->dev == sb.st_dev && p->ino == sb.st_ino) {
			fmt_into(why, whylen, "it is %s, which is being read (an include cycle)", p->file);
			free(text);
			return -1;
		}
	}
	if (append_text(st->c, path, text)) {
		fmt_into(why, whylen, "the config and its includes pass %u bytes of text", CONFIG_TOTAL_MAX);
		free(text);
		return -1;
	}
	st->dev = sb.st_dev;
	st->ino = sb.st_ino;
	st->file = remember_file(st->c, path);
	st->text = st->pos = text;
	st->line = 0;
	int rc = ini_parse_stream(line_reader, st, handle_entry, st);
	free(text);
	if (rc == 0 && !st->err[0])
		return 0;
	if (!st->err[0])
		fmt_into(st->err, sizeof(st->err), "%s:%d: not 'key = value' nor '[section]'", path, rc);
	return -EINVAL;
}

int cfg_load(struct cfg *c, const char *path)
{
	memset(c, 0, sizeof(*c));
	ini_stop_on_first_error = true;
	/* Debian's libinih reads lines into a 200-byte buffer whatever these ask (line_reader is
	 * handed 200); a longer line is refused there, never cut */
	ini_use_stack = false;
	ini_max_line = LINE_MAX_CHARS;
	/* an indented line is a key of its own, not the continuation of the line before */
	ini_allow_multiline = false;
	c->path = xstrdup(path);
	char *base = xstrdup(path), *b = basename(base);
	char *dot = strrchr(b, '.');
	if (dot && !strcmp(dot, ".ini"))
		*dot = '\0';
	c->name = xstrdup(b);
	free(base);
	struct parse_state st = { .c = c };
	char why[300] = "";
	int rc = parse_file(&st, path, why, sizeof(why));
	if (rc == 0)
		return 0;
	/* a config that failed holds nothing the caller may use: free it here, once */
	if (why[0])
		error("%s: cannot read config: %s", path, why);
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
	free(c->index);
	free(c->s);
	free(c->text);
	free(c->name);
	free(c->path);
	memset(c, 0, sizeof(*c));
}
