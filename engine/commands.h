/* The subcommands; each returns the process exit status. */
#ifndef DAXPERF_COMMANDS_H
#define DAXPERF_COMMANDS_H

#include <stddef.h>

int cmd_run(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_help(int argc, char **argv);
int cmd_lab(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_info(int argc, char **argv);

struct job_list;
/* Seconds the jobs after index i are planned to take, `times` over, for the status line's ETA. */
double jobs_after_s(const struct job_list *jobs, size_t i, unsigned times);

#endif
