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
int cmd_diff(int argc, char **argv);
/* A command as the man page and the completion script see it: a row of main's command table. */
struct command_doc {
	const char *name, *args, *summary;
	int (*fn)(int argc, char **argv);
};
/* `daxperf man`: the manual page daxperf(1) in roff, made from the command and option tables. */
int man_print(int argc, char **argv, const struct command_doc *cmds, size_t n);
/* `daxperf completion bash`: the bash completion script, made from the same tables. */
int completion_print(int argc, char **argv, const struct command_doc *cmds, size_t n);
/* What `daxperf NAME --help` prints, when the command has such a text ("usage: ..."); malloc'd, or NULL. */
char *command_usage(const struct command_doc *c);
/* Renders DIR/result.json (format png or svg) into out (NULL: DIR/plots); 0 or -1. */
int plot_result_dir(const char *dir, const char *format, const char *out);

#endif
