/* What both fuzz harnesses do with an input: put it in a file the code under test reads. */
#ifndef DAXPERF_FUZZ_INPUT_H
#define DAXPERF_FUZZ_INPUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Writes the input to path; 0, or -1 when the file cannot be written (the input is then skipped). */
static inline int fuzz_input_to_file(const char *path, const uint8_t *data, size_t size)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	int ok = fwrite(data, 1, size, f) == size;
	return fclose(f) == 0 && ok ? 0 : -1;
}

#endif
