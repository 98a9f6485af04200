/*
 * The target: the directory jobs run in, what filesystem and device it is on, whether that device
 * can do DAX, and the daxperf-owned subdirectory that holds every job file. Nothing outside that
 * subdirectory is created or removed.
 */
#ifndef DAXPERF_TARGET_H
#define DAXPERF_TARGET_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

struct fs_info {
	char mountpoint[PATH_MAX];
	char fstype[32];
	char options[512];   /* per-mount and superblock options, joined */
	char source[256];    /* what /proc/self/mountinfo says is mounted */
	char device[64];     /* kernel block device name, e.g. pmem0, loop3; empty if none */
	int dax_capable;     /* 1 / 0: /sys/dev/block/M:m/queue/dax; -1: no block device */
	int numa_node;       /* the device's NUMA node from sysfs; -1 when it has none */
	int numa_node_hwloc; /* the same by hwloc's I/O objects; -1 when hwloc does not place it */
	char region[32];     /* the nvdimm region the device belongs to (region0), or empty */
	int region_numa_node; /* /sys/bus/nd/devices/regionN/numa_node, or -1 */
};

/*
 * Root-safe: another user who can write to the target (a 0777 /mnt/pmem) can rename daxperf's
 * subdirectory away during a run and put a symlink in its place. So the target and the subdirectory
 * are opened once (the subdirectory with O_NOFOLLOW, checked to be ours), and every job file, helper
 * file and directory inside is reached through `workpath`, /proc/self/fd/N of that descriptor, which
 * no rename can redirect. `workdir` is the name shown to the user and written in results.
 */
struct target {
	char dir[PATH_MAX];     /* the directory chosen */
	char why[PATH_MAX + 128]; /* how it was chosen, for the user */
	char workdir[PATH_MAX]; /* daxperf's own subdirectory, created by tgt_make_workdir (as named) */
	char workpath[64];      /* the same through its descriptor: /proc/self/fd/N; every operation uses it */
	char workname[128];     /* its name inside dir */
	int dirfd, workfd;      /* the target and the subdirectory, -1 when not open */
	struct fs_info fs;
	/* a device DAX (dir is /dev/daxX.Y): jobs map the device itself, in units of its alignment */
	int devdax;
	uint64_t devdax_size, devdax_align;
};

/* Picks the target: dir_opt, else $DAXPERF_DIR, else a DAX filesystem, else the page-cache scratch dir.
 * dir_opt or $DAXPERF_DIR may be a device DAX (/dev/daxX.Y): then t->devdax is set and there is no
 * directory, no work directory and no file to make.
 * from names where dir_opt came from in messages ("--dir", "info"). */
int tgt_choose(const char *dir_opt, const char *from, struct target *t);
/* Fills fs for the filesystem holding path; 0 or -1 after an error message. */
int tgt_fs_info(const char *path, struct fs_info *fs);
/* Creates daxperf-HOST-PID in the target (mode 0700), opens it with O_NOFOLLOW and checks it is a
 * directory of this user; 0 or -1 after an error. */
int tgt_make_workdir(struct target *t);
/* The same for another name prefix (info's scratch directory: PREFIX-PID). */
int tgt_make_scratch(struct target *t, const char *prefix);
/* Removes the subdirectory's empty subdirectories and itself if empty (kept job files keep it),
 * through the descriptors: only the directory daxperf made, never what a rename put in its place. */
void tgt_remove_workdir(struct target *t);
/* Rewrites /proc/self/fd/N/ in text (a reason naming a file) as the work directory's name. */
void tgt_show_paths(const struct target *t, char *text, size_t len);

/* Creates path with size bytes of a fixed pattern (reused when it already has that size).
 * 0, or -errno with reason filled (naming the path and, for ENOSPC, the space needed); -EINTR when
 * the stop flag was raised while it was written (the file is removed). */
int tgt_prepare_file(const char *path, uint64_t size, char *reason, size_t len);
/* The same, filled with generation-0 verify blocks of `seed` (always written anew). */
int tgt_prepare_verify_file(const char *path, uint64_t size, uint64_t seed, char *reason, size_t len);
/* 1 when statx reports STATX_ATTR_DAX, 0 when not, -errno when statx fails. */
int tgt_dax_effective(const char *path);

#endif
