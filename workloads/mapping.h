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
/* For a DAX file (job->dax == 1): 1 when its device is asynchronous (virtio-pmem: a store reaches the
 * medium only through a flush request, so the kernel refuses MAP_SYNC there), 0 when synchronous,
 * -1 when the probe mapping fails otherwise. */
int mapping_dax_async(const struct wl_job *job, int fd);
/* The reason a MAP_SYNC mapping was refused with EOPNOTSUPP, into job->reason; WL_SKIP where the
 * refusal is by design (a DAX file on an asynchronous device), WL_FAIL where it is not DAX. */
int mapping_sync_refused(struct wl_job *job);
/* Touches every page of [off, off+len): stores when `write` (so later stores take no write fault). */
void mapping_prefault(struct mapping *m, uint64_t off, uint64_t len, int write);

#endif
