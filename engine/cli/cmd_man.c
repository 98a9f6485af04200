/*
 * `daxperf man`: the manual page daxperf(1), printed in roff from the tables that drive `daxperf help`
 * and `daxperf CMD --help` (main's command table, the job option table, each workload's own table),
 * so the page cannot say other than the program. The Makefile renders daxperf.1 from it. Every piece
 * of text goes through roff_put.
 */
#include "cli/commands.h"
#include "config/jobopts.h"
#include "lib/paths.h"
#include "lib/roff.h"
#include "lib/strlist.h"
#include "lib/util.h"
#include "lib/version.h"
#include "workloads/workload.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The environment daxperf reads (every getenv in engine/; tests/install/run keeps this complete). */
static const struct {
	const char *name, *meaning;
} environment[] = {
	{ "DAXPERF_DIR", "where jobs run when --dir is not given (before the first mounted DAX filesystem)" },
	{ "DAXPERF_RESULTS", "the directory results/CONFIG/STAMP-HOST/ go under, instead of ./results" },
	{ "DAXPERF_HOME", "the directory holding configs/ and scripts/, instead of the installed data directory" },
	{ "DAXPERF_STATE_DIR", "where the poison journal lives (default /var/lib/daxperf)" },
	{ "DAXPERF_STATUS", "0: no live status line on a terminal" },
	{ "DAXPERF_TIMER", "clock: time with clock_gettime instead of the TSC" },
	{ "DAXPERF_LAB", "1: set inside the lab; results say their times are emulated" },
	{ "DAXPERF_LAB_MEDIUM", "set inside the lab: its pmem medium (memmap, nvdimm, virtio-pmem, kmem, nfit-test), recorded in results as host.lab" },
	{ "DAXPERF_LAB_MEDIUM_DESC", "set inside the lab: the medium in one line (namespace, mode, alignment, size)" },
	{ "DAXPERF_LAB_NS_MODE", "set inside the lab: the namespace mode (raw, fsdax, devdax)" },
	{ "DAXPERF_LAB_NS_ALIGN", "set inside the lab: the namespace alignment in bytes" },
	{ "DAXPERF_LAB_CACHE", "where the lab keeps the kernel and initramfs (default /var/cache/daxperf-lab)" },
	{ "DAXPERF_PLOT_NO_RENDER", "1: plot writes the gnuplot script and data but does not run gnuplot" },
};

static void put(const char *s)
{
	roff_put(stdout, s, 1);
}

/* A request line: the macro as written, its one argument quoted and escaped. */
static void request(const char *macro, const char *arg)
{
	printf("%s \"", macro);
	roff_put(stdout, arg, 0);
	printf("\"\n");
}

/* One option as a tagged paragraph: name=type, meaning, default, range. */
static void option_entry(const struct opt_def *d)
{
	char type[256], range[64];
	opt_describe_type(d, type, sizeof(type));
	opt_describe_range(d, range, sizeof(range));
	printf(".TP\n\\fB");
	roff_put(stdout, d->name, 0);
	printf("\\fR=\\fI");
	roff_put(stdout, type, 0);
	printf("\\fR\n");
	put(d->help);
	printf("\n.br\nDefault: ");
	roff_put(stdout, *d->def ? d->def : "unset", 0);
	if (*range) {
		printf(". Range: ");
		roff_put(stdout, range, 0);
	}
	printf(".\n");
}

static void preformatted(const char *text)
{
	printf(".PP\n.RS 4\n.nf\n");
	put(text);
	if (*text && text[strlen(text) - 1] != '\n')
		printf("\n");
	printf(".fi\n.RE\n");
}

static void commands_section(const struct command_doc *cmds, size_t n)
{
	printf(".SH COMMANDS\n");
	for (size_t i = 0; i < n; i++) {
		char head[256];
		fmt_into(head, sizeof(head), "%s%s%s", cmds[i].name, *cmds[i].args ? " " : "", cmds[i].args);
		request(".SS", head);
		put(cmds[i].summary);
		printf(".\n");
		char *usage = command_usage(&cmds[i]);
		if (usage)
			preformatted(usage);
		free(usage);
	}
}

static void workloads_section(void)
{
	printf(".SH WORKLOADS\nThe \\fBworkload\\fR option picks one; each has its own options besides the job options.\n");
	for (const struct workload *const *w = workloads; *w; w++) {
		request(".SS", (*w)->name);
		put((*w)->summary);
		printf(".\n");
		if (!(*w)->opts || !(*w)->opts->name)
			printf(".PP\nIt has no options of its own.\n");
		for (const struct opt_def *d = (*w)->opts; d && d->name; d++)
			option_entry(d);
		if ((*w)->ignores && *(*w)->ignores) {
			printf(".PP\nIgnores:");
			for (const char *const *g = (*w)->ignores; *g; g++) {
				printf(" \\fB");
				roff_put(stdout, *g, 0);
				printf(g[1] ? "\\fR," : "\\fR.\n");
			}
		}
	}
}

static void configs_section(void)
{
	struct strlist names = { 0 };
	config_names(&names);
	printf(".SH CONFIGS\nShipped configs, run by name (\\fBdaxperf run quick\\fR):\n");
	for (size_t i = 0; i < names.n; i++) {
		printf(".TP 0\n");
		put(names.v[i]);
		printf("\n");
	}
	strlist_free(&names);
	printf(".PP\nA config is an INI file: a [global] section and one section per job, each line an option\n"
	       "below; a comma list or a range (\\fB1:*2:16\\fR) sweeps an option.\n");
}

int man_print(int argc, char **argv, const struct command_doc *cmds, size_t n)
{
	(void)argv;
	if (argc > 1)
		return error("man: takes no arguments (daxperf man | man -l -)"), 2;
	printf(".\\\" daxperf(1), printed by `daxperf man` from its own tables: edit the program, not this.\n");
	printf(".TH DAXPERF 1 \"\" \"daxperf %s\" \"User Commands\"\n", DAXPERF_VERSION);
	printf(".SH NAME\ndaxperf \\- benchmark DAX and persistent\\-memory file workloads\n");
	printf(".SH SYNOPSIS\n.B daxperf\n.I COMMAND\n.RI [ ARGS ]\n");
	printf(".SH DESCRIPTION\n");
	put("daxperf benchmarks DAX / persistent-memory file workloads: mmap loads and stores, pread / pwrite, "
	    "pointer chases, reflink and dedupe with the copy-on-write after them, page faults; per-op latency "
	    "from an invariant TSC, DAX and page cache compared per inode. A config lists jobs; each job has "
	    "the job options below and the options of its workload.");
	printf("\n");
	commands_section(cmds, n);
	printf(".SH JOB OPTIONS\nEvery job has these, in a config section, in [global], or with "
	       "\\fB\\-\\-set\\fR \\fIKEY\\fR=\\fIVALUE\\fR:\n");
	for (const struct opt_def *d = job_opt_table; d->name; d++)
		option_entry(d);
	workloads_section();
	configs_section();
	printf(".SH EXIT STATUS\n");
	static const char *const status[][2] = {
		{ "0", "every job ran or was skipped (skipped is a status with a reason, not an error)" },
		{ "1", "a job failed" },
		{ "2", "bad usage or a bad config: nothing ran, nothing was written" },
		{ "3", "a target or environment problem (directory, device, missing tool)" },
		{ "130", "interrupted; the result written so far is marked interrupted" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(status); i++) {
		printf(".TP\n.B %s\n", status[i][0]);
		put(status[i][1]);
		printf("\n");
	}
	printf(".SH ENVIRONMENT\n");
	for (size_t i = 0; i < ARRAY_SIZE(environment); i++) {
		printf(".TP\n.B ");
		roff_put(stdout, environment[i].name, 0);
		printf("\n");
		put(environment[i].meaning);
		printf("\n");
	}
	char line[512];
	printf(".SH FILES\n");
	fmt_into(line, sizeof(line), "%s/configs/NAME.ini", daxperf_datadir());
	request(".TP\n.I", line);
	put("the shipped configs (in a source tree: configs/ beside the binary)\n");
	fmt_into(line, sizeof(line), "%s/scripts/", daxperf_datadir());
	request(".TP\n.I", line);
	put("lab, lab-init (the emulated pmem machine of daxperf lab) and setup-pmem (a real namespace)\n");
	request(".TP\n.I", "results/CONFIG/STAMP-HOST/result.json");
	put("each run's result, under the working directory (or $DAXPERF_RESULTS, or --output)\n");
	request(".TP\n.I", "/var/tmp/daxperf");
	put("where jobs run on the page cache when no DAX filesystem is mounted and no --dir is given\n");
	request(".TP\n.I", "/var/lib/daxperf/poison-journal");
	put("injections not yet cleared, so a killed run's poison is cleared by the next\n");
	printf(".SH SEE ALSO\n.BR fio (1),\n.BR ndctl (1),\n.BR daxctl (1),\n.BR gnuplot (1),\n.BR mkfs.xfs (8)\n");
	return 0;
}
