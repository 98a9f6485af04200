/*
 * What must go if the run is ended at once (a second SIGINT / SIGTERM): job files, helper files and
 * daxperf's directories, kept in a fixed table so a signal handler can remove them with unlink and
 * rmdir alone (both async-signal-safe).
 */
#ifndef DAXPERF_CLEANUP_H
#define DAXPERF_CLEANUP_H

/* Registers a file or directory to remove; silently ignored when the table is full. */
void cleanup_add(const char *path);
/* Forgets a path (it was removed in the ordinary way). */
void cleanup_forget(const char *path);
/* Removes every registered path, files first, then directories deepest first. Async-signal-safe. */
void cleanup_now(void);

#endif
