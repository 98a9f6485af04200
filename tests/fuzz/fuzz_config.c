/* libFuzzer harness: any bytes as a config file through the whole parser: INI, includes, sweeps,
 * units, every option type, job expansion. Errors are expected; crashes, hangs and sanitizer
 * reports are not. */
#include "config/config.h"
#include "run/jobs.h"

#include "lib/util.h"
#include "fuzz_input.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static char path[64];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	snprintf(path, sizeof(path), "/tmp/daxperf-fuzz-%d.ini", (int)getpid());
	messages_quiet = 1; /* the parser's error lines are the expected outcome */
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (fuzz_input_to_file(path, data, size))
		return 0;
	jobs_check_file(path);
	return 0;
}
