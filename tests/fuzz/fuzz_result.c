/* libFuzzer harness: any bytes as a result.json through the reader daxperf plot uses, down to the
 * data files, the gnuplot script and index.html (gnuplot itself is not run). */
#include "cli/commands.h"

#include "lib/util.h"
#include "fuzz_input.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64], file[96], out[96];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	snprintf(dir, sizeof(dir), "/tmp/daxperf-fuzz-result-%d", (int)getpid());
	snprintf(file, sizeof(file), "%s/result.json", dir);
	snprintf(out, sizeof(out), "%s/plots", dir);
	mkdir(dir, 0700);
	setenv("DAXPERF_PLOT_NO_RENDER", "1", 1);
	messages_quiet = 1;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (fuzz_input_to_file(file, data, size))
		return 0;
	plot_result_dir(dir, "svg", out);
	return 0;
}
