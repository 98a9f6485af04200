/* The block device under a job file, for the poison backends that work in device sectors:
 * FIEMAP for a file offset's sector, the driver's badblocks list, ndctl error injection, and
 * clearing sectors that are no longer any file's (GETFSMAP says free) through the device. */
#ifndef DAXPERF_POISON_DEV_H
#define DAXPERF_POISON_DEV_H

#include <stddef.h>
#include <stdint.h>

struct poison_dev;

/* Finds the whole disk under path and its badblocks list; -ENODEV with why when there is none. */
int pdev_find(const char *path, struct poison_dev *d, char *why, size_t len);
/* The whole-disk 512-byte sector holding file offset off (a written, unshared block); 0 or -errno. */
int pdev_sector_of(int fd, uint64_t off, const struct poison_dev *d, uint64_t *sector, char *why, size_t len);
int pdev_badblocks_add(const struct poison_dev *d, uint64_t sector, char *why, size_t len);
/* 1 when any of the 8 sectors from `sector` is listed, 0 when none, -1 when the list is unreadable. */
int pdev_badblocks_has(const struct poison_dev *d, uint64_t sector);
/* Fills d->ns with the nvdimm namespace behind d->disk as ndctl names it (namespace1.0, also for an
 * fsdax disk, whose device is pfn1.0); empty when the disk is no namespace. */
void pdev_namespace(struct poison_dev *d);
/* ndctl: can this namespace inject? 0, or -EOPNOTSUPP with ndctl's own words. */
int pdev_ndctl_probe(const struct poison_dev *d, char *why, size_t len);
int pdev_ndctl_inject(const struct poison_dev *d, uint64_t sector, int uninject, char *why, size_t len);
/* Waits for the scrubs in progress on every nvdimm bus to end (a scrub lists again what it found
 * when it started, after any clearing meanwhile); 0 or -EOPNOTSUPP with ndctl's words. */
int pdev_ndctl_wait_scrub(char *why, size_t len);
/* Writes zeros over 8 sectors through the device, only when the filesystem (queried through fs_fd)
 * reports them free space; the driver clears bad blocks it writes. 0 or -errno. */
int pdev_clear_free_sectors(const struct poison_dev *d, int fs_fd, uint64_t sector, char *why, size_t len);

#endif
