#include "lib/linux_compat.h"
#include "lib/cleanup.h"
#include "measure/daxmode.h"
#include "measure/timer.h"
#include "lib/util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>


int dax_set_flag_fd(int fd, int on)
{
	struct fsxattr fa;
	if (ioctl(fd, FS_IOC_FSGETXATTR, &fa))
		return -errno;
	fa.fsx_xflags = on ? fa.fsx_xflags | FS_XFLAG_DAX : fa.fsx_xflags & ~(unsigned)FS_XFLAG_DAX;
	return ioctl(fd, FS_IOC_FSSETXATTR, &fa) ? -errno : 0;
}

const char *dax_mount_mode(const struct fs_info *fs)
{
	char padded[sizeof(fs->options) + 2];
	snprintf(padded, sizeof(padded), ",%s,", fs->options);
	if (strstr(padded, ",dax=always,") || strstr(padded, ",dax,"))
		return "always";
	if (strstr(padded, ",dax=never,"))
		return "never";
	return "inode";
}

int dax_make_dir(const char *dir, int on, const struct fs_info *fs, char *reason, size_t len)
{
	if (mkdir(dir, 0700) == 0)
		cleanup_add(dir);
	else if (errno != EEXIST) {
		int e = errno;
		fmt_into(reason, len, "%s: cannot create: %s", dir, strerror(e));
		return -e;
	}
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	if (fd < 0) {
		int e = errno;
		fmt_into(reason, len, "%s: %s", dir, strerror(e));
		return -e;
	}
	int rc = dax_set_flag_fd(fd, on);
	close(fd);
	if (rc == -EOPNOTSUPP || rc == -ENOTTY || rc == -EINVAL) {
		/* clearing a flag that cannot be set is no error: the directory is page cache anyway */
		if (!on)
			return 0;
		fmt_into(reason, len, "%s does not support FS_XFLAG_DAX (%s)", fs->fstype, strerror(-rc));
		return rc;
	}
	if (rc)
		fmt_into(reason, len, "%s: setting FS_XFLAG_DAX: %s", dir, strerror(-rc));
	return rc;
}

void dax_mismatch_reason(const struct fs_info *fs, int want, char *reason, size_t len)
{
	const char *mode = dax_mount_mode(fs);
	if (want == DAX_ON && fs->dax_capable != 1)
		fmt_into(reason, len, "device is not DAX capable (%s)", fs->device[0] ? fs->device : fs->source);
	else if (want == DAX_ON && !strcmp(mode, "never"))
		fmt_into(reason, len, "mounted dax=never");
	else if (want == DAX_OFF && !strcmp(mode, "always"))
		fmt_into(reason, len, "dax=always mount: page cache mode impossible");
	else
		fmt_into(reason, len, "asked for DAX %s, statx reports it %s (%s, mounted dax=%s)", want == DAX_ON ? "on" : "off",
			 want == DAX_ON ? "off" : "on", fs->fstype, mode);
}

static int statx_dax(const char *path)
{
	return tgt_dax_effective(path);
}

int dax_toggle_measure(const char *path, int want, struct dax_toggle *t, char *reason, size_t len)
{
	memset(t, 0, sizeof(*t));
	t->before = statx_dax(path);
	int fd = open(path, O_RDWR);
	if (fd < 0) {
		int e = errno;
		fmt_into(reason, len, "%s: %s", path, strerror(e));
		return -e;
	}
	void *map = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	int rc = dax_set_flag_fd(fd, want == DAX_ON);
	if (rc) {
		fmt_into(reason, len, "dax_toggle: setting FS_XFLAG_DAX on %s: %s", path, strerror(-rc));
	} else {
		(void)*(volatile char *)map;
		t->while_open = statx_dax(path);
	}
	if (map != MAP_FAILED)
		munmap(map, 4096);
	close(fd);
	if (rc)
		return rc;
	/* the inode is marked "don't cache": it is re-read, in the new mode, once nothing holds it */
	uint64_t t0 = mono_ns();
	int target = want == DAX_ON;
	do {
		t->after_close = statx_dax(path);
		t->polls++;
		if (t->after_close == target)
			break;
		struct timespec ts = { 0, 1000000 };
		nanosleep(&ts, NULL);
	} while (mono_ns() - t0 < 2000000000ull);
	t->after_close_ns = mono_ns() - t0;
	t->effective = t->after_close == target;
	return 0;
}
