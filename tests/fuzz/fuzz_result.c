/* libFuzzer harness: any bytes as a result.json through the reader daxperf plot uses, down to the
 * data files, the gnuplot script and index.html (gnuplot itself is not run), and through daxperf
 * diff's reader and comparison (the input against itself). */
#include "cli/commands.h"
#include "result/diff.h"

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
	struct diff_side side;
	if (!diff_side_load(file, &side)) {
		json_decref(diff_compute(&side, &side, 1, 1));
		diff_side_free(&side);
	}
	return 0;
}
