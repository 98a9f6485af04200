/*
 * The clock of the timed loop: the invariant TSC when the CPU has one (constant_tsc and nonstop_tsc),
 * calibrated against CLOCK_MONOTONIC_RAW; otherwise clock_gettime(CLOCK_MONOTONIC) in nanoseconds.
 * Timestamps are "ticks"; timer_ticks_to_ns() converts. DAXPERF_TIMER=clock forces the fallback.
 */
#ifndef DAXPERF_TIMER_H
#define DAXPERF_TIMER_H

#include <stdint.h>
#include <time.h>
#include <x86intrin.h>

struct timer_info {
	int use_tsc;
	double ticks_per_ns;
	double overhead_ns;    /* median cost of one back-to-back pair of reads */
	double overhead_min_ns;
	double resolution_ns;  /* smallest step the clock takes (some hypervisors step the TSC coarsely) */
	const char *source;    /* "tsc" or "clock_gettime" */
	const char *why;       /* why that source was chosen */
};

extern struct timer_info timer;

/* Calibrates once; returns 0 (the fallback always works). */
int timer_init(void);

static inline uint64_t timer_now(void)
{
	if (__builtin_expect(timer.use_tsc, 1)) {
		/* lfence keeps the read from passing the operation being timed, in both directions */
		_mm_lfence();
		uint64_t t = __rdtsc();
		_mm_lfence();
		return t;
	}
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static inline double timer_ticks_to_ns(double ticks)
{
	return ticks / timer.ticks_per_ns;
}

static inline uint64_t timer_ns_to_ticks(uint64_t ns)
{
	return (uint64_t)((double)ns * timer.ticks_per_ns);
}

/* Monotonic nanoseconds outside the hot loop. */
uint64_t mono_ns(void);

#endif
