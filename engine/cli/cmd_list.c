/* `daxperf list` and `daxperf help WORKLOAD`: what can be run and with which options. */
#include "cli/commands.h"
#include "config/jobopts.h"
#include "lib/paths.h"
#include "lib/util.h"
#include "workloads/workload.h"

#include <stdio.h>
#include <string.h>

int cmd_list(int argc, char **argv)
{
	(void)argv;
	if (argc > 1)
		return error("list: takes no arguments"), 2;
	printf("workloads:\n");
	for (const struct workload *const *w = workloads; *w; w++)
		printf("  %-8s %s\n", (*w)->name, (*w)->summary);
	printf("configs (daxperf run NAME; in %s/configs):\n", daxperf_home());
	list_configs("  ");
	return 0;
}

int cmd_help(int argc, char **argv)
{
	if (argc < 2) {
		opt_print_help(job_opt_table, "options of every job (in a config section, [global], or --set):");
		return 0;
	}
	const struct workload *wl = workload_find(argv[1]);
	if (!wl) {
		error("help: no workload '%s'; the workloads are:", argv[1]);
		for (const struct workload *const *w = workloads; *w; w++)
			fprintf(stderr, "  %s\n", (*w)->name);
		return 2;
	}
	printf("%s: %s\n\n", wl->name, wl->summary);
	if (wl->opts)
		opt_print_help(wl->opts, "its own options:");
	else
		printf("it has no options of its own.\n");
	printf("\n");
	/* the common options, without those this workload ignores */
	size_t n = 0;
	for (const struct opt_def *d = job_opt_table; d->name; d++)
		n++;
	struct opt_def shown[64];
	size_t k = 0;
	for (size_t i = 0; i < n && k + 1 < ARRAY_SIZE(shown); i++) {
		int ignored = 0;
		for (const char *const *g = wl->ignores; g && *g; g++)
			ignored |= !strcmp(*g, job_opt_table[i].name);
		if (!ignored)
			shown[k++] = job_opt_table[i];
	}
	shown[k] = (struct opt_def){ 0 };
	opt_print_help(shown, "options every job has:");
	return 0;
}
