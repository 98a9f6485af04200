/*
 * reflink: cloning and the copy-on-write that follows.
 *   phase = clone:   each op is one FICLONERANGE of bs bytes from the job file into its clone file
 *                    (bs sweeps the range size; whole = 1 makes each op a FICLONE of the whole file).
 *   phase = cow:     the clone shares every block with the job file; each op writes bs bytes into the
 *                    clone (via = pwrite | mmap). The first write to a shared block and later writes to
 *                    the same block are separate latency classes, so the CoW cost stands out.
 *   phase = unshare: each op is fallocate(FALLOC_FL_UNSHARE_RANGE) of bs bytes of the clone.
 * extents = N cuts the job file into about 2N+1 extents first; the extent count (FIEMAP) is reported.
 * Every round starts from a clone that shares everything again (each thread re-clones its slice).
 * With verify = 1 the job file must be unchanged afterwards and the clone hold exactly what was written.
 * Filesystems without reflink (ext4, tmpfs) skip the job with the reason.
 */
#include "workloads/workload.h"
#include "workloads/access.h"
#include "workloads/fsops.h"
#include "lib/util.h"
#include "lib/cleanup.h"

#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

enum phase { PHASE_CLONE, PHASE_COW, PHASE_UNSHARE };
enum via { VIA_PWRITE, VIA_MMAP };

struct reflink_opts {
	int phase, via, whole;
	uint64_t extents;
};

static const char *const phase_names[] = { "clone", "cow", "unshare", NULL };
static const char *const via_names[] = { "pwrite", "mmap", NULL };
/* the first op on a block since the round's clone (the CoW write, the real unshare, the first
 * clone) apart from later ops on the same block */
static const char *const reflink_classes[] = { "first on the block", "later on the block", NULL };
static const char *const reflink_ignores[] = { "rw", "prefault", NULL };

static const struct opt_def reflink_opt_table[] = {
	{ .name = "phase", .type = OPT_ENUM, .offset = offsetof(struct reflink_opts, phase), .def = "cow",
	  .values = phase_names, .help = "clone (FICLONERANGE per op), cow (writes into the clone), unshare" },
	{ .name = "via", .type = OPT_ENUM, .offset = offsetof(struct reflink_opts, via), .def = "pwrite",
	  .values = via_names, .help = "cow writes by pwrite or by stores through a shared mapping" },
	{ .name = "whole", .type = OPT_BOOL, .offset = offsetof(struct reflink_opts, whole), .def = "0",
	  .help = "phase = clone: each op clones the whole file (FICLONE)" },
	{ .name = "extents", .type = OPT_COUNT, .offset = offsetof(struct reflink_opts, extents), .def = "0",
	  .max = 100000, .help = "cut the job file into about 2N+1 extents before cloning (0: as written)" },
	{ 0 },
};

struct reflink_job {
	int src, dst;
	char dst_path[4200];
	char *map;           /* the clone, mapped, for via = mmap */
};

struct reflink_thread {
	uint64_t *written;   /* one bit per 4 KiB block of the slice: written since the round's clone */
};

static int clone_range(int dst, int src, uint64_t off, uint64_t len)
{
	struct file_clone_range r = { .src_fd = src, .src_offset = off, .src_length = len, .dest_offset = off };
	return ioctl(dst, FICLONERANGE, &r) ? -errno : 0;
}

static int reflink_validate(const struct job_opts *o, const void *wo, char *err, size_t len)
{
	const struct reflink_opts *r = wo;
	if (o->bs % 4096) {
		fmt_into(err, len, "reflink works on whole blocks: bs must be a multiple of 4k, not %llu",
			 (unsigned long long)o->bs);
		return -1;
	}
	if (r->whole && r->phase != PHASE_CLONE) {
		fmt_into(err, len, "whole = 1 is for phase = clone");
		return -1;
	}
	return 0;
}

static int reflink_job_setup(struct wl_job *job)
{
	const struct reflink_opts *ro = job->wo;
	struct reflink_job *rj = xcalloc(1, sizeof(*rj));
	job->priv = rj;
	rj->dst = -1;
	rj->src = open(job->path, O_RDWR | O_CLOEXEC);
	fmt_into(rj->dst_path, sizeof(rj->dst_path), "%s.clone", job->path);
	cleanup_add(rj->dst_path);
	rj->dst = rj->src < 0 ? -1 : open(rj->dst_path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (rj->src < 0 || rj->dst < 0) {
		fmt_into(job->reason, REASON_MAX, "%s: %s", rj->src < 0 ? job->path : rj->dst_path, strerror(errno));
		return WL_FAIL;
	}
	if (ro->extents) {
		int rc = fs_fragment(rj->src, job->o->size, (unsigned)ro->extents);
		if (rc) {
			fmt_into(job->reason, REASON_MAX, "cutting %s into extents: %s", job->path, strerror(-rc));
			return WL_FAIL;
		}
	}
	if (ioctl(rj->dst, FICLONE, rj->src)) {
		int e = errno;
		fmt_into(job->reason, REASON_MAX, "%s has no FICLONE (%s)", fs_name(rj->src), strerror(e));
		return e == EOPNOTSUPP || e == ENOTTY || e == EXDEV || e == EINVAL ? WL_SKIP : WL_FAIL;
	}
	long ext = fs_extent_count(rj->src);
	fmt_into(job->detail, REASON_MAX, "source file in %ld extents (FIEMAP)%s", ext,
		 ro->phase == PHASE_CLONE && !ro->whole ? "" : "; clone made with FICLONE");
	if (ro->phase == PHASE_COW && ro->via == VIA_MMAP) {
		rj->map = mmap(NULL, job->o->size, PROT_READ | PROT_WRITE, MAP_SHARED, rj->dst, 0);
		if (rj->map == MAP_FAILED) {
			rj->map = NULL;
			fmt_into(job->reason, REASON_MAX, "mmap %s: %s", rj->dst_path, strerror(errno));
			return WL_FAIL;
		}
	}
	return WL_OK;
}

static int reflink_thread_setup(struct wl_thread *t)
{
	const struct reflink_opts *ro = t->job->wo;
	struct reflink_job *rj = t->job->priv;
	struct reflink_thread *rt = xcalloc(1, sizeof(*rt));
	t->priv = rt;
	rt->written = xcalloc(t->slice_len / 4096 / 64 + 1, sizeof(uint64_t));
	if (ro->phase == PHASE_CLONE) {
		/* a fresh, empty clone each round: the first clone of a range really remaps it */
		return fallocate(rj->dst, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, (off_t)t->slice_off,
				 (off_t)t->slice_len) ? -errno : 0;
	}
	/* every round starts from a clone that shares the whole slice again */
	int rc = clone_range(rj->dst, rj->src, t->slice_off, t->slice_len);
	if (rc)
		return rc;
	if (t->job->vmap)
		memset(t->job->vmap->gen + t->slice_off / VERIFY_BLOCK, 0, t->slice_len / VERIFY_BLOCK * sizeof(uint32_t));
	/* read-fault the mapping so a store's fault is the write (CoW) fault alone */
	if (rj->map)
		for (uint64_t o = 0; o < t->slice_len; o += 4096)
			(void)*(volatile char *)(rj->map + t->slice_off + o);
	return 0;
}

static long reflink_op(struct wl_thread *t)
{
	const struct reflink_opts *ro = t->job->wo;
	struct reflink_job *rj = t->job->priv;
	struct reflink_thread *rt = t->priv;
	uint64_t bs = t->job->o->bs, off = access_next(t);
	int rc;
	switch (ro->phase) {
	case PHASE_CLONE:
		t->op_class = bit_test_set(rt->written, (off - t->slice_off) / 4096);
		if (ro->whole)
			return ioctl(rj->dst, FICLONE, rj->src) ? -errno : (long)t->job->o->size;
		rc = clone_range(rj->dst, rj->src, off, bs);
		return rc ? rc : (long)bs;
	case PHASE_UNSHARE:
		t->op_class = bit_test_set(rt->written, (off - t->slice_off) / 4096);
		return fallocate(rj->dst, FALLOC_FL_UNSHARE_RANGE, (off_t)off, (off_t)bs) ? -errno : (long)bs;
	default:
		t->op_class = bit_test_set(rt->written, (off - t->slice_off) / 4096);
		if (t->job->vmap)
			verify_stamp(t, off, bs);
		if (rj->map) {
			memcpy(rj->map + off, t->buf, bs);
			return (long)bs;
		}
		return pwrite(rj->dst, t->buf, bs, (off_t)off) == (ssize_t)bs ? (long)bs : -errno;
	}
}

static void reflink_thread_teardown(struct wl_thread *t)
{
	struct reflink_thread *rt = t->priv;
	if (rt)
		free(rt->written);
	free(rt);
	t->priv = NULL;
}

/* The job file must be as prepared; the clone must hold exactly the generations written. */
static int reflink_verify(struct wl_job *job, struct verify_report *r)
{
	struct reflink_job *rj = job->priv;
	if (rj->map)
		msync(rj->map, job->o->size, MS_SYNC);
	int rc = verify_file(job->path, job->o->seed, NULL, r);
	if (rc || r->bad_blocks) {
		if (!rc)
			snprintf(r->what + strlen(r->what), sizeof(r->what) - strlen(r->what), " in the source");
		return rc;
	}
	uint64_t checked = r->checked_blocks;
	const struct reflink_opts *ro = job->wo;
	/* after clone ops the clone is the source again; after cow it is what the writes made it */
	rc = verify_file(rj->dst_path, job->o->seed, ro->phase == PHASE_COW ? job->vmap : NULL, r);
	if (!rc && r->bad_blocks)
		snprintf(r->what + strlen(r->what), sizeof(r->what) - strlen(r->what), " in the clone");
	r->checked_blocks += checked;
	return rc;
}

static void reflink_job_teardown(struct wl_job *job)
{
	struct reflink_job *rj = job->priv;
	if (!rj)
		return;
	if (rj->map)
		munmap(rj->map, job->o->size);
	if (rj->src >= 0)
		close(rj->src);
	if (rj->dst >= 0) {
		close(rj->dst);
		unlink(rj->dst_path); /* a helper file, not the job file: keep = 1 does not keep it */
		cleanup_forget(rj->dst_path);
	}
	free(rj);
	job->priv = NULL;
}

const struct workload wl_reflink = {
	.name = "reflink",
	.summary = "FICLONE / FICLONERANGE latency, and the copy-on-write writes and unshares that follow",
	.opts = reflink_opt_table,
	.opts_size = sizeof(struct reflink_opts),
	.ignores = reflink_ignores,
	.classes = reflink_classes,
	.validate = reflink_validate,
	.job_setup = reflink_job_setup,
	.thread_setup = reflink_thread_setup,
	.op = reflink_op,
	.thread_teardown = reflink_thread_teardown,
	.job_teardown = reflink_job_teardown,
	.verify = reflink_verify,
};
