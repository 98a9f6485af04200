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

/* The pmem medium of `daxperf lab` (scripts/lab --medium), from the environment the lab gives its
 * command: DAXPERF_LAB_MEDIUM (memmap, nvdimm, virtio-pmem, kmem, ...), DAXPERF_LAB_NS_MODE,
 * DAXPERF_LAB_NS_ALIGN (bytes) and DAXPERF_LAB_MEDIUM_DESC (one line). */
struct lab_medium {
	char name[32];
	char ns_mode[16];     /* "" when the medium did not say */
	unsigned long long align; /* 0 when the medium did not say */
	char desc[256];
};
/* 1 with *m filled inside the lab, 0 elsewhere. */
int host_lab_medium(struct lab_medium *m);

#endif
