/* Mapping the job file, shared by the workloads that load and store through mmap. */
#ifndef DAXPERF_MAPPING_H
#define DAXPERF_MAPPING_H

#include "workloads/workload.h"

struct mapping {
	int fd;
	void *addr;
	uint64_t len;
};

/* Maps job->path shared read-write (with MAP_SYNC when asked); WL_OK or WL_FAIL with job->reason. */
int mapping_open(struct wl_job *job, struct mapping *m, int map_sync);
void mapping_close(struct mapping *m);
/* Touches every page of [off, off+len): stores when `write` (so later stores take no write fault). */
void mapping_prefault(struct mapping *m, uint64_t off, uint64_t len, int write);

#endif
