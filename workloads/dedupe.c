/*
 * dedupe: FIDEDUPERANGE of bs bytes of the job file against the same range of `dests` other files.
 * same = 1: the destinations are plain copies (not clones), so each range is identical: the kernel
 * compares and shares it (status SAME, bytes_deduped = bs, both checked). same = 0: every range of the
 * destinations differs in its last byte: the kernel compares and refuses (status DIFFERS), which is the
 * cost of the compare alone. The first dedupe of a range and later ones are separate latency classes.
 * Filesystems without dedupe (ext4, tmpfs) skip the job with the reason.
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
#include <unistd.h>

#define DESTS_MAX 16

struct dedupe_opts {
	uint64_t dests;
	int same;
};

static const struct opt_def dedupe_opt_table[] = {
	{ .name = "dests", .type = OPT_COUNT, .offset = offsetof(struct dedupe_opts, dests), .def = "1", .min = 1,
	  .max = DESTS_MAX, .help = "destination files per FIDEDUPERANGE call" },
	{ .name = "same", .type = OPT_BOOL, .offset = offsetof(struct dedupe_opts, same), .def = "1",
	  .help = "1: identical ranges (deduped); 0: ranges differing in their last byte (compare only)" },
	{ 0 },
};

static const char *const dedupe_classes[] = { "first on the range", "later on the range", NULL };
static const char *const dedupe_ignores[] = { "rw", "prefault", NULL };

struct dedupe_job {
	int src;
	unsigned n;
	int dst[DESTS_MAX];
	char path[DESTS_MAX][4200];
	atomic_int told; /* the first unexpected status has been described in reason */
	char *reason;
};

struct dedupe_thread {
	uint64_t *seen;
	struct file_dedupe_range *req;
};

static int dedupe_validate(const struct job_opts *o, const void *wo, char *err, size_t len)
{
	(void)wo;
	if (o->bs % 4096) {
		fmt_into(err, len, "dedupe works on whole blocks: bs must be a multiple of 4k, not %llu",
			 (unsigned long long)o->bs);
		return -1;
	}
	return 0;
}

static int dedupe_job_setup(struct wl_job *job)
{
	const struct dedupe_opts *d = job->wo;
	struct dedupe_job *dj = xcalloc(1, sizeof(*dj));
	job->priv = dj;
	dj->reason = job->reason;
	dj->src = open(job->path, O_RDWR | O_CLOEXEC);
	if (dj->src < 0) {
		fmt_into(job->reason, REASON_MAX, "%s: %s", job->path, strerror(errno));
		return WL_FAIL;
	}
	for (unsigned i = 0; i < d->dests; i++) {
		fmt_into(dj->path[i], sizeof(dj->path[i]), "%s.dedupe%u", job->path, i);
		cleanup_add(dj->path[i]);
		int rc = fs_copy_plain(dj->src, dj->path[i], job->o->size);
		dj->dst[i] = rc ? -1 : open(dj->path[i], O_RDWR | O_CLOEXEC);
		dj->n = i + 1;
		if (dj->dst[i] < 0) {
			fmt_into(job->reason, REASON_MAX, "copying to %s: %s", dj->path[i], strerror(rc ? -rc : errno));
			return WL_FAIL;
		}
		/* same = 0: the last byte of every bs range differs (its complement), so every compare runs
		 * to the end and then refuses */
		for (uint64_t off = job->o->bs - 1; !d->same && off < job->o->size; off += job->o->bs) {
			unsigned char c = 0;
			int ok = pread(dj->src, &c, 1, (off_t)off) == 1;
			c = (unsigned char)~c;
			if (!ok || pwrite(dj->dst[i], &c, 1, (off_t)off) != 1) {
				fmt_into(job->reason, REASON_MAX, "%s: %s", dj->path[i], strerror(errno));
				return WL_FAIL;
			}
		}
	}
	struct {
		struct file_dedupe_range r;
		struct file_dedupe_range_info info;
	} probe = { .r = { .src_offset = 0, .src_length = 0, .dest_count = 1 }, .info = { .dest_fd = dj->dst[0] } };
	if (ioctl(dj->src, FIDEDUPERANGE, &probe)) {
		int e = errno;
		fmt_into(job->reason, REASON_MAX, "%s has no FIDEDUPERANGE (%s)", fs_name(dj->src), strerror(e));
		return e == EOPNOTSUPP || e == ENOTTY || e == EINVAL ? WL_SKIP : WL_FAIL;
	}
	return WL_OK;
}

static int dedupe_thread_setup(struct wl_thread *t)
{
	struct dedupe_job *dj = t->job->priv;
	struct dedupe_thread *dt = xcalloc(1, sizeof(*dt));
	t->priv = dt;
	dt->seen = xcalloc(t->slice_len / 4096 / 64 + 1, sizeof(uint64_t));
	dt->req = xcalloc(1, sizeof(struct file_dedupe_range) + dj->n * sizeof(struct file_dedupe_range_info));
	return 0;
}

static long dedupe_op(struct wl_thread *t)
{
	struct dedupe_job *dj = t->job->priv;
	struct dedupe_thread *dt = t->priv;
	const struct dedupe_opts *d = t->job->wo;
	uint64_t bs = t->job->o->bs, off = access_next(t);
	struct file_dedupe_range *r = dt->req;
	r->src_offset = off;
	r->src_length = bs;
	r->dest_count = (uint16_t)dj->n;
	r->reserved1 = 0;
	r->reserved2 = 0;
	for (unsigned i = 0; i < dj->n; i++)
		r->info[i] = (struct file_dedupe_range_info){ .dest_fd = dj->dst[i], .dest_offset = off };
	t->op_class = bit_test_set(dt->seen, (off - t->slice_off) / 4096);
	if (ioctl(dj->src, FIDEDUPERANGE, r))
		return -errno;
	for (unsigned i = 0; i < dj->n; i++) {
		const struct file_dedupe_range_info *x = &r->info[i];
		int want = d->same ? FILE_DEDUPE_RANGE_SAME : FILE_DEDUPE_RANGE_DIFFERS;
		if (x->status == want && (!d->same || x->bytes_deduped == bs))
			continue;
		int expected = 0;
		if (atomic_compare_exchange_strong(&dj->told, &expected, 1))
			fmt_into(dj->reason, REASON_MAX,
				 "FIDEDUPERANGE at offset %llu, destination %u: status %d, %llu bytes deduped; expected %s",
				 (unsigned long long)off, i, x->status, (unsigned long long)x->bytes_deduped,
				 d->same ? "SAME and bs bytes" : "DIFFERS");
		return -EBADMSG;
	}
	return (long)bs;
}

static void dedupe_thread_teardown(struct wl_thread *t)
{
	struct dedupe_thread *dt = t->priv;
	if (dt) {
		free(dt->seen);
		free(dt->req);
	}
	free(dt);
	t->priv = NULL;
}

static void dedupe_job_teardown(struct wl_job *job)
{
	struct dedupe_job *dj = job->priv;
	if (!dj)
		return;
	if (dj->src >= 0)
		close(dj->src);
	for (unsigned i = 0; i < dj->n; i++) {
		if (dj->dst[i] >= 0)
			close(dj->dst[i]);
		unlink(dj->path[i]); /* a helper file, not the job file: keep = 1 does not keep it */
		cleanup_forget(dj->path[i]);
	}
	free(dj);
	job->priv = NULL;
}

const struct workload wl_dedupe = {
	.name = "dedupe",
	.summary = "FIDEDUPERANGE latency for identical ranges (shared) and differing ones (compare only)",
	.opts = dedupe_opt_table,
	.opts_size = sizeof(struct dedupe_opts),
	.ignores = dedupe_ignores,
	.classes = dedupe_classes,
	.validate = dedupe_validate,
	.job_setup = dedupe_job_setup,
	.thread_setup = dedupe_thread_setup,
	.op = dedupe_op,
	.thread_teardown = dedupe_thread_teardown,
	.job_teardown = dedupe_job_teardown,
};
