/*
 * Sweeps: a value that stands for several. Lists `threads = 1,2,4` work for every sweepable option;
 * ranges `bs = 64:*2:2m` (pmembench style first:<op><step>:last, op one of + - * /) for numbers.
 * Each value of the expansion comes back as text that the option's parser accepts.
 */
#ifndef DAXPERF_SWEEP_H
#define DAXPERF_SWEEP_H

#include <stddef.h>
#include "config/opt.h"
#include "lib/strlist.h"

#define SWEEP_MAX_VALUES 4096

/* True when the text uses sweep syntax for this option (a list or a range). */
int sweep_is_sweep(const struct opt_def *d, const char *text);
/* Expands text into values; 0, or -1 with the reason in err. */
int sweep_expand(const struct opt_def *d, const char *text, struct strlist *out, char *err, size_t errlen);

#endif
