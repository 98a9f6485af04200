/*
 * fault: the cost of page faults. Each thread maps its slice of the job file afresh every round and
 * each op touches the next page (bs = 4k) or 2 MiB (pmd = 1, bs = 2m) once; when the slice is done the
 * thread stops. touch = read (first read touch), write (first store to an existing block), hole (store
 * into a punched hole: allocation and zeroing), sync (store through a MAP_SYNC mapping: DAX only).
 * populate = 1 times mmap(MAP_POPULATE) of bs bytes (and its munmap) instead of touches.
 * pmd = 1 aligns the mapping to 2 MiB and, where tracefs is there (root), counts the fs_dax
 * dax_pmd_fault_done events that mapped a PMD (NOPAGE) or fell back to 4 KiB (FALLBACK); where it is not,
 * the result says the mapping size is unknown rather than guessing.
 */
#include "workloads/workload.h"
#include "workloads/access.h"
#include "workloads/mapping.h"
#include "lib/linux_compat.h"
#include "lib/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PMD (2u << 20)

enum touch { TOUCH_READ, TOUCH_WRITE, TOUCH_HOLE, TOUCH_SYNC };

struct fault_opts {
	int touch, pmd, populate;
};

static const char *const touch_names[] = { "read", "write", "hole", "sync", NULL };
static const char *const fault_ignores[] = { "pattern", "rw", "prefault", "warmup", NULL };

static const struct opt_def fault_opt_table[] = {
	{ .name = "touch", .type = OPT_ENUM, .offset = offsetof(struct fault_opts, touch), .def = "read",
	  .values = touch_names, .help = "read, write (existing block), hole (allocating store), sync (MAP_SYNC store)" },
	{ .name = "pmd", .type = OPT_BOOL, .offset = offsetof(struct fault_opts, pmd), .def = "0",
	  .help = "2 MiB aligned mapping and faults (bs = 2m); PMD mappings counted through tracefs" },
	{ .name = "populate", .type = OPT_BOOL, .offset = offsetof(struct fault_opts, populate), .def = "0",
	  .help = "each op is mmap(MAP_POPULATE) + munmap of bs bytes instead of a touch" },
	{ 0 },
};

static const char *tracefs_dirs[] = { "/sys/kernel/tracing", "/sys/kernel/debug/tracing" };

struct fault_job {
	int fd;
	int flags;          /* mmap flags */
	const char *tracefs; /* where the fs_dax event was enabled, or NULL */
};

struct fault_thread {
	char *reserve;      /* the whole reservation (pmd alignment), to unmap */
	size_t reserve_len;
	char *map;          /* the slice */
};

static int fault_validate(const struct job_opts *o, const void *wo, char *err, size_t len)
{
	const struct fault_opts *f = wo;
	if (f->pmd && o->bs != PMD) {
		fmt_into(err, len, "pmd = 1 faults 2 MiB at a time: set bs = 2m");
		return -1;
	}
	if (o->bs % 4096) {
		fmt_into(err, len, "faults are per page: bs must be a multiple of 4k, not %llu", (unsigned long long)o->bs);
		return -1;
	}
	/* a touch is one byte (or a punched hole), which no 4 KiB verify block survives: writing whole
	 * verify blocks would measure a 4 KiB copy per page, not the fault */
	if (o->verify && f->touch != TOUCH_READ) {
		fmt_into(err, len, "verify = 1 checks 4 KiB verify blocks, and touch = %s %s: use touch = read, or verify = 0",
			 touch_names[f->touch], f->touch == TOUCH_HOLE ? "punches them out and stores one byte a page"
									  : "stores one byte a page over them");
		return -1;
	}
	return 0;
}

static int write_file(const char *dir, const char *name, const char *text)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	int fd = open(path, O_WRONLY | O_TRUNC);
	if (fd < 0)
		return -errno;
	int rc = write(fd, text, strlen(text)) < 0 ? -errno : 0;
	close(fd);
	return rc;
}

/* Enables fs_dax:dax_pmd_fault_done and empties the buffer; the directory, or NULL with why. */
static const char *trace_start(char *why, size_t len)
{
	for (size_t i = 0; i < 2; i++) {
		char ev[128];
		snprintf(ev, sizeof(ev), "%s/events/fs_dax/dax_pmd_fault_done", tracefs_dirs[i]);
		if (access(ev, F_OK))
			continue;
		if (write_file(ev, "enable", "1") || write_file(tracefs_dirs[i], "trace", "")) {
			fmt_into(why, len, "tracefs is not writable (needs root)");
			return NULL;
		}
		return tracefs_dirs[i];
	}
	fmt_into(why, len, "no tracefs with the fs_dax events (mount tracefs, run as root)");
	return NULL;
}

/* Counts this process's PMD fault outcomes in the trace, and disables the event. */
static void trace_stop(const char *dir, char *detail, size_t len)
{
	char path[128];
	snprintf(path, sizeof(path), "%s/trace", dir);
	FILE *f = fopen(path, "r");
	long nopage = 0, fallback = 0, other = 0;
	char line[1024], me[32];
	snprintf(me, sizeof(me), "-%d", (int)getpid());
	while (f && fgets(line, sizeof(line), f)) {
		if (!strstr(line, "dax_pmd_fault_done") || !strstr(line, "daxperf"))
			continue;
		if (strstr(line, "NOPAGE"))
			nopage++;
		else if (strstr(line, "FALLBACK"))
			fallback++;
		else
			other++;
	}
	if (f)
		fclose(f);
	snprintf(path, sizeof(path), "%s/events/fs_dax/dax_pmd_fault_done", dir);
	write_file(path, "enable", "0");
	fmt_into(detail, len, "2 MiB faults by fs_dax:dax_pmd_fault_done: %ld mapped a PMD (NOPAGE), %ld fell back "
			      "to 4 KiB (FALLBACK), %ld other", nopage, fallback, other);
	(void)me;
}

static int fault_job_setup(struct wl_job *job)
{
	const struct fault_opts *fo = job->wo;
	struct fault_job *fj = xcalloc(1, sizeof(*fj));
	job->priv = fj;
	fj->fd = open(job->path, O_RDWR | O_CLOEXEC);
	if (fj->fd < 0) {
		fmt_into(job->reason, REASON_MAX, "%s: %s", job->path, strerror(errno));
		return WL_FAIL;
	}
	fj->flags = fo->touch == TOUCH_SYNC ? MAP_SHARED_VALIDATE | MAP_SYNC : MAP_SHARED;
	/* a device DAX maps in whole units of its alignment: no hole to punch, no smaller mapping */
	if (job->map_align && fo->touch == TOUCH_HOLE) {
		fmt_into(job->reason, REASON_MAX, "touch = hole punches a hole in a file: a device DAX has no blocks to free");
		return WL_SKIP;
	}
	if (job->map_align && fo->populate && job->o->bs % job->map_align) {
		fmt_into(job->reason, REASON_MAX, "populate = 1 maps bs = %llu bytes: a device DAX maps in units of %llu",
			 (unsigned long long)job->o->bs, (unsigned long long)job->map_align);
		return WL_SKIP;
	}
	size_t probe_len = job->map_align > 4096 ? job->map_align : 4096;
	void *probe = mmap(NULL, probe_len, PROT_READ | PROT_WRITE, fj->flags, fj->fd, 0);
	if (probe == MAP_FAILED) {
		if (fo->touch == TOUCH_SYNC && errno == EOPNOTSUPP)
			return mapping_sync_refused(job);
		fmt_into(job->reason, REASON_MAX, "mmap %s: %s", job->path, strerror(errno));
		return WL_FAIL;
	}
	munmap(probe, probe_len);
	if (fo->pmd && job->map_align) {
		/* device DAX faults are not fs_dax events: the device's alignment is the mapping size */
		fmt_into(job->detail, REASON_MAX, "device DAX: every fault maps %llu bytes (its alignment)",
			 (unsigned long long)job->map_align);
	} else if (fo->pmd) {
		fj->tracefs = trace_start(job->detail, REASON_MAX);
		if (!fj->tracefs) {
			char why[REASON_MAX];
			snprintf(why, sizeof(why), "%s", job->detail);
			fmt_into(job->detail, REASON_MAX, "2 MiB mapping: unknown: %s", why);
		}
	}
	return WL_OK;
}

static int fault_thread_setup(struct wl_thread *t)
{
	const struct fault_opts *fo = t->job->wo;
	struct fault_job *fj = t->job->priv;
	struct fault_thread *ft = xcalloc(1, sizeof(*ft));
	t->priv = ft;
	t->next = 0;
	if (fo->touch == TOUCH_HOLE &&
	    fallocate(fj->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, (off_t)t->slice_off, (off_t)t->slice_len))
		return -errno;
	if (fo->populate)
		return 0;
	/* a reservation one PMD (or device DAX alignment) larger, so the mapping can start on that boundary */
	uint64_t align = fo->pmd ? PMD : 0;
	if (t->job->map_align > align)
		align = t->job->map_align;
	ft->reserve_len = t->slice_len + align;
	ft->reserve = mmap(NULL, ft->reserve_len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (ft->reserve == MAP_FAILED)
		return -errno;
	char *at = align ? (char *)(((uintptr_t)ft->reserve + align - 1) & ~(uintptr_t)(align - 1)) : ft->reserve;
	ft->map = mmap(at, t->slice_len, PROT_READ | PROT_WRITE, fj->flags | MAP_FIXED, fj->fd, (off_t)t->slice_off);
	return ft->map == MAP_FAILED ? -errno : 0;
}

static long fault_op(struct wl_thread *t)
{
	const struct fault_opts *fo = t->job->wo;
	struct fault_thread *ft = t->priv;
	uint64_t bs = t->job->o->bs;
	if (t->next + bs > t->slice_len)
		return WL_END;
	uint64_t off = t->next;
	t->next += bs;
	if (fo->populate) {
		struct fault_job *fj = t->job->priv;
		void *p = mmap(NULL, bs, PROT_READ | PROT_WRITE, fj->flags | MAP_POPULATE, fj->fd, (off_t)(t->slice_off + off));
		if (p == MAP_FAILED)
			return -errno;
		munmap(p, bs);
		return (long)bs;
	}
	volatile char *p = ft->map + off;
	if (fo->touch == TOUCH_READ)
		(void)*p;
	else
		*p = 1;
	return (long)bs;
}

static void fault_thread_teardown(struct wl_thread *t)
{
	struct fault_thread *ft = t->priv;
	if (ft && ft->reserve && ft->reserve != MAP_FAILED)
		munmap(ft->reserve, ft->reserve_len);
	free(ft);
	t->priv = NULL;
}

static void fault_job_teardown(struct wl_job *job)
{
	struct fault_job *fj = job->priv;
	if (!fj)
		return;
	if (fj->tracefs)
		trace_stop(fj->tracefs, job->detail, REASON_MAX);
	if (fj->fd >= 0)
		close(fj->fd);
	free(fj);
	job->priv = NULL;
}

const struct workload wl_fault = {
	.name = "fault",
	.maps_devdax = 1,
	.summary = "page fault cost: first read / write touch, allocating write, MAP_SYNC, 2 MiB, MAP_POPULATE",
	.opts = fault_opt_table,
	.opts_size = sizeof(struct fault_opts),
	.ignores = fault_ignores,
	.validate = fault_validate,
	.job_setup = fault_job_setup,
	.thread_setup = fault_thread_setup,
	.op = fault_op,
	.thread_teardown = fault_thread_teardown,
	.job_teardown = fault_job_teardown,
};
