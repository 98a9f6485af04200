/* The subcommands; each returns the process exit status. */
#ifndef DAXPERF_COMMANDS_H
#define DAXPERF_COMMANDS_H

int cmd_run(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_help(int argc, char **argv);
int cmd_lab(int argc, char **argv);

#endif
