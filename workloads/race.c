/*
 * race: copy-on-write under concurrency, like the fsx / fsstress runs that found data corruption with
 * reflink on fsdax in 6.0/6.1. Half the threads (at least one) store self-checking 4 KiB blocks through
 * a shared mapping of the job file; the others, on random blocks of the same file, clone them out to a
 * scratch file (FICLONERANGE), deduplicate them against that scratch file (FIDEDUPERANGE: shares the
 * block again where it is still identical), or punch them and write their current contents back. A
 * block being punched is claimed first so that its contents stay known: every block's final contents
 * are checked against the last generation stored (verify is always on). Bounded by runtime, random
 * choices from `seed`. Needs reflink (XFS); elsewhere skipped with the reason.
 */
#include "workloads/workload.h"
#include "workloads/access.h"
#include "workloads/fsops.h"
#include "lib/util.h"
#include "lib/cleanup.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

static const char *const race_classes[] = { "store", "clone out", "dedupe", "punch + rewrite", NULL };
static const char *const race_ignores[] = { "rw", "pattern", "bs", "verify", "prefault", NULL };

struct race_job {
	int fd, scratch;
	char scratch_path[4200];
	char *map;
	uint64_t nblocks;
	_Atomic unsigned char *claim; /* 0 free, 1 a store or a punch holds the block */
	unsigned writers;
};

static int race_validate(const struct job_opts *o, const void *wo, char *err, size_t len)
{
	(void)wo;
	if (o->threads < 2) {
		fmt_into(err, len, "race needs at least 2 threads: storers and disruptors");
		return -1;
	}
	return 0;
}

static int race_job_setup(struct wl_job *job)
{
	struct race_job *rj = xcalloc(1, sizeof(*rj));
	job->priv = rj;
	rj->scratch = -1;
	rj->fd = open(job->path, O_RDWR | O_CLOEXEC);
	fmt_into(rj->scratch_path, sizeof(rj->scratch_path), "%s.scratch", job->path);
	cleanup_add(rj->scratch_path);
	if (rj->fd >= 0)
		rj->scratch = open(rj->scratch_path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (rj->fd < 0 || rj->scratch < 0) {
		fmt_into(job->reason, REASON_MAX, "%s: %s", rj->fd < 0 ? job->path : rj->scratch_path, strerror(errno));
		return WL_FAIL;
	}
	if (ioctl(rj->scratch, FICLONE, rj->fd)) {
		int e = errno;
		fmt_into(job->reason, REASON_MAX, "%s has no FICLONE (%s)", fs_name(rj->fd), strerror(e));
		return e == EOPNOTSUPP || e == ENOTTY || e == EXDEV || e == EINVAL ? WL_SKIP : WL_FAIL;
	}
	rj->map = mmap(NULL, job->o->size, PROT_READ | PROT_WRITE, MAP_SHARED, rj->fd, 0);
	if (rj->map == MAP_FAILED) {
		rj->map = NULL;
		fmt_into(job->reason, REASON_MAX, "mmap %s: %s", job->path, strerror(errno));
		return WL_FAIL;
	}
	rj->nblocks = job->o->size / VERIFY_BLOCK;
	rj->claim = xcalloc(rj->nblocks, 1);
	rj->writers = (job->nthreads + 1) / 2;
	fmt_into(job->detail, REASON_MAX, "%u storing threads, %u disrupting (clone out, dedupe, punch + rewrite)",
		 rj->writers, job->nthreads - rj->writers);
	return WL_OK;
}

static int claim(struct race_job *rj, uint64_t blk)
{
	unsigned char free_ = 0;
	return atomic_compare_exchange_strong(&rj->claim[blk], &free_, 1);
}

static void release(struct race_job *rj, uint64_t blk)
{
	atomic_store(&rj->claim[blk], 0);
}

/* Storers own the blocks of the first `writers` slices, evenly: block i belongs to storer i % writers. */
static long store(struct wl_thread *t, struct race_job *rj)
{
	uint64_t per = rj->nblocks / rj->writers;
	uint64_t blk = t->index + rng_below(&t->rng, per) * rj->writers;
	t->op_class = 0;
	if (!claim(rj, blk))
		return 0; /* a disruptor holds it: this op stores nothing */
	verify_stamp(t, blk * VERIFY_BLOCK, VERIFY_BLOCK);
	memcpy(rj->map + blk * VERIFY_BLOCK, t->buf, VERIFY_BLOCK);
	release(rj, blk);
	return VERIFY_BLOCK;
}

static long disrupt(struct wl_thread *t, struct race_job *rj)
{
	uint64_t blocks = 1 + rng_below(&t->rng, 16);
	uint64_t blk = rng_below(&t->rng, rj->nblocks - blocks);
	off_t off = (off_t)(blk * VERIFY_BLOCK), len = (off_t)(blocks * VERIFY_BLOCK);
	t->op_class = 1 + (unsigned)rng_below(&t->rng, 3);
	if (t->op_class == 1) {
		struct file_clone_range r = { .src_fd = rj->fd, .src_offset = (uint64_t)off, .src_length = (uint64_t)len,
					      .dest_offset = (uint64_t)off };
		return ioctl(rj->scratch, FICLONERANGE, &r) ? -errno : len;
	}
	if (t->op_class == 2) {
		struct {
			struct file_dedupe_range r;
			struct file_dedupe_range_info i;
		} d = { .r = { .src_offset = (uint64_t)off, .src_length = (uint64_t)len, .dest_count = 1 },
			.i = { .dest_fd = rj->fd, .dest_offset = (uint64_t)off } };
		/* the scratch copy is the source: the job file's range is remapped only where identical */
		if (ioctl(rj->scratch, FIDEDUPERANGE, &d))
			return -errno;
		return d.i.status < 0 ? d.i.status : len;
	}
	/* punch one block and write back what it must hold, while no store can touch it */
	blk = rng_below(&t->rng, rj->nblocks);
	if (!claim(rj, blk))
		return 0;
	long rc = VERIFY_BLOCK;
	verify_fill_block(t->buf, t->job->o->seed, blk * VERIFY_BLOCK, t->job->vmap->gen[blk]);
	if (fallocate(rj->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, (off_t)(blk * VERIFY_BLOCK), VERIFY_BLOCK) ||
	    pwrite(rj->fd, t->buf, VERIFY_BLOCK, (off_t)(blk * VERIFY_BLOCK)) != VERIFY_BLOCK)
		rc = -errno;
	release(rj, blk);
	return rc;
}

static long race_op(struct wl_thread *t)
{
	struct race_job *rj = t->job->priv;
	return t->index < rj->writers ? store(t, rj) : disrupt(t, rj);
}

static int race_verify(struct wl_job *job, struct verify_report *r)
{
	struct race_job *rj = job->priv;
	if (rj->map && msync(rj->map, job->o->size, MS_SYNC))
		return -errno;
	return verify_file(job->path, job->o->seed, job->vmap, r);
}

static void race_job_teardown(struct wl_job *job)
{
	struct race_job *rj = job->priv;
	if (!rj)
		return;
	if (rj->map)
		munmap(rj->map, job->o->size);
	if (rj->fd >= 0)
		close(rj->fd);
	if (rj->scratch >= 0) {
		close(rj->scratch);
		unlink(rj->scratch_path); /* a helper file, not the job file: keep = 1 does not keep it */
		cleanup_forget(rj->scratch_path);
	}
	free((void *)rj->claim);
	free(rj);
	job->priv = NULL;
}

const struct workload wl_race = {
	.name = "race",
	.summary = "stores through mmap racing clone, dedupe and punch on the same file, every block verified",
	.ignores = race_ignores,
	.classes = race_classes,
	.always_verifies = 1,
	.validate = race_validate,
	.job_setup = race_job_setup,
	.op = race_op,
	.job_teardown = race_job_teardown,
	.verify = race_verify,
};
