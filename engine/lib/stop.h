/* The stop flag a signal sets: workers, file fills and verification passes stop at their next check. */
#ifndef DAXPERF_STOP_H
#define DAXPERF_STOP_H

#include <stdatomic.h>

/* Set by the signal handler (SIGINT and its kin); never cleared during a run. */
extern atomic_int engine_stop;

#endif
