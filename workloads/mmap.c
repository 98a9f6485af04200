/*
 * mmap: loads and stores through a MAP_SHARED mapping of the job file.
 * Reads copy bs bytes to a thread-local buffer. Writes copy bs bytes in and then make them durable
 * as `persist` says: none; flush (libpmem pmem_persist: cache-line flush + fence); nt (libpmem
 * non-temporal copy + pmem_drain); msync (msync(MS_SYNC) of the pages written).
 * map_sync = 1 maps with MAP_SHARED_VALIDATE | MAP_SYNC, which only DAX files on synchronous
 * devices accept; elsewhere the job fails with the kernel's reason.
 */
#include "workloads/workload.h"
#include "workloads/access.h"
#include "workloads/mapping.h"
#include "lib/util.h"

#include <errno.h>
#include <libpmem.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

enum persist { PERSIST_NONE, PERSIST_FLUSH, PERSIST_NT, PERSIST_MSYNC };

struct mmap_opts {
	int persist;
	int map_sync;
};

static const char *const persist_names[] = { "none", "flush", "nt", "msync", NULL };

static const struct opt_def mmap_opt_table[] = {
	{ .name = "persist", .type = OPT_ENUM, .offset = offsetof(struct mmap_opts, persist), .def = "none",
	  .values = persist_names,
	  .help = "after each store: none, flush (cache-line flush + fence), nt (non-temporal copy + drain), msync" },
	{ .name = "map_sync", .type = OPT_BOOL, .offset = offsetof(struct mmap_opts, map_sync), .def = "0",
	  .help = "map with MAP_SYNC (DAX on a synchronous device only)" },
	{ 0 },
};

/* The mapping first: the helpers in mapping.c take it. */
struct mmap_job {
	struct mapping m;
	int persist; /* the persist option, or what durability = durable picked for the file's mode */
};

static int mmap_validate(const struct job_opts *o, const void *wo, char *err, size_t len)
{
	(void)wo;
	if (o->verify && o->rw.kind != RW_READ && o->bs % VERIFY_BLOCK) {
		fmt_into(err, len, "verify = 1 writes whole 4 KiB blocks: bs must be a multiple of 4k, not %llu",
			 (unsigned long long)o->bs);
		return -1;
	}
	return 0;
}

/* Whether the job's stores are durable on return, and the detail line that says by what. A cache
 * flush or a non-temporal store reaches the medium only on DAX: on the page cache it leaves the
 * CPU caches for a page that still has to be written back. */
static void describe_durability(struct wl_job *job, int persist, int async)
{
	const char *how = persist == PERSIST_FLUSH ? "pmem_persist (flush + fence)"
			  : persist == PERSIST_NT  ? "pmem_memcpy non-temporal + pmem_drain"
						   : "msync(MS_SYNC)";
	int cpu_only = persist == PERSIST_FLUSH || persist == PERSIST_NT;
	if (persist == PERSIST_NONE) {
		job->durable = 0; /* in the CPU caches (DAX) or a dirty page (page cache) */
	} else if (cpu_only && async) {
		job->durable = 0;
		fmt_into(job->detail, REASON_MAX,
			 "stores %s the CPU caches by %s; not durable on an asynchronous DAX device (virtio-pmem): only a "
			 "flush request to the host persists: use durability = durable or persist = msync",
			 persist == PERSIST_FLUSH ? "flushed from" : "written around", how);
	} else if (cpu_only && job->dax != 1) {
		job->durable = 0;
		fmt_into(job->detail, REASON_MAX,
			 "stores %s the CPU caches by %s; not durable on the page cache: use durability = durable or "
			 "persist = msync", persist == PERSIST_FLUSH ? "flushed from" : "written around", how);
	} else {
		job->durable = 1;
		fmt_into(job->detail, REASON_MAX, "stores made durable by %s%s%s", how,
			 cpu_only ? "; libpmem reports " : "",
			 cpu_only ? (pmem_has_hw_drain() ? "hardware drain" : "no hardware drain") : "");
	}
}

/* fio's mmap engine for loads and plain stores; its libpmem engine (DAX files only) for flushed or
 * non-temporal stores; nothing for msync (fio syncs the whole file) or MAP_SYNC mappings. */
static enum wl_fio mmap_fio(const struct job_opts *o, const void *wo, int dax, struct wl_fio_job *f)
{
	const struct mmap_opts *mo = wo;
	int stores = o->rw.kind != RW_READ;
	if (mo->map_sync) {
		fmt_into(f->why, sizeof(f->why), "MAP_SYNC mappings: fio's mmap engine cannot ask for them");
		return WL_FIO_NO;
	}
	if (stores && mo->persist == PERSIST_MSYNC) {
		fmt_into(f->why, sizeof(f->why), "persist = msync syncs the pages written; fio's mmap engine syncs the whole file");
		return WL_FIO_NO;
	}
	if (!stores || mo->persist == PERSIST_NONE) {
		f->engine = "mmap";
		return WL_FIO_YES;
	}
	fmt_into(f->why, sizeof(f->why), "flushed stores: fio's libpmem engine needs a DAX file");
	if (dax != 1)
		return dax < 0 ? WL_FIO_IF_DAX : WL_FIO_NO;
	/* libpmem engine: sync=1 persists each write, direct=1 makes the copy non-temporal */
	f->engine = "libpmem";
	fmt_into(f->lines, sizeof(f->lines), "sync=1\n%s", mo->persist == PERSIST_NT ? "direct=1\n" : "");
	return WL_FIO_YES;
}

static int mmap_job_setup(struct wl_job *job)
{
	const struct mmap_opts *mo = job->wo;
	struct mmap_job *mj = xcalloc(1, sizeof(*mj));
	int rc = mapping_open(job, &mj->m, mo->map_sync);
	if (rc != WL_OK) {
		free(mj);
		return rc;
	}
	job->priv = mj;
	mj->persist = mo->persist;
	/* durable: what the mode needs for stores to survive power loss: a cache flush on DAX, msync on
	 * the page cache (where flushing CPU caches writes nothing to the medium) */
	int async = job->dax == 1 && job->o->rw.kind != RW_READ && mapping_dax_async(job, mj->m.fd) == 1;
	if (job->o->durability == DURABILITY_DURABLE && mj->persist == PERSIST_NONE)
		mj->persist = job->dax == 1 && !async ? PERSIST_FLUSH : PERSIST_MSYNC;
	if (job->o->rw.kind != RW_READ)
		describe_durability(job, mj->persist, async);
	return WL_OK;
}

/* Random reads of a constant size: the copy inlines and nothing but the access is left
 * (t->priv holds the slice's first byte in the mapping). The buffer is 4 KiB aligned (the runner's
 * posix_memalign), and the compiler must know it: not knowing, it copied 4 KiB as an 8-byte head and
 * tail around a rep movsq 8 bytes off every cache line, 10-15% slower than the bare loop's copy. */
#define RAND_READ_OP(n)                                                                    \
	static long mmap_rand_read_##n(struct wl_thread *t)                               \
	{                                                                                 \
		void *buf = __builtin_assume_aligned(t->buf, 4096);                       \
		memcpy(buf, (const char *)t->priv + rng_below(&t->rng, t->slice_len / n) * n, n); \
		return n;                                                                 \
	}
RAND_READ_OP(8)
RAND_READ_OP(64)
RAND_READ_OP(4096)

/* The same reads n at a time: the random state stays in a register, no call per read. The empty asm
 * says the buffer is read after each copy, so no copy may be dropped as overwritten by the next. */
#define RAND_READ_BATCH(n)                                                                      \
	static long mmap_rand_read_##n##_batch(struct wl_thread *t, uint64_t count)            \
	{                                                                                      \
		const char *base = t->priv;                                                    \
		uint64_t rng = t->rng, blocks = t->slice_len / n;                              \
		void *buf = __builtin_assume_aligned(t->buf, 4096);                            \
		for (uint64_t i = 0; i < count; i++) {                                         \
			memcpy(buf, base + rng_below(&rng, blocks) * n, n);                    \
			__asm__ volatile("" : : "r"(buf) : "memory");                          \
		}                                                                              \
		t->rng = rng;                                                                  \
		return (long)(count * n);                                                      \
	}
RAND_READ_BATCH(8)
RAND_READ_BATCH(64)
RAND_READ_BATCH(4096)

static long mmap_op(struct wl_thread *t);

static int mmap_thread_setup(struct wl_thread *t)
{
	const struct job_opts *o = t->job->o;
	struct mmap_job *mj = t->job->priv;
	if (o->prefault)
		mapping_prefault(&mj->m, t->slice_off, t->slice_len, o->rw.kind != RW_READ);
	t->priv = (char *)mj->m.addr + t->slice_off;
	if (o->rw.kind == RW_READ && o->pattern.kind == PATTERN_RAND) {
		t->op = o->bs == 8 ? mmap_rand_read_8 : o->bs == 64 ? mmap_rand_read_64
		      : o->bs == 4096 ? mmap_rand_read_4096 : mmap_op;
		t->op_batch = o->bs == 8 ? mmap_rand_read_8_batch : o->bs == 64 ? mmap_rand_read_64_batch
			    : o->bs == 4096 ? mmap_rand_read_4096_batch : NULL;
	}
	return 0;
}

static long mmap_op(struct wl_thread *t)
{
	const struct mmap_job *mj = t->job->priv;
	uint64_t bs = t->job->o->bs;
	char *at = (char *)mj->m.addr + access_next(t);
	if (access_is_read(t)) {
		memcpy(t->buf, at, bs);
		return (long)bs;
	}
	if (t->job->vmap) {
		verify_stamp(t, (uint64_t)(at - (char *)mj->m.addr), bs);
	}
	switch (mj->persist) {
	case PERSIST_NT:
		pmem_memcpy(at, t->buf, bs, PMEM_F_MEM_NONTEMPORAL);
		pmem_drain();
		break;
	case PERSIST_FLUSH:
		memcpy(at, t->buf, bs);
		pmem_persist(at, bs);
		break;
	case PERSIST_MSYNC: {
		memcpy(at, t->buf, bs);
		uintptr_t first = (uintptr_t)at & ~(uintptr_t)4095;
		if (msync((void *)first, (uintptr_t)at + bs - first, MS_SYNC))
			return -errno;
		break;
	}
	default:
		memcpy(at, t->buf, bs);
	}
	return (long)bs;
}

static void mmap_job_teardown(struct wl_job *job)
{
	struct mmap_job *mj = job->priv;
	if (mj)
		mapping_close(&mj->m);
	free(job->priv);
	job->priv = NULL;
}

const struct workload wl_mmap = {
	.name = "mmap",
	.maps_devdax = 1,
	.summary = "loads and stores through a shared mapping (plain, flush, non-temporal, msync, MAP_SYNC)",
	.opts = mmap_opt_table,
	.opts_size = sizeof(struct mmap_opts),
	.poison_path = WL_POISON_MAPPED,
	.fio = mmap_fio,
	.validate = mmap_validate,
	.job_setup = mmap_job_setup,
	.thread_setup = mmap_thread_setup,
	.op = mmap_op,
	.job_teardown = mmap_job_teardown,
};
