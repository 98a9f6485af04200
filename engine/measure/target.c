#include "lib/linux_compat.h"
#include "measure/target.h"
#include "measure/devdax.h"
#include "measure/topo.h"
#include "lib/paths.h"
#include "lib/util.h"
#include "measure/verify.h"
#include "lib/cleanup.h"
#include "lib/stop.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>


/* The page-cache target when there is nothing better: one per user (/var/tmp/daxperf-UID), since
 * /var/tmp is shared and a directory another user made there is theirs to swap. */
#define SCRATCH_BASE "/var/tmp/daxperf"

/* Reads /sys/dev/block/M:m/queue/dax (or the parent's, for a partition): 1, 0, or -1 if absent. */
static int device_dax(unsigned maj, unsigned min, char *name, size_t len)
{
	char path[128], link[PATH_MAX];
	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u", maj, min);
	ssize_t n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return -1;
	link[n] = '\0';
	const char *slash = strrchr(link, '/');
	fmt_into(name, len, "%s", slash ? slash + 1 : link);
	/* a partition has no queue/ of its own: its disk's is one up */
	static const char *const tries[] = { "", "/.." };
	for (size_t i = 0; i < 2; i++) {
		char q[192];
		snprintf(q, sizeof(q), "%s%s/queue/dax", path, tries[i]);
		char *v = read_file(q, NULL);
		if (v) {
			int dax = atoi(v) == 1;
			free(v);
			return dax;
		}
	}
	return 0;
}

/* Undoes mountinfo's octal escapes (\040 for a space). */
static void unescape(char *s)
{
	char *w = s;
	for (char *r = s; *r; r++) {
		if (r[0] == '\\' && r[1] >= '0' && r[1] <= '7' && r[2] && r[3]) {
			*w++ = (char)((r[1] - '0') * 64 + (r[2] - '0') * 8 + (r[3] - '0'));
			r += 3;
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
}

struct mount_row {
	unsigned maj, min;
	char mountpoint[PATH_MAX], options[256], fstype[32], source[256], super[256];
};

static int parse_mount_row(char *line, struct mount_row *m)
{
	char root[PATH_MAX];
	if (sscanf(line, "%*u %*u %u:%u %4095s %4095s %255s", &m->maj, &m->min, root, m->mountpoint,
		   m->options) != 5)
		return -1;
	char *sep = strstr(line, " - ");
	if (!sep || sscanf(sep + 3, "%31s %255s %255s", m->fstype, m->source, m->super) < 2)
		return -1;
	unescape(m->mountpoint);
	return 0;
}

/* The nvdimm region above a pmem namespace's block device, and that region's NUMA node: the
 * cross-check of the device's locality that does not go through the block layer. */
static void device_region(unsigned maj, unsigned min, struct fs_info *fs)
{
	char path[96], real[PATH_MAX];
	fs->region[0] = '\0';
	fs->region_numa_node = -1;
	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/device/..", maj, min);
	if (!realpath(path, real) || strncmp(strrchr(real, '/') + 1, "region", 6))
		return;
	snprintf(fs->region, sizeof(fs->region), "%s", strrchr(real, '/') + 1);
	char node[PATH_MAX + 16];
	snprintf(node, sizeof(node), "%s/numa_node", real);
	char *v = read_file(node, NULL);
	if (v)
		fs->region_numa_node = atoi(v);
	free(v);
}

static void fill_fs(const struct mount_row *m, struct fs_info *fs)
{
	snprintf(fs->mountpoint, sizeof(fs->mountpoint), "%s", m->mountpoint);
	snprintf(fs->fstype, sizeof(fs->fstype), "%s", m->fstype);
	/* per-mount options, then the superblock's that are not already there (dax=... lives there) */
	snprintf(fs->options, sizeof(fs->options), "%s", m->options);
	char super[256];
	snprintf(super, sizeof(super), "%s", m->super);
	char *save = NULL;
	for (char *tok = strtok_r(super, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char padded[300], have[520];
		snprintf(padded, sizeof(padded), ",%s,", tok);
		snprintf(have, sizeof(have), ",%s,", fs->options);
		size_t used = strlen(fs->options);
		if (!strstr(have, padded))
			snprintf(fs->options + used, sizeof(fs->options) - used, ",%s", tok);
	}
	snprintf(fs->source, sizeof(fs->source), "%s", m->source);
	fs->device[0] = '\0';
	fs->dax_capable = device_dax(m->maj, m->min, fs->device, sizeof(fs->device));
	fs->numa_node = -1;
	char path[160];
	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/device/numa_node", m->maj, m->min);
	char *v = read_file(path, NULL);
	if (v)
		fs->numa_node = atoi(v);
	free(v);
	fs->numa_node_hwloc = topo_device_node(fs->device);
	device_region(m->maj, m->min, fs);
}

int tgt_fs_info(const char *path, struct fs_info *fs)
{
	struct stat st;
	char real[PATH_MAX];
	if (stat(path, &st) || !realpath(path, real))
		return error("%s: %s", path, strerror(errno));
	FILE *f = fopen("/proc/self/mountinfo", "r");
	if (!f)
		return error("/proc/self/mountinfo: %s", strerror(errno));
	char line[8192];
	size_t best = 0;
	int found = 0;
	struct mount_row m;
	while (fgets(line, sizeof(line), f)) {
		if (parse_mount_row(line, &m) || makedev(m.maj, m.min) != st.st_dev)
			continue;
		size_t n = strlen(m.mountpoint);
		/* of bind mounts of the same device, the one whose mount point holds the path */
		int under = !strncmp(real, m.mountpoint, n) && (real[n] == '/' || real[n] == '\0' || n == 1);
		if (!found || (under && n >= best)) {
			fill_fs(&m, fs);
			best = under ? n : 0;
			found = 1;
		}
	}
	fclose(f);
	if (!found)
		return error("%s: no entry in /proc/self/mountinfo for its device", path);
	return 0;
}

static int dax_mount_usable(const struct mount_row *m)
{
	if (strcmp(m->fstype, "xfs") && strcmp(m->fstype, "ext4") && strcmp(m->fstype, "ext2"))
		return 0;
	if (strstr(m->super, "dax=never") || strstr(m->options, "ro,") == m->options || !strcmp(m->options, "ro"))
		return 0;
	char name[64];
	return device_dax(m->maj, m->min, name, sizeof(name)) == 1 && access(m->mountpoint, W_OK) == 0;
}

/* The first writable xfs / ext4 mount on a DAX-capable device, or "" if none. */
static void find_dax_mount(char *out, size_t len)
{
	out[0] = '\0';
	FILE *f = fopen("/proc/self/mountinfo", "r");
	if (!f)
		return;
	char line[8192];
	struct mount_row m;
	while (fgets(line, sizeof(line), f)) {
		if (parse_mount_row(line, &m) == 0 && dax_mount_usable(&m)) {
			snprintf(out, len, "%s", m.mountpoint);
			break;
		}
	}
	fclose(f);
}

static int check_dir(const char *dir, const char *from)
{
	struct stat st;
	char real[PATH_MAX];
	if (utf8_invalid(dir)) /* the result, JSON, would drop its whole target object */
		return error("%s: the path is not UTF-8 text (results are JSON, whose strings are UTF-8): rename it", from);
	if (stat(dir, &st))
		return error("%s %s: %s", from, dir, strerror(errno));
	if (realpath(dir, real) && !strcmp(real, "/"))
		return error("%s %s: refusing to run in the root directory; give daxperf a directory of its own", from, dir);
	if (!S_ISDIR(st.st_mode))
		return error("%s %s: not a directory", from, dir);
	if (access(dir, W_OK | X_OK))
		return error("%s %s: not writable: %s", from, dir, strerror(errno));
	return 0;
}

/* Makes (or finds) this user's scratch directory and opens it: it must be a real directory, not a
 * symlink, owned by this user and writable by no one else. The descriptor, or -1 after an error. */
static int open_scratch(const char *path)
{
	if (mkdir(path, 0700) && errno != EEXIST)
		return error("%s: %s", path, strerror(errno));
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		struct stat st;
		if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
			return error("scratch directory %s: a symbolic link, not daxperf's directory; refusing it", path);
		return error("scratch directory %s: %s", path, strerror(errno));
	}
	struct stat st;
	if (fstat(fd, &st)) {
		int e = errno;
		close(fd);
		return error("scratch directory %s: %s", path, strerror(e));
	}
	if (st.st_uid != geteuid() || (st.st_mode & 022)) {
		close(fd);
		if (st.st_uid != geteuid())
			return error("scratch directory %s: owned by uid %u, not by this user (uid %u); refusing it", path,
				     (unsigned)st.st_uid, (unsigned)geteuid());
		return error("scratch directory %s: writable by other users (mode %03o); refusing it", path,
			     (unsigned)(st.st_mode & 0777));
	}
	return fd;
}

int tgt_choose(const char *dir_opt, const char *from, struct target *t)
{
	memset(t, 0, sizeof(*t));
	t->dirfd = t->workfd = -1;
	const char *env = getenv("DAXPERF_DIR");
	char found[PATH_MAX];
	int dd = dir_opt ? devdax_target(dir_opt, from, t) : env && *env ? devdax_target(env, "DAXPERF_DIR", t) : 0;
	if (dd)
		return dd > 0 ? 0 : -1;
	if (dir_opt) {
		if (check_dir(dir_opt, from))
			return -1;
		snprintf(t->dir, sizeof(t->dir), "%s", dir_opt);
		char shown[PATH_MAX];
		snprintf(t->why, sizeof(t->why), "%s %s", from, text_visible(dir_opt, shown, sizeof(shown)));
	} else if (env && *env) {
		if (check_dir(env, "DAXPERF_DIR"))
			return -1;
		snprintf(t->dir, sizeof(t->dir), "%s", env);
		snprintf(t->why, sizeof(t->why), "DAXPERF_DIR=%s", env);
	} else if (find_dax_mount(found, sizeof(found)), found[0]) {
		snprintf(t->dir, sizeof(t->dir), "%s", found);
		snprintf(t->why, sizeof(t->why), "first DAX-capable filesystem mounted: %s", found);
	} else {
		snprintf(t->dir, sizeof(t->dir), "%s-%u", SCRATCH_BASE, (unsigned)geteuid());
		if ((t->dirfd = open_scratch(t->dir)) < 0)
			return -1;
		snprintf(t->why, sizeof(t->why), "no DAX filesystem found; running on the page cache in %s", t->dir);
	}
	if (t->dirfd < 0 && (t->dirfd = open(t->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return error("%s: %s", t->dir, strerror(errno));
	return tgt_fs_info(t->dir, &t->fs);
}

int tgt_make_scratch(struct target *t, const char *prefix)
{
	if (t->devdax) /* jobs map the device itself: there is no file to make */
		return 0;
	if (!fmt_into(t->workname, sizeof(t->workname), "%s-%d", prefix, (int)getpid()) ||
	    !fmt_into(t->workdir, sizeof(t->workdir), "%s/%s", t->dir, t->workname))
		return error("%s: path too long", t->dir);
	/* a name that exists already was put there by someone else: never adopted */
	if (mkdirat(t->dirfd, t->workname, 0700))
		return error("%s: cannot create daxperf's directory: %s", t->workdir, strerror(errno));
	char reg[PATH_MAX];
	snprintf(reg, sizeof(reg), "/proc/self/fd/%d/%s", t->dirfd, t->workname);
	cleanup_add(reg); /* removed through the target's descriptor: a symlink put in its place is not followed */
	int fd = openat(t->dirfd, t->workname, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) || !S_ISDIR(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 077)) {
		/* replaced between mkdir and open: what is there now is not ours to remove */
		cleanup_forget(reg);
		if (fd >= 0)
			close(fd);
		return error("%s: replaced by something else as daxperf created it; refusing it", t->workdir);
	}
	t->workfd = fd;
	snprintf(t->workpath, sizeof(t->workpath), "/proc/self/fd/%d", fd);
	return 0;
}

int tgt_make_workdir(struct target *t)
{
	char host[64] = "host", part[64], prefix[96];
	gethostname(host, sizeof(host) - 1);
	snprintf(prefix, sizeof(prefix), "daxperf-%s", path_component(host, part, sizeof(part)));
	return tgt_make_scratch(t, prefix);
}

void tgt_remove_workdir(struct target *t)
{
	if (t->workfd < 0)
		return;
	/* empty subdirectories (dax-on, dax-off) go too; anything with a kept file stays */
	int fd = dup(t->workfd);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *e;
	while (d && (e = readdir(d)))
		if (e->d_type == DT_DIR && strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			unlinkat(t->workfd, e->d_name, AT_REMOVEDIR);
	if (d)
		closedir(d);
	else if (fd >= 0)
		close(fd);
	char reg[PATH_MAX];
	snprintf(reg, sizeof(reg), "/proc/self/fd/%d/%s", t->dirfd, t->workname);
	cleanup_forget(reg);
	/* the name is removed only while it is still the directory daxperf made */
	struct stat mine, there;
	if (fstat(t->workfd, &mine) == 0 && fstatat(t->dirfd, t->workname, &there, AT_SYMLINK_NOFOLLOW) == 0 &&
	    mine.st_dev == there.st_dev && mine.st_ino == there.st_ino) {
		if (unlinkat(t->dirfd, t->workname, AT_REMOVEDIR) && errno == ENOTEMPTY)
			note("kept %s (job files with keep = 1)", t->workdir);
	} else {
		char now[PATH_MAX];
		ssize_t n = readlink(t->workpath, now, sizeof(now) - 1);
		now[n > 0 ? n : 0] = '\0';
		note("%s was moved away during the run (now %s) and something else put in its place; left both as "
		     "they are", t->workdir, now[0] ? now : "unknown");
	}
	close(t->workfd);
	t->workfd = -1;
}

void tgt_show_paths(const struct target *t, char *text, size_t len)
{
	if (!t->workpath[0])
		return;
	char from[80];
	snprintf(from, sizeof(from), "%s/", t->workpath);
	size_t nf = strlen(from);
	char *out = xcalloc(1, len);
	size_t o = 0;
	for (const char *p = text; *p && o + 1 < len;) {
		if (!strncmp(p, from, nf)) {
			o += (size_t)snprintf(out + o, len - o, "%s/", t->workdir);
			if (o >= len)
				o = len - 1;
			p += nf;
		} else {
			out[o++] = *p++;
		}
	}
	out[o < len ? o : len - 1] = '\0';
	memcpy(text, out, len);
	free(out);
}

/* A pattern that is neither zero nor repeating per page, so no layer can treat pages as empty or equal. */
static void fill_pattern(unsigned char *buf, size_t len, uint64_t base)
{
	uint64_t x = base * 0x9E3779B97F4A7C15ull + 1;
	for (size_t i = 0; i + 8 <= len; i += 8) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		memcpy(buf + i, &x, 8);
	}
}

/* Fills a chunk of the file starting at `off`: the plain pattern, or verify blocks of a seed. */
typedef void (*fill_fn)(unsigned char *buf, size_t len, uint64_t off, uint64_t seed);

static void fill_plain(unsigned char *buf, size_t len, uint64_t off, uint64_t seed)
{
	(void)seed;
	fill_pattern(buf, len, off >> 20);
}

static void fill_verify(unsigned char *buf, size_t len, uint64_t off, uint64_t seed)
{
	for (size_t b = 0; b + VERIFY_BLOCK <= len; b += VERIFY_BLOCK)
		verify_fill_block(buf + b, seed, off + b, 0);
}

static int prepare(const char *path, uint64_t size, fill_fn fill, uint64_t seed, char *reason, size_t len);

int tgt_prepare_file(const char *path, uint64_t size, char *reason, size_t len)
{
	struct stat st;
	if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && (uint64_t)st.st_size == size)
		return 0;
	return prepare(path, size, fill_plain, 0, reason, len);
}

int tgt_prepare_verify_file(const char *path, uint64_t size, uint64_t seed, char *reason, size_t len)
{
	return prepare(path, size, fill_verify, seed, reason, len);
}

static int prepare(const char *path, uint64_t size, fill_fn fill, uint64_t seed, char *reason, size_t len)
{
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		int e = errno;
		fmt_into(reason, len, "%s: cannot create: %s", path, strerror(e));
		return -e;
	}
	struct statvfs vfs;
	if (fstatvfs(fd, &vfs) == 0 && (uint64_t)vfs.f_bavail * vfs.f_frsize < size) {
		fmt_into(reason, len, "%s: needs %llu bytes, the filesystem has %llu free", path,
			 (unsigned long long)size, (unsigned long long)vfs.f_bavail * vfs.f_frsize);
		close(fd);
		unlink(path);
		return -ENOSPC;
	}
	/* one allocation for the whole file first: XFS aligns an allocation of a stripe unit or more to the
	 * stripe unit (mkfs -d su=2m), so the blocks start on a 2 MiB boundary of the device and a 2 MiB
	 * mapping can be a PMD; 1 MiB writes alone allocate piecewise, and the kernel falls back to 4 KiB
	 * faults where a file's first 2 MiB are not 2 MiB aligned on the device. DAX files only: a
	 * page-cache file laid out so (XFS, 6.1) refused MADV_HWPOISON on its dirty pages with EBUSY,
	 * and its pages are no PMDs anyway. Best effort: a filesystem without fallocate is filled all
	 * the same. */
	if (size >= 2u << 20 && tgt_dax_effective(path) == 1)
		(void)fallocate(fd, 0, 0, (off_t)size);
	enum { CHUNK = 1 << 20 };
	unsigned char *buf = xcalloc(1, CHUNK);
	int rc = 0;
	/* checked per MiB: a signal stops a 1 GiB fill within milliseconds, not seconds */
	for (uint64_t off = 0; off < size && !rc; off += CHUNK) {
		if (atomic_load_explicit(&engine_stop, memory_order_relaxed)) {
			rc = -EINTR;
			break;
		}
		size_t n = size - off < CHUNK ? (size_t)(size - off) : CHUNK;
		fill(buf, n, off, seed);
		ssize_t w = pwrite(fd, buf, n, (off_t)off);
		if (w != (ssize_t)n)
			rc = w < 0 ? -errno : -ENOSPC;
	}
	if (!rc && fsync(fd))
		rc = -errno;
	free(buf);
	close(fd);
	if (rc) {
		if (rc == -ENOSPC)
			fmt_into(reason, len, "%s: filesystem full while writing %llu bytes", path, (unsigned long long)size);
		else if (rc == -EINTR)
			fmt_into(reason, len, "interrupted while its file was written, before it ran");
		else
			fmt_into(reason, len, "%s: write: %s", path, strerror(-rc));
		unlink(path);
	}
	return rc;
}

int tgt_dax_effective(const char *path)
{
	struct statx stx;
	if (statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &stx))
		return -errno;
	if (!(stx.stx_attributes_mask & STATX_ATTR_DAX))
		return -EOPNOTSUPP; /* kernels before 5.8 cannot say */
	return (stx.stx_attributes & STATX_ATTR_DAX) != 0;
}
