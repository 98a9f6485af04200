/* result.json for poison jobs: the job's "poison" object and per-window event counts. */
#ifndef DAXPERF_RESULT_POISON_H
#define DAXPERF_RESULT_POISON_H

#include <jansson.h>
#include "poison/poison.h"

json_t *poison_json(const struct poison_job *pj);
/* Adds poison_injected / poison_hits / poison_recovered to each window of a job's timeline. */
void poison_mark_windows(json_t *windows, const struct poison_job *pj, double window_s);

#endif
