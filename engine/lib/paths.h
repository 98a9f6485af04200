/* Where daxperf finds its configs and puts its results. */
#ifndef DAXPERF_PATHS_H
#define DAXPERF_PATHS_H

#include <stddef.h>

/* The directory holding configs/: the executable's own directory when it has one (a source tree),
 * else $DAXPERF_HOME, else the installed data directory. */
const char *daxperf_home(void);
/* A config argument to a path: an existing file as given, else <home>/configs/NAME.ini.
 * 0, or -1 after an error that lists the shipped configs. */
int resolve_config(const char *arg, char *path, size_t len);
/* The data directory an installed daxperf was built for (PREFIX/share/daxperf). */
const char *daxperf_datadir(void);
struct strlist;
/* Appends the configs/NAME.ini names (without .ini), sorted, to out. */
void config_names(struct strlist *out);
/* Lists the configs/NAME.ini names (without .ini), one per line, each prefixed by `indent`. */
void list_configs(const char *indent);
/* NAME as one path component that stays where it is put, in out: '/' and control characters become
 * '_', and so do leading dots (no ".", "..", or hidden directory); "" becomes "_". Returns out. */
char *path_component(const char *name, char *out, size_t len);
/* results/<config>/<UTC stamp>-<host>, made unique with -2, -3 ...; config and host through
 * path_component; base is $DAXPERF_RESULTS, else <home>/results in a source tree, else results/
 * under the current directory (an installed daxperf). */
void default_result_dir(const char *config, const char *stamp, char *out, size_t len);

#endif
