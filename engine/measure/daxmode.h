/*
 * Per-inode DAX: setting FS_XFLAG_DAX on directories and files, telling why a requested mode did not
 * take effect, and timing a flag change on an existing file (it applies only once the inode is evicted,
 * i.e. after the last close and munmap).
 */
#ifndef DAXPERF_DAXMODE_H
#define DAXPERF_DAXMODE_H

#include <stddef.h>
#include <stdint.h>
#include "measure/target.h"

enum dax_request { DAX_ANY, DAX_ON, DAX_OFF };

/* Sets or clears FS_XFLAG_DAX on an open file or directory; 0 or -errno. */
int dax_set_flag_fd(int fd, int on);
/* Creates dir (if missing) carrying the flag when on, without it when off; 0 or -errno (reason filled). */
int dax_make_dir(const char *dir, int on, const struct fs_info *fs, char *reason, size_t len);
/* Why a file in a directory set for `want` has the other mode: the device, the mount, the filesystem. */
void dax_mismatch_reason(const struct fs_info *fs, int want, char *reason, size_t len);
/* The dax= mount mode from the mount options: "always", "never", "inode" (also the default). */
const char *dax_mount_mode(const struct fs_info *fs);

struct dax_toggle {
	int before;              /* statx DAX state before the flag changed */
	int while_open;          /* state right after the change, file still open and mapped */
	int after_close;         /* state after the last close and munmap */
	uint64_t after_close_ns; /* from the close until statx showed the new state */
	unsigned polls;          /* statx calls it took */
	int effective;           /* the new state was reached */
};

/* Flips the file's flag to `want` while it is open and mapped, then closes and polls statx until the
 * mode changes (up to 2 s); 0, or -errno with reason filled. */
int dax_toggle_measure(const char *path, int want, struct dax_toggle *t, char *reason, size_t len);

#endif
