#include "measure/timer.h"
#include "lib/util.h"

#include <stdlib.h>
#include <string.h>

struct timer_info timer = { .ticks_per_ns = 1.0, .source = "clock_gettime" };

uint64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* True when /proc/cpuinfo advertises a TSC that ticks at a constant rate through idle states. */
static int tsc_invariant(void)
{
	char *info = read_file("/proc/cpuinfo", NULL);
	if (!info)
		return 0;
	char *flags = strstr(info, "\nflags");
	int ok = 0;
	if (flags) {
		char *eol = strchr(flags + 1, '\n');
		if (eol)
			*eol = '\0';
		ok = strstr(flags, " constant_tsc") && strstr(flags, " nonstop_tsc");
	}
	free(info);
	return ok;
}

/* Ticks per ns over a 20 ms interval of CLOCK_MONOTONIC_RAW. */
static double tsc_rate(void)
{
	uint64_t n0 = mono_ns(), t0 = __rdtsc();
	while (mono_ns() - n0 < 20000000)
		;
	uint64_t n1 = mono_ns(), t1 = __rdtsc();
	return (double)(t1 - t0) / (double)(n1 - n0);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* The median and least cost of a timed op's clock reads: back-to-back pairs, as the loop reads
 * around an op. The first pass only warms the path (an emulator translates code on first use, and
 * a cold vDSO page faults): its figures would be far above what the loop pays. */
static void measure_overhead(void)
{
	enum { N = 4001 };
	static uint64_t d[N];
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < N; i++) {
			uint64_t a = timer_now();
			uint64_t b = timer_now();
			d[i] = b - a;
		}
	qsort(d, N, sizeof(d[0]), cmp_u64);
	timer.overhead_ns = timer_ticks_to_ns((double)d[N / 2]);
	timer.overhead_min_ns = timer_ticks_to_ns((double)d[0]);
}

/* The smallest nonzero step between reads: the finest latency the clock can tell apart. */
static void measure_resolution(void)
{
	uint64_t best = UINT64_MAX;
	for (int i = 0; i < 1000; i++) {
		uint64_t a = timer.use_tsc ? __rdtsc() : timer_now(), b;
		do
			b = timer.use_tsc ? __rdtsc() : timer_now();
		while (b == a);
		if (b - a < best)
			best = b - a;
	}
	timer.resolution_ns = timer_ticks_to_ns((double)best);
}

int timer_init(void)
{
	const char *force = getenv("DAXPERF_TIMER");
	timer.use_tsc = 0;
	timer.ticks_per_ns = 1.0;
	timer.source = "clock_gettime";
	if (force && !strcmp(force, "clock")) {
		timer.why = "DAXPERF_TIMER=clock";
	} else if (!tsc_invariant()) {
		timer.why = "CPU does not report an invariant TSC (constant_tsc, nonstop_tsc)";
	} else {
		double r1 = tsc_rate(), r2 = tsc_rate();
		/* two calibrations must agree, or the TSC is not a clock we can trust */
		if (r1 > 0 && r2 > 0 && (r1 > r2 ? r1 / r2 : r2 / r1) < 1.001) {
			timer.use_tsc = 1;
			timer.ticks_per_ns = (r1 + r2) / 2;
			timer.source = "tsc";
			timer.why = "invariant TSC, calibrated against CLOCK_MONOTONIC_RAW";
		} else {
			timer.why = "TSC calibrations disagreed by more than 0.1%";
		}
	}
	measure_overhead();
	measure_resolution();
	return 0;
}
