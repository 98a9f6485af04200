/*
 * The ways a page of the job file is poisoned and made good again.
 *
 * badblocks  the page's sectors (FIEMAP) go into /sys/block/pmemN/badblocks. The list is read at
 *            fault and I/O time only, so the page's mapping is dropped (and, for the page cache, the
 *            cached page) so the next access reaches the driver, as a real error would.
 * hwpoison   madvise(MADV_HWPOISON) on the page, through a mapping of the injector's own.
 * ndctl      `ndctl inject-error` on the namespace, where the platform has error injection.
 * emulated   the page is made inaccessible (mprotect) and the read path refuses it: no kernel
 *            poison at all, labelled "emulated" in every result.
 */
#include "poison/poison.h"
#include "poison/poison_dev.h"
#include "lib/util.h"
#include "measure/verify.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MADV_HWPOISON
#define MADV_HWPOISON 100
#endif

#define UNPOISON_PFN "/sys/kernel/debug/hwpoison/unpoison-pfn"

int backend_hwpoison_possible(char *why, size_t len)
{
	/* a zero-length MADV_HWPOISON is refused only by a kernel without memory failure handling */
	if (madvise((void *)(uintptr_t)POISON_PAGE, 0, MADV_HWPOISON) && errno == EINVAL) {
		fmt_into(why, len, "kernel built without CONFIG_MEMORY_FAILURE (MADV_HWPOISON refused: EINVAL)");
		return -EOPNOTSUPP;
	}
	if (geteuid() != 0) {
		fmt_into(why, len, "needs root (CAP_SYS_ADMIN) for MADV_HWPOISON");
		return -EPERM;
	}
	return 0;
}

int backend_prepare(struct poison_job *pj, char *why, size_t len)
{
	int rc;
	switch (pj->backend) {
	case POISON_BADBLOCKS:
		return pdev_find(pj->job->path, &pj->dev, why, len);
	case POISON_NDCTL:
		if ((rc = pdev_find(pj->job->path, &pj->dev, why, len)))
			return rc;
		return pdev_ndctl_probe(&pj->dev, why, len);
	case POISON_HWPOISON:
		return backend_hwpoison_possible(why, len);
	case POISON_EMULATED:
		return 0;
	}
	fmt_into(why, len, "unknown poison backend %d", pj->backend);
	return -EINVAL;
}

static void emulated_add(struct poison_job *pj, uint64_t off)
{
	unsigned n = atomic_load(&pj->nemu);
	for (unsigned i = 0; i < n; i++) {
		uint64_t expect = UINT64_MAX;
		if (atomic_compare_exchange_strong(&pj->emu[i], &expect, off))
			return;
	}
	atomic_store(&pj->emu[n], off);
	atomic_store_explicit(&pj->nemu, n + 1, memory_order_release);
}

static void emulated_remove(struct poison_job *pj, uint64_t off)
{
	unsigned n = atomic_load(&pj->nemu);
	for (unsigned i = 0; i < n; i++) {
		uint64_t expect = off;
		atomic_compare_exchange_strong(&pj->emu[i], &expect, UINT64_MAX);
	}
	if (pj->job->map)
		mprotect((char *)pj->job->map + off, POISON_PAGE, PROT_READ | PROT_WRITE);
}

/* The page frame behind a mapped address (/proc/self/pagemap; root sees frame numbers). */
static uint64_t pfn_of(const void *addr)
{
	int fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	uint64_t e = 0;
	if (fd >= 0) {
		if (pread(fd, &e, 8, (off_t)((uintptr_t)addr / POISON_PAGE * 8)) != 8)
			e = 0;
		close(fd);
	}
	return (e >> 63) ? e & ((1ull << 55) - 1) : 0;
}

/* The injector's own mapping of the page, touched so it has a frame. */
static volatile char *map_page(struct poison_job *pj, const struct poison_page *p, char *why, size_t len)
{
	volatile char *m = mmap(NULL, POISON_PAGE, PROT_READ, MAP_SHARED, pj->fd, (off_t)p->off);
	if (m == MAP_FAILED) {
		fmt_into(why, len, "mapping offset %" PRIu64 " to poison it: %s", p->off, strerror(errno));
		return NULL;
	}
	(void)m[0];
	return m;
}

int backend_locate(struct poison_job *pj, struct poison_page *p, char *why, size_t len)
{
	if (pj->backend == POISON_BADBLOCKS || pj->backend == POISON_NDCTL)
		return pdev_sector_of(pj->fd, p->off, &pj->dev, &p->sector, why, len);
	if (pj->backend == POISON_HWPOISON) {
		volatile char *m = map_page(pj, p, why, len);
		if (!m)
			return -EIO;
		p->pfn = pfn_of((const void *)m);
		munmap((void *)m, POISON_PAGE);
		if (!p->pfn) {
			fmt_into(why, len, "no page frame number for offset %" PRIu64 " (/proc/self/pagemap needs root)",
				 p->off);
			return -EPERM;
		}
	}
	return 0;
}

static int hwpoison_inject(struct poison_job *pj, struct poison_page *p, char *why, size_t len)
{
	volatile char *m = map_page(pj, p, why, len);
	if (!m)
		return -EIO;
	uint64_t pfn = pfn_of((const void *)m);
	if (pfn != p->pfn) { /* the page was evicted and read again since it was journaled */
		munmap((void *)m, POISON_PAGE);
		fmt_into(why, len, "offset %" PRIu64 " moved to another frame before it could be poisoned", p->off);
		return -EAGAIN;
	}
	poison_injecting(pj, 1);
	int rc = madvise((void *)m, POISON_PAGE, MADV_HWPOISON) ? -errno : 0;
	poison_injecting(pj, 0);
	munmap((void *)m, POISON_PAGE);
	if (rc)
		fmt_into(why, len, "madvise(MADV_HWPOISON) at offset %" PRIu64 ": %s", p->off, strerror(-rc));
	return rc;
}

int backend_inject(struct poison_job *pj, struct poison_page *p, char *why, size_t len)
{
	int rc;
	char *page = pj->job->map ? (char *)pj->job->map + p->off : NULL;
	switch (pj->backend) {
	case POISON_BADBLOCKS:
	case POISON_NDCTL:
		rc = pj->backend == POISON_BADBLOCKS ? pdev_badblocks_add(&pj->dev, p->sector, why, len)
						     : pdev_ndctl_inject(&pj->dev, p->sector, 0, why, len);
		if (rc)
			return rc;
		/* the driver consults the list when the page is faulted or read from the device: drop the
		 * mapping's page table entry and any cached copy so the next access goes there */
		if (page)
			madvise(page, POISON_PAGE, MADV_DONTNEED);
		posix_fadvise(pj->fd, (off_t)p->off, POISON_PAGE, POSIX_FADV_DONTNEED);
		return 0;
	case POISON_HWPOISON:
		return hwpoison_inject(pj, p, why, len);
	case POISON_EMULATED:
		emulated_add(pj, p->off);
		if (page && mprotect(page, POISON_PAGE, PROT_NONE)) {
			fmt_into(why, len, "mprotect of offset %" PRIu64 ": %s", p->off, strerror(errno));
			return -errno;
		}
		return 0;
	}
	return -EINVAL;
}

/* Bit 19 (KPF_HWPOISON) of the frame's /proc/kpageflags word. */
static int pfn_hwpoisoned(uint64_t pfn)
{
	int fd = open("/proc/kpageflags", O_RDONLY | O_CLOEXEC);
	uint64_t flags;
	int rc = -1;
	if (fd >= 0) {
		if (pread(fd, &flags, 8, (off_t)(pfn * 8)) == 8)
			rc = (flags >> 19) & 1;
		close(fd);
	}
	return rc;
}

int backend_still_poisoned(struct poison_job *pj, const struct poison_page *p)
{
	switch (pj->backend) {
	case POISON_BADBLOCKS:
	case POISON_NDCTL:
		return pdev_badblocks_has(&pj->dev, p->sector);
	case POISON_HWPOISON:
		return p->pfn ? pfn_hwpoisoned(p->pfn) : -1;
	case POISON_EMULATED:
		return poison_emulated_contains(pj, p->off);
	}
	return -1;
}

/* The bytes the page must hold: the verify block the job file was prepared with (or the
 * generation the workload last wrote, with verify = 1). */
static void known_page(struct poison_job *pj, uint64_t off, void *buf)
{
	uint32_t gen = pj->job->vmap ? pj->job->vmap->gen[off / VERIFY_BLOCK] : 0;
	verify_fill_block(buf, pj->o->seed, off, gen);
}

int backend_remap(struct poison_job *pj, uint64_t off)
{
	if (pj->job->map && mmap((char *)pj->job->map + off, POISON_PAGE, PROT_READ | PROT_WRITE,
				 pj->job->map_flags | MAP_FIXED, pj->fd, (off_t)off) == MAP_FAILED)
		return -errno;
	return 0;
}

int backend_rewrite(struct poison_job *pj, struct poison_page *p, int punch, char *why, size_t len)
{
	_Alignas(4096) unsigned char want[POISON_PAGE], got[POISON_PAGE];
	if (punch) {
		if (fallocate(pj->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, (off_t)p->off, POISON_PAGE)) {
			fmt_into(why, len, "punching offset %" PRIu64 ": %s", p->off, strerror(errno));
			return -errno;
		}
		p->freed = pj->backend == POISON_BADBLOCKS || pj->backend == POISON_NDCTL;
	}
	if (pj->backend == POISON_EMULATED)
		emulated_remove(pj, p->off);
	known_page(pj, p->off, want);
	if (pwrite(pj->fd, want, POISON_PAGE, (off_t)p->off) != POISON_PAGE) {
		fmt_into(why, len, "rewriting offset %" PRIu64 ": %s", p->off, strerror(errno));
		return -EIO;
	}
	/* through the page cache the write reaches the device (and clears its bad blocks) at writeback */
	int device = pj->backend == POISON_BADBLOCKS || pj->backend == POISON_NDCTL;
	if (device && pj->job->dax != 1 && fdatasync(pj->fd)) {
		fmt_into(why, len, "fdatasync after rewriting offset %" PRIu64 ": %s", p->off, strerror(errno));
		return -errno;
	}
	/* a page-cache page taken by hwpoison leaves a poisoned entry in the mapping: map it anew */
	if (backend_remap(pj, p->off)) {
		fmt_into(why, len, "mapping offset %" PRIu64 " again: %s", p->off, strerror(errno));
		return -errno;
	}
	if (pread(pj->fd, got, POISON_PAGE, (off_t)p->off) != POISON_PAGE) {
		fmt_into(why, len, "reading offset %" PRIu64 " back after the rewrite: %s", p->off, strerror(errno));
		return -EIO;
	}
	p->data_ok = memcmp(want, got, POISON_PAGE) == 0;
	return 0;
}

/* Unpoisons a page-cache frame; the kernel refuses fsdax frames (EIO). 0 or -errno. */
static int unpoison_pfn(uint64_t pfn)
{
	int fd = open(UNPOISON_PFN, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	char s[32];
	int n = snprintf(s, sizeof(s), "%#" PRIx64, pfn);
	int rc = write(fd, s, (size_t)n) == n ? 0 : -errno;
	close(fd);
	return rc;
}

/* The file's page reads without error. */
static int page_readable(const char *path, uint64_t off)
{
	_Alignas(4096) unsigned char buf[POISON_PAGE];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int ok = fd >= 0 && pread(fd, buf, POISON_PAGE, (off_t)off) == POISON_PAGE;
	if (fd >= 0)
		close(fd);
	return ok;
}

int backend_clear_frame(const struct poison_page *p, const char *path, int dax, char *how, size_t len)
{
	int flagged = p->pfn ? pfn_hwpoisoned(p->pfn) : -1;
	if (flagged == 0) {
		fmt_into(how, len, "frame %#" PRIx64 " not marked HWPoison", p->pfn);
		return 0;
	}
	if (flagged < 0 && dax == 1 && page_readable(path, p->off)) {
		/* device frames are not in /proc/kpageflags: the file's page is the check left */
		fmt_into(how, len, "fsdax frame %#" PRIx64 " (not in /proc/kpageflags): the file's page reads back", p->pfn);
		return 0;
	}
	if (flagged < 0) {
		fmt_into(how, len, "frame %#" PRIx64 " unknown or /proc/kpageflags unreadable: cannot check", p->pfn);
		return -ENOENT;
	}
	int rc = unpoison_pfn(p->pfn);
	if (rc == 0 && pfn_hwpoisoned(p->pfn) == 0) {
		fmt_into(how, len, "frame %#" PRIx64 " unpoisoned", p->pfn);
		return 0;
	}
	if (dax == 1 && page_readable(path, p->off)) {
		/* memory_failure marks the fsdax page and unmaps it; the kernel has no unpoison for
		 * device pages, but the block itself is served again */
		fmt_into(how, len, "fsdax frame %#" PRIx64 " keeps its HWPoison mark (the kernel does not unpoison "
			 "device pages: %s); the file's page reads back", p->pfn, rc ? strerror(-rc) : "still marked");
		return 0;
	}
	fmt_into(how, len, "the kernel refused to unpoison frame %#" PRIx64 " (%s)", p->pfn,
		 rc ? strerror(-rc) : "still marked");
	return rc ? rc : -EIO;
}

int backend_clear(struct poison_job *pj, struct poison_page *p, char *why, size_t len)
{
	switch (pj->backend) {
	case POISON_NDCTL:
		pdev_ndctl_inject(&pj->dev, p->sector, 1, why, len);
		/* the driver's list still holds the sectors */
		__attribute__((fallthrough));
	case POISON_BADBLOCKS:
		if (pdev_badblocks_has(&pj->dev, p->sector) == 0)
			return 0;
		if (p->freed)
			return pdev_clear_free_sectors(&pj->dev, pj->fd, p->sector, why, len);
		return backend_rewrite(pj, p, 0, why, len);
	case POISON_HWPOISON:
		return backend_clear_frame(p, pj->job->path, pj->job->dax, why, len);
	case POISON_EMULATED:
		emulated_remove(pj, p->off);
		return 0;
	}
	return -EINVAL;
}
