/* daxperf: one binary, subcommands. Only main() exits. */
#include "cli/commands.h"
#include "cli/batch.h"
#include "poison/poison.h"
#include "lib/util.h"
#include "lib/version.h"

#include <stdio.h>
#include <string.h>

static const char usage[] =
	"usage: daxperf COMMAND [ARGS]\n"
	"\n"
	"Benchmarks DAX / persistent-memory file workloads: mmap loads and stores, pread / pwrite,\n"
	"pointer chases, reflink and dedupe with the copy-on-write after them, page faults; per-op\n"
	"latency from an invariant TSC, DAX and page cache compared per inode.\n"
	"\n"
	"commands:\n"
	"  run CONFIG [options]   run a named config (configs/NAME.ini) or a config file\n"
	"  compare CONFIG         every job on a DAX inode and on a page-cache inode, side by side\n"
	"  info [DIR] [--json]    what DIR can do: DAX, MAP_SYNC, reflink, dedupe, poison, NUMA\n"
	"  plot RESULT_DIR        render a result with gnuplot: PNG / SVG and index.html\n"
	"  fio CONFIG             the same work in daxperf and in fio, side by side\n"
	"  sweep CONFIG --numa    every job on every (CPU node, memory node) pair: MLC-style matrices\n"
	"  poison status|clear    injections a killed run left behind (runs also clear them at start)\n"
	"  list                   list workloads and shipped configs\n"
	"  help [WORKLOAD]        options of every job, or of one workload\n"
	"  lab [options] -- CMD   run CMD in an emulated machine with real fsdax pmem (QEMU)\n"
	"  version                print the version\n"
	"\n"
	"`daxperf run --help` has the run options. Results go to results/CONFIG/STAMP-HOST/result.json.\n";

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
};

static int cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("daxperf %s (%s)\n", DAXPERF_VERSION, DAXPERF_GIT);
	return 0;
}

static const struct command commands[] = {
	{ "run", cmd_run },
	{ "list", cmd_list },
	{ "help", cmd_help },
	{ "version", cmd_version },
	{ "lab", cmd_lab },
	{ "compare", cmd_compare },
	{ "info", cmd_info },
	{ "plot", cmd_plot },
	{ "fio", cmd_fio },
	{ "sweep", cmd_sweep },
	{ "poison", cmd_poison },
};

/* Commands that measure on this machine clear the poison a killed run left, first. */
static int clears_leftovers(const char *name)
{
	static const char *const measuring[] = { "run", "compare", "fio", "sweep", "info" };
	for (size_t i = 0; i < ARRAY_SIZE(measuring); i++)
		if (!strcmp(name, measuring[i]))
			return 1;
	return 0;
}

/* One argument as a shell would need it typed: bare when safe, else in single quotes; bytes that
 * are not UTF-8 become '?' (JSON strings are UTF-8). */
static char *shell_word(const char *arg)
{
	char *w = xstrdup(arg);
	for (const char *bad; (bad = utf8_invalid(w));)
		w[bad - w] = '?';
	if (*w && strspn(w, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_./=:,@%+-") == strlen(w))
		return w;
	char *q = xstrdup("'");
	for (const char *c = w; *c; c++) {
		char *t = *c == '\'' ? xasprintf("%s'\\''", q) : xasprintf("%s%c", q, *c);
		free(q);
		q = t;
	}
	char *t = xasprintf("%s'", q);
	free(q);
	free(w);
	return t;
}

/* Saved before any command's getopt permutes argv. */
static char *command_line(int argc, char **argv)
{
	char *s = xstrdup("daxperf");
	for (int i = 1; i < argc; i++) {
		char *w = shell_word(argv[i]), *t = xasprintf("%s %s", s, w);
		free(w);
		free(s);
		s = t;
	}
	return s;
}

int main(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (!strcmp(argv[1], "--version"))
		return cmd_version(0, NULL);
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(argv[1], commands[i].name)) {
			if (clears_leftovers(argv[1]))
				poison_clear_leftovers(0);
			/* results are JSON, whose strings are UTF-8: a path that is not would drop its whole object */
			for (int a = 2; a < argc; a++) {
				const char *bad = utf8_invalid(argv[a]);
				if (bad) {
					char *w = shell_word(argv[a]);
					error("argument %d (%s) is not UTF-8 text (byte 0x%02x): results are JSON, whose "
					      "strings are UTF-8; rename it", a - 1, w, (unsigned char)*bad);
					free(w);
					return 2;
				}
			}
			char *line = command_line(argc, argv);
			batch_command_line = line;
			int rc = commands[i].fn(argc - 1, argv + 1);
			free(line);
			return rc;
		}
	error("unknown command '%s' (daxperf --help lists them)", argv[1]);
	return 2;
}
