#include "lib/paths.h"
#include "lib/strlist.h"
#include "lib/util.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef DAXPERF_DATADIR
#define DAXPERF_DATADIR "/usr/local/share/daxperf"
#endif

static int is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static int home_is_tree; /* daxperf_home() is a source tree, not an installed data directory */

const char *daxperf_home(void)
{
	static char home[PATH_MAX];
	if (home[0])
		return home;
	char exe[PATH_MAX], probe[PATH_MAX + 16];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash)
			*slash = '\0';
		/* the source tree: beside the binary, or one up (sanitizer builds live in build-asan/) */
		for (int up = 0; up < 2; up++) {
			snprintf(probe, sizeof(probe), "%s/configs", exe);
			if (is_dir(probe)) {
				snprintf(home, sizeof(home), "%s", exe);
				home_is_tree = 1;
				return home;
			}
			slash = strrchr(exe, '/');
			if (!slash)
				break;
			*slash = '\0';
		}
	}
	const char *env = getenv("DAXPERF_HOME");
	snprintf(home, sizeof(home), "%s", env && *env ? env : DAXPERF_DATADIR);
	return home;
}

const char *daxperf_datadir(void)
{
	return DAXPERF_DATADIR;
}

void config_names(struct strlist *out)
{
	char dir[PATH_MAX + 16];
	snprintf(dir, sizeof(dir), "%s/configs", daxperf_home());
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort);
	for (int i = 0; i < n; i++) {
		size_t len = strlen(names[i]->d_name);
		if (len > 4 && !strcmp(names[i]->d_name + len - 4, ".ini")) {
			names[i]->d_name[len - 4] = '\0';
			strlist_add(out, names[i]->d_name);
		}
		free(names[i]);
	}
	if (n >= 0)
		free(names);
}

/* The first sentence of a shipped config's leading comment, its "NAME: " dropped, cut at a word to
 * at most width characters ("..." added): what `daxperf list` says of it; "" when it has none. */
static void config_summary(const char *name, char *out, size_t width)
{
	char buf[2048], text[2048] = "";
	out[0] = '\0';
	char *path = xasprintf("%s/configs/%s.ini", daxperf_home(), name);
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	free(path);
	struct stat st;
	if (fd < 0)
		return;
	ssize_t n = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? read(fd, buf, sizeof(buf) - 1) : -1;
	close(fd);
	if (n <= 0)
		return;
	buf[n] = '\0';
	/* the comment lines before the first setting, joined into one text */
	for (char *line = buf, *next; line && (*line == ';' || *line == '#'); line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		line += strspn(line, ";# \t");
		if (strlen(text) + strlen(line) + 2 < sizeof(text))
			strcat(strcat(text, *text ? " " : ""), line);
	}
	char *t = text;
	size_t nl = strlen(name);
	if (!strncmp(t, name, nl) && t[nl] == ':')
		t += nl + 1 + strspn(t + nl + 1, " ");
	char *stop = strstr(t, ". ");
	if (stop)
		stop[1] = '\0';
	for (char *c = t; *c; c++) /* shown on a terminal: nothing but text */
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = ' ';
	if (strlen(t) > width) {
		char *cut = t + width - 3;
		while (cut > t && *cut != ' ')
			cut--;
		strcpy(cut > t ? cut : t + width - 3, "...");
	}
	snprintf(out, width + 1, "%s", t);
}

void list_configs(const char *indent)
{
	struct strlist names = { 0 };
	config_names(&names);
	size_t w = 0;
	for (size_t i = 0; i < names.n; i++)
		w = strlen(names.v[i]) > w ? strlen(names.v[i]) : w;
	for (size_t i = 0; i < names.n; i++) {
		char summary[128];
		config_summary(names.v[i], summary, 96 - w);
		printf("%s%-*s  %s\n", indent, (int)w, names.v[i], summary);
	}
	strlist_free(&names);
}

int resolve_config(const char *arg, char *path, size_t len)
{
	struct stat st;
	if (stat(arg, &st) == 0) {
		if (!S_ISREG(st.st_mode))
			return error("%s: not a config file", arg);
		snprintf(path, len, "%s", arg);
		return 0;
	}
	if (!strchr(arg, '/')) {
		snprintf(path, len, "%s/configs/%s.ini", daxperf_home(), arg);
		if (stat(path, &st) == 0)
			return 0;
	}
	error("%s: no such config file, and no shipped config of that name (daxperf list shows them)", arg);
	return -1;
}

char *path_component(const char *name, char *out, size_t len)
{
	size_t k = 0;
	int leading = 1;
	for (; name && *name && k + 1 < len; name++) {
		unsigned char c = (unsigned char)*name;
		leading &= c == '.';
		out[k++] = c == '/' || c < 0x20 || c == 0x7f || leading ? '_' : (char)c;
	}
	if (k == 0 && len > 1)
		out[k++] = '_';
	out[k] = '\0';
	return out;
}

void default_result_dir(const char *config, const char *stamp, char *out, size_t len)
{
	const char *env = getenv("DAXPERF_RESULTS");
	char base[PATH_MAX + 16], host[64] = "host", cfg_part[256], host_part[64];
	snprintf(base, sizeof(base), "%s/results", daxperf_home());
	if (env && *env)
		snprintf(base, sizeof(base), "%s", env);
	else if (!home_is_tree || (access(base, W_OK) && access(daxperf_home(), W_OK)))
		snprintf(base, sizeof(base), "results"); /* installed: never into the install tree, even as root */
	gethostname(host, sizeof(host) - 1);
	snprintf(out, len, "%s/%s/%s-%s", base, path_component(config, cfg_part, sizeof(cfg_part)), stamp,
		 path_component(host, host_part, sizeof(host_part)));
	struct stat st;
	size_t baselen = strlen(out);
	for (int k = 2; stat(out, &st) == 0 && k < 1000; k++)
		snprintf(out + baselen, len - baselen, "-%d", k);
}
