/* daxperf: one binary, subcommands. Only main() exits. */
#include "cli/commands.h"
#include "cli/batch.h"
#include "poison/poison.h"
#include "lib/util.h"
#include "lib/version.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* The commands: one row each. The usage text is made from this table, and `measures` says whether
 * the command measures on this machine, so it first clears the poison a killed run left. */
struct command {
	const char *name;
	const char *args;    /* what follows the name in the usage line */
	const char *summary;
	int measures;
	int (*fn)(int argc, char **argv);
};

static int cmd_version(int argc, char **argv);
static int cmd_doc(int argc, char **argv);

static const struct command commands[] = {
	{ "run", "CONFIG [options]", "run a named config (configs/NAME.ini) or a config file", 1, cmd_run },
	{ "compare", "CONFIG", "every job on a DAX inode and on a page-cache inode, side by side", 1, cmd_compare },
	{ "info", "[DIR] [--json]", "what DIR can do: DAX, MAP_SYNC, reflink, dedupe, poison, NUMA", 1, cmd_info },
	{ "plot", "RESULT_DIR", "render a result with gnuplot: PNG / SVG and index.html", 0, cmd_plot },
	{ "fio", "CONFIG", "the same work in daxperf and in fio, side by side", 1, cmd_fio },
	{ "sweep", "CONFIG --numa", "every job on every (CPU node, memory node) pair: MLC-style matrices", 1, cmd_sweep },
	{ "diff", "BASE NEW...", "what changed between results (kernels, hosts, options): behaviour, figures, verdicts", 0, cmd_diff },
	{ "poison", "status|clear", "injections a killed run left behind (runs also clear them at start)", 0, cmd_poison },
	{ "list", "", "list workloads and shipped configs", 0, cmd_list },
	{ "help", "[WORKLOAD]", "options of every job, or of one workload", 0, cmd_help },
	{ "lab", "[options] -- CMD", "run CMD in an emulated machine with real fsdax pmem (QEMU)", 0, cmd_lab },
	{ "kernels", "CONFIG --kernels A,B", "CONFIG in the lab on each kernel, N fresh boots each, side by side", 0, cmd_kernels },
	{ "version", "", "print the version", 0, cmd_version },
	{ "man", "", "print the manual page daxperf(1) in roff", 0, cmd_doc },
	{ "completion", "bash", "print the bash completion script", 0, cmd_doc },
};

static int cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("daxperf %s (%s)\n", DAXPERF_VERSION, DAXPERF_GIT);
	return 0;
}

/* man and completion: generated from this table (and the option tables), so they cannot drift */
static int cmd_doc(int argc, char **argv)
{
	struct command_doc docs[ARRAY_SIZE(commands)];
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		docs[i] = (struct command_doc){ commands[i].name, commands[i].args, commands[i].summary, commands[i].fn };
	if (!strcmp(argv[0], "man"))
		return man_print(argc, argv, docs, ARRAY_SIZE(docs));
	return completion_print(argc, argv, docs, ARRAY_SIZE(docs));
}

static void print_usage(FILE *f)
{
	fputs("usage: daxperf COMMAND [ARGS]\n"
	      "\n"
	      "Benchmarks DAX / persistent-memory file workloads: mmap loads and stores, pread / pwrite,\n"
	      "pointer chases, reflink and dedupe with the copy-on-write after them, page faults; per-op\n"
	      "latency from an invariant TSC, DAX and page cache compared per inode.\n"
	      "\n"
	      "commands:\n", f);
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++) {
		char head[64];
		fmt_into(head, sizeof(head), "%s %s", commands[i].name, commands[i].args);
		fprintf(f, "  %-22s %s\n", head, commands[i].summary);
	}
	fputs("\n`daxperf run --help` has the run options. Results go to results/CONFIG/STAMP-HOST/result.json.\n", f);
}

/* Output that never arrived (a full disk, a closed file) is a failure, not a success: exit status 3
 * (an environment problem) unless the command already failed. */
static int finish_stdout(int rc)
{
	int failed = fflush(stdout) != 0, err = failed ? errno : 0;
	failed |= ferror(stdout) != 0;
	if (fclose(stdout) != 0 && !failed)
		failed = 1, err = errno;
	if (!failed)
		return rc;
	error("writing standard output: %s", err ? strerror(err) : "write error");
	return rc ? rc : 3;
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
		print_usage(argc < 2 ? stderr : stdout);
		return finish_stdout(argc < 2 ? 2 : 0);
	}
	if (!strcmp(argv[1], "--version"))
		return finish_stdout(cmd_version(0, NULL));
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(argv[1], commands[i].name)) {
			if (commands[i].measures)
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
			int rc = finish_stdout(commands[i].fn(argc - 1, argv + 1));
			free(line);
			return rc;
		}
	error("unknown command '%s' (daxperf --help lists them)", argv[1]);
	return 2;
}
