#include "lib/linux_compat.h"
#include "workloads/mapping.h"
#include "lib/util.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int mapping_open(struct wl_job *job, struct mapping *m, int map_sync)
{
	m->len = job->o->size;
	m->addr = MAP_FAILED;
	m->fd = open(job->path, O_RDWR | O_CLOEXEC);
	if (m->fd < 0) {
		fmt_into(job->reason, REASON_MAX, "open %s: %s", job->path, strerror(errno));
		return WL_FAIL;
	}
	int flags = map_sync ? MAP_SHARED_VALIDATE | MAP_SYNC : MAP_SHARED;
	m->addr = mmap(NULL, m->len, PROT_READ | PROT_WRITE, flags, m->fd, 0);
	if (m->addr != MAP_FAILED) {
		job->map = m->addr;
		job->map_len = m->len;
		job->map_flags = flags;
		return WL_OK;
	}
	int e = errno, rc = WL_FAIL;
	if (map_sync && e == EOPNOTSUPP)
		rc = mapping_sync_refused(job);
	else
		fmt_into(job->reason, REASON_MAX, "mmap %s: %s", job->path, strerror(e));
	close(m->fd);
	m->fd = -1;
	return rc;
}

int mapping_sync_refused(struct wl_job *job)
{
	if (job->dax == 1) {
		fmt_into(job->reason, REASON_MAX,
			 "MAP_SYNC refused by design (EOPNOTSUPP): %s is DAX on an asynchronous device (virtio-pmem: "
			 "stores reach the medium only through a flush request to the host, so fsync / msync, never MAP_SYNC)",
			 job->path);
		return WL_SKIP;
	}
	fmt_into(job->reason, REASON_MAX, "MAP_SYNC refused (EOPNOTSUPP): %s is not a DAX file on a synchronous device",
		 job->path);
	return WL_FAIL;
}

int mapping_dax_async(const struct wl_job *job, int fd)
{
	size_t len = job->map_align > 4096 ? job->map_align : 4096;
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED_VALIDATE | MAP_SYNC, fd, 0);
	if (p != MAP_FAILED) {
		munmap(p, len);
		return 0;
	}
	return errno == EOPNOTSUPP ? 1 : -1;
}

void mapping_close(struct mapping *m)
{
	if (m->addr != MAP_FAILED && m->addr)
		munmap(m->addr, m->len);
	if (m->fd >= 0)
		close(m->fd);
	m->addr = MAP_FAILED;
	m->fd = -1;
}

void mapping_prefault(struct mapping *m, uint64_t off, uint64_t len, int write)
{
	volatile char *p = (volatile char *)m->addr;
	for (uint64_t o = off; o < off + len; o += 4096) {
		if (write)
			p[o] = p[o];
		else
			(void)p[o];
	}
}
