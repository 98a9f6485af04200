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
	int e = errno;
	if (map_sync && e == EOPNOTSUPP)
		fmt_into(job->reason, REASON_MAX,
			 "MAP_SYNC refused (EOPNOTSUPP): %s is not a DAX file on a synchronous device", job->path);
	else
		fmt_into(job->reason, REASON_MAX, "mmap %s: %s", job->path, strerror(e));
	close(m->fd);
	m->fd = -1;
	return WL_FAIL;
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
