/* daxperf: one binary, subcommands. Only main() exits. */
#include "cli/commands.h"
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
	"  kernels CONFIG --kernels A,B  CONFIG in the lab on each kernel, N boots each, side by side\n"
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
	{ "kernels", cmd_kernels },
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
			return commands[i].fn(argc - 1, argv + 1);
		}
	error("unknown command '%s' (daxperf --help lists them)", argv[1]);
	return 2;
}
