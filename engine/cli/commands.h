/* The subcommands; each returns the process exit status. */
#ifndef DAXPERF_COMMANDS_H
#define DAXPERF_COMMANDS_H

#include <stddef.h>

int cmd_run(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_help(int argc, char **argv);
int cmd_lab(int argc, char **argv);
int cmd_kernels(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_plot(int argc, char **argv);
int cmd_fio(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_poison(int argc, char **argv);
/* Renders DIR/result.json (format png or svg) into out (NULL: DIR/plots); 0 or -1. */
int plot_result_dir(const char *dir, const char *format, const char *out);

struct job_list;
/* Seconds the jobs after index i are planned to take, `times` over, for the status line's ETA. */
double jobs_after_s(const struct job_list *jobs, size_t i, unsigned times);

#endif
