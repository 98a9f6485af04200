#include "workloads/fsops.h"
#include "lib/util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/fiemap.h>
#include <linux/fs.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/vfs.h>
#include <unistd.h>

const char *fs_name(int fd)
{
	struct statfs s;
	if (fstatfs(fd, &s))
		return "this filesystem";
	switch ((unsigned long)s.f_type) {
	case 0x58465342: return "xfs";
	case 0xEF53: return "ext4";
	case 0x01021994: return "tmpfs";
	case 0x9123683E: return "btrfs";
	default: return "this filesystem";
	}
}

long fs_extent_count(int fd)
{
	struct fiemap fm = { .fm_start = 0, .fm_length = FIEMAP_MAX_OFFSET, .fm_extent_count = 0 };
	if (ioctl(fd, FS_IOC_FIEMAP, &fm))
		return -errno;
	return (long)fm.fm_mapped_extents;
}

int fs_fragment(int fd, uint64_t size, unsigned n)
{
	char buf[4096];
	for (unsigned i = 1; i <= n; i++) {
		off_t off = (off_t)(size / (n + 1) * i / 4096 * 4096);
		if (pread(fd, buf, sizeof(buf), off) != (ssize_t)sizeof(buf))
			return -EIO;
		/* a punched block written again gets new space: the extent splits around it */
		if (fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, off, sizeof(buf)))
			return -errno;
		if (pwrite(fd, buf, sizeof(buf), off) != (ssize_t)sizeof(buf))
			return -errno;
	}
	return fsync(fd) ? -errno : 0;
}

int fs_copy_plain(int src, const char *dst, uint64_t size)
{
	int fd = open(dst, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	enum { CHUNK = 1 << 20 };
	char *buf = xcalloc(1, CHUNK);
	int rc = 0;
	for (uint64_t off = 0; off < size && !rc; off += CHUNK) {
		size_t n = size - off < CHUNK ? (size_t)(size - off) : CHUNK;
		if (pread(src, buf, n, (off_t)off) != (ssize_t)n || pwrite(fd, buf, n, (off_t)off) != (ssize_t)n)
			rc = errno ? -errno : -EIO;
	}
	if (!rc && fsync(fd))
		rc = -errno;
	free(buf);
	close(fd);
	return rc;
}
