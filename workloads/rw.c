/*
 * rw: pread / pwrite of bs bytes at the pattern's offsets.
 * sync = none | fdatasync (after every write) | dsync (the file opened O_DSYNC);
 * direct = 1 opens with O_DIRECT, which the filesystem may refuse (tmpfs does): the job then fails
 * with that reason rather than silently measuring buffered I/O.
 */
#include "workloads/workload.h"
#include "workloads/access.h"
#include "workloads/mapping.h"
#include "lib/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum sync_mode { SYNC_NONE, SYNC_FDATASYNC, SYNC_DSYNC };

struct rw_job {
	int fd;
	int fdatasync; /* after each write */
};

struct rw_opts {
	int sync;
	int direct;
};

static const char *const sync_names[] = { "none", "fdatasync", "dsync", NULL };

static const struct opt_def rw_opt_table[] = {
	{ .name = "sync", .type = OPT_ENUM, .offset = offsetof(struct rw_opts, sync), .def = "none",
	  .values = sync_names, .help = "none, fdatasync after each write, or dsync (O_DSYNC)" },
	{ .name = "direct", .type = OPT_BOOL, .offset = offsetof(struct rw_opts, direct), .def = "0",
	  .help = "open with O_DIRECT (bypass the page cache)" },
	{ 0 },
};

static int rw_validate(const struct job_opts *o, const void *wo, char *err, size_t len)
{
	const struct rw_opts *r = wo;
	if (o->verify && o->rw.kind != RW_READ && o->bs % VERIFY_BLOCK) {
		fmt_into(err, len, "verify = 1 writes whole 4 KiB blocks: bs must be a multiple of 4k, not %llu",
			 (unsigned long long)o->bs);
		return -1;
	}
	if (r->direct && o->bs % 512) {
		fmt_into(err, len, "direct = 1 needs bs to be a multiple of 512, not %llu", (unsigned long long)o->bs);
		return -1;
	}
	return 0;
}

static int rw_job_setup(struct wl_job *job)
{
	const struct rw_opts *r = job->wo;
	int flags = O_RDWR | O_CLOEXEC | (r->direct ? O_DIRECT : 0) | (r->sync == SYNC_DSYNC ? O_DSYNC : 0);
	int fd = open(job->path, flags);
	if (fd < 0) {
		if (r->direct && errno == EINVAL)
			fmt_into(job->reason, REASON_MAX, "O_DIRECT refused by the filesystem of %s", job->path);
		else
			fmt_into(job->reason, REASON_MAX, "open %s: %s", job->path, strerror(errno));
		return WL_FAIL;
	}
	struct rw_job *rj = xcalloc(1, sizeof(*rj));
	rj->fd = fd;
	rj->fdatasync = r->sync == SYNC_FDATASYNC;
	/* durable: a pwrite to a DAX file is a cache-flushing copy into the medium (durable on return
	 * for allocated blocks, and the job file's blocks are); the page cache needs fdatasync, and so does
	 * DAX on an asynchronous device (virtio-pmem), where only a flush request to the host persists */
	if (job->o->durability == DURABILITY_DURABLE && r->sync == SYNC_NONE && job->o->rw.kind != RW_READ) {
		int async = job->dax == 1 && mapping_dax_async(job, fd) == 1;
		rj->fdatasync = job->dax != 1 || async;
		fmt_into(job->detail, REASON_MAX, "writes made durable by %s",
			 async ? "fdatasync after each pwrite (DAX on an asynchronous device: a flush request to the host)"
			 : rj->fdatasync ? "fdatasync after each pwrite" : "the DAX pwrite itself (flushing copy)");
	}
	if (job->o->rw.kind != RW_READ)
		job->durable = job->dax == 1 || rj->fdatasync || r->sync == SYNC_DSYNC;
	job->priv = rj;
	return WL_OK;
}

/* fio's psync engine does the same pread / pwrite, with the same sync and O_DIRECT choices. */
static enum wl_fio rw_fio(const struct job_opts *o, const void *wo, int dax, struct wl_fio_job *f)
{
	(void)o;
	(void)dax;
	const struct rw_opts *r = wo;
	f->engine = "psync";
	fmt_into(f->lines, sizeof(f->lines), "%s%s",
		 r->sync == SYNC_FDATASYNC ? "fdatasync=1\n" : r->sync == SYNC_DSYNC ? "sync=dsync\n" : "",
		 r->direct ? "direct=1\n" : "");
	return WL_FIO_YES;
}

static int rw_thread_setup(struct wl_thread *t)
{
	if (!t->job->o->prefault || ((const struct rw_opts *)t->job->wo)->direct)
		return 0;
	/* bring the slice into the page cache (a no-op on DAX) so the first reads are not misses */
	int fd = ((struct rw_job *)t->job->priv)->fd;
	uint64_t bs = t->job->o->bs;
	for (uint64_t off = 0; off + bs <= t->slice_len; off += bs > 65536 ? bs : 65536 / bs * bs)
		if (pread(fd, t->buf, bs, (off_t)(t->slice_off + off)) < 0)
			return -errno;
	return 0;
}

static long rw_op(struct wl_thread *t)
{
	const struct rw_job *rj = t->job->priv;
	int fd = rj->fd;
	size_t bs = t->job->o->bs;
	off_t off = (off_t)access_next(t);
	t->last_off = (uint64_t)off;
	ssize_t n;
	if (access_is_read(t)) {
		n = pread(fd, t->buf, bs, off);
	} else {
		if (t->job->vmap)
			verify_stamp(t, (uint64_t)off, bs);
		n = pwrite(fd, t->buf, bs, off);
		if (n >= 0 && rj->fdatasync && fdatasync(fd))
			return -errno;
	}
	if (n < 0)
		return -errno;
	return n == (ssize_t)bs ? (long)n : -EIO;
}

static void rw_job_teardown(struct wl_job *job)
{
	if (job->priv)
		close(((struct rw_job *)job->priv)->fd);
	free(job->priv);
	job->priv = NULL;
}

const struct workload wl_rw = {
	.name = "rw",
	.summary = "pread / pwrite with optional fdatasync, O_DSYNC or O_DIRECT",
	.opts = rw_opt_table,
	.opts_size = sizeof(struct rw_opts),
	.poison_path = WL_POISON_READ_WRITE,
	.fio = rw_fio,
	.validate = rw_validate,
	.job_setup = rw_job_setup,
	.thread_setup = rw_thread_setup,
	.op = rw_op,
	.job_teardown = rw_job_teardown,
};
