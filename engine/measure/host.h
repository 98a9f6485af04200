/* Facts about the machine a result was measured on. */
#ifndef DAXPERF_HOST_H
#define DAXPERF_HOST_H

#include <stdint.h>

struct host_info {
	char hostname[64];
	char kernel[128];       /* uname -r */
	char kernel_version[256]; /* uname -v */
	char machine[72];
	char cpu_model[128];
	unsigned cpus;
	uint64_t memory_bytes;
	unsigned numa_nodes;
};

void host_info_read(struct host_info *h);
/* Inside `daxperf lab` (DAXPERF_LAB=1): the label every figure from there carries, since its times
 * are emulated; NULL elsewhere. */
const char *host_emulated(void);

#endif
