#include "poison/poison.h"
#include "poison/poison_dev.h"
#include "lib/util.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <limits.h>
#include <linux/fiemap.h>
#include <linux/fs.h>
#include <linux/fsmap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define SECTORS_PER_PAGE (POISON_PAGE / 512)

static int read_u64(const char *path, uint64_t *v)
{
	size_t n;
	char *s = read_file(path, &n);
	if (!s)
		return -1;
	*v = strtoull(s, NULL, 10);
	free(s);
	return 0;
}

/* A raw namespace is the disk's device; an fsdax (pfn), devdax or sector (btt) disk hangs off a
 * device of its own (pfn1.0) whose `namespace` attribute names the namespace it claims. */
void pdev_namespace(struct poison_dev *d)
{
	char link[PATH_MAX + 32], target[PATH_MAX];
	snprintf(link, sizeof(link), "/sys/block/%s/device", d->disk);
	ssize_t n = readlink(link, target, sizeof(target) - 1);
	d->ns[0] = '\0';
	if (n <= 0)
		return;
	target[n] = '\0';
	snprintf(d->ns, sizeof(d->ns), "%s", basename(target));
	char attr[PATH_MAX + 48];
	snprintf(attr, sizeof(attr), "/sys/block/%s/device/namespace", d->disk);
	size_t len;
	char *claimed = read_file(attr, &len);
	if (claimed) {
		claimed[strcspn(claimed, "\n")] = '\0';
		if (claimed[0])
			snprintf(d->ns, sizeof(d->ns), "%s", claimed);
		free(claimed);
	}
}

/* The disk behind a filesystem's device number. */
static int find_dev(dev_t dev, const char *path, struct poison_dev *d, char *why, size_t len)
{
	struct stat st = { .st_dev = dev };
	char sys[64], real[PATH_MAX];
	snprintf(sys, sizeof(sys), "/sys/dev/block/%u:%u", major(st.st_dev), minor(st.st_dev));
	if (!realpath(sys, real)) {
		fmt_into(why, len, "the filesystem of %s has no block device, so no bad blocks to inject", path);
		return -ENODEV;
	}
	char part[PATH_MAX + 16];
	snprintf(part, sizeof(part), "%s/partition", real);
	d->part_start = 0;
	if (access(part, F_OK) == 0) {
		snprintf(part, sizeof(part), "%s/start", real);
		if (read_u64(part, &d->part_start)) {
			fmt_into(why, len, "cannot read the partition start %s", part);
			return -EIO;
		}
		*strrchr(real, '/') = '\0';
	}
	snprintf(d->disk, sizeof(d->disk), "%s", strrchr(real, '/') + 1);
	snprintf(d->dev_path, sizeof(d->dev_path), "/dev/%s", d->disk);
	snprintf(d->badblocks, sizeof(d->badblocks), "/sys/block/%s/badblocks", d->disk);
	if (access(d->badblocks, W_OK)) {
		if (errno == ENOENT)
			fmt_into(why, len, "%s has no badblocks list: only pmem devices keep a bad block list", d->disk);
		else
			fmt_into(why, len, "%s: %s (root only)", d->badblocks, strerror(errno));
		return -ENODEV;
	}
	pdev_namespace(d);
	return 0;
}

int pdev_find(const char *path, struct poison_dev *d, char *why, size_t len)
{
	struct stat st;
	if (stat(path, &st)) {
		fmt_into(why, len, "%s: %s", path, strerror(errno));
		return -errno;
	}
	return find_dev(st.st_dev, path, d, why, len);
}

int pdev_sector_of(int fd, uint64_t off, const struct poison_dev *d, uint64_t *sector, char *why, size_t len)
{
	union {
		struct fiemap f;
		char space[sizeof(struct fiemap) + sizeof(struct fiemap_extent)];
	} u;
	memset(&u, 0, sizeof(u));
	u.f.fm_start = off;
	u.f.fm_length = POISON_PAGE;
	u.f.fm_flags = FIEMAP_FLAG_SYNC;
	u.f.fm_extent_count = 1;
	if (ioctl(fd, FS_IOC_FIEMAP, &u.f)) {
		fmt_into(why, len, "FIEMAP at offset %" PRIu64 ": %s", off, strerror(errno));
		return -errno;
	}
	const struct fiemap_extent *e = &u.f.fm_extents[0];
	const uint32_t unusable = FIEMAP_EXTENT_UNKNOWN | FIEMAP_EXTENT_DELALLOC | FIEMAP_EXTENT_ENCODED |
				  FIEMAP_EXTENT_NOT_ALIGNED | FIEMAP_EXTENT_DATA_INLINE | FIEMAP_EXTENT_UNWRITTEN;
	if (!u.f.fm_mapped_extents || e->fe_logical > off || e->fe_logical + e->fe_length < off + POISON_PAGE) {
		fmt_into(why, len, "offset %" PRIu64 " of the job file has no block of its own (a hole)", off);
		return -ENXIO;
	}
	if (e->fe_flags & unusable) {
		fmt_into(why, len, "offset %" PRIu64 " is not a plain written block (FIEMAP flags %#x)", off, e->fe_flags);
		return -EINVAL;
	}
	/* a shared block is also another file's: poisoning it would reach outside the job */
	if (e->fe_flags & FIEMAP_EXTENT_SHARED) {
		fmt_into(why, len, "offset %" PRIu64 " is a block shared with another file (reflink): refused", off);
		return -EPERM;
	}
	uint64_t phys = e->fe_physical + (off - e->fe_logical);
	*sector = phys / 512 + d->part_start;
	return 0;
}

int pdev_badblocks_add(const struct poison_dev *d, uint64_t sector, char *why, size_t len)
{
	char line[64];
	int n = snprintf(line, sizeof(line), "%" PRIu64 " %u\n", sector, SECTORS_PER_PAGE);
	int fd = open(d->badblocks, O_WRONLY | O_CLOEXEC);
	int rc = fd < 0 ? -errno : write(fd, line, (size_t)n) == n ? 0 : -errno;
	if (fd >= 0)
		close(fd);
	if (rc)
		fmt_into(why, len, "adding sector %" PRIu64 " to %s: %s", sector, d->badblocks, strerror(-rc));
	return rc;
}

int pdev_badblocks_has(const struct poison_dev *d, uint64_t sector)
{
	FILE *f = fopen(d->badblocks, "re");
	if (!f)
		return -1;
	unsigned long long s, n;
	int found = 0;
	while (!found && fscanf(f, "%llu %llu", &s, &n) == 2)
		found = s < sector + SECTORS_PER_PAGE && sector < s + n;
	fclose(f);
	return found;
}

static int plain_name(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '.' || *s == '_' || *s == '-'))
			return 0;
	return 1;
}

/* Runs an ndctl command line; 0 or -EOPNOTSUPP with ndctl's first line of output in why. */
static int run_ndctl(const char *args, char *why, size_t len)
{
	char cmd[256], out[256] = "";
	snprintf(cmd, sizeof(cmd), "ndctl %s 2>&1", args);
	FILE *p = popen(cmd, "re");
	if (!p) {
		fmt_into(why, len, "running ndctl: %s", strerror(errno));
		return -errno;
	}
	if (!fgets(out, sizeof(out), p))
		out[0] = '\0';
	while (fgetc(p) != EOF)
		;
	int st = pclose(p);
	if (st == 0)
		return 0;
	out[strcspn(out, "\n")] = '\0';
	if (WIFEXITED(st) && WEXITSTATUS(st) == 127)
		fmt_into(why, len, "ndctl is not installed (apt-get install ndctl)");
	else
		fmt_into(why, len, "ndctl %s: %s", args, out[0] ? out : "failed");
	return -EOPNOTSUPP;
}

int pdev_ndctl_probe(const struct poison_dev *d, char *why, size_t len)
{
	if (!plain_name(d->ns)) {
		fmt_into(why, len, "%s is not an nvdimm namespace (no ndctl error injection)", d->disk);
		return -EOPNOTSUPP;
	}
	char args[128];
	snprintf(args, sizeof(args), "inject-error --status %s", d->ns);
	return run_ndctl(args, why, len);
}

int pdev_ndctl_inject(const struct poison_dev *d, uint64_t sector, int uninject, char *why, size_t len)
{
	if (!plain_name(d->ns))
		return -EINVAL;
	char args[192];
	/* --block counts 512-byte blocks from the start of what the namespace shows (for fsdax: after
	 * its metadata), which is sector 0 of the whole pmem disk: the sector as it is, partition
	 * included (the kernel's badblocks and `ndctl list --media-errors` count the same way) */
	snprintf(args, sizeof(args), "inject-error --block=%" PRIu64 " --count=%u%s %s", sector,
		 SECTORS_PER_PAGE, uninject ? " --uninject" : "", d->ns);
	return run_ndctl(args, why, len);
}

int pdev_ndctl_wait_scrub(char *why, size_t len)
{
	return run_ndctl("wait-scrub", why, len);
}

/* True when GETFSMAP reports every byte of [phys, phys + len) as free space. The low key of a
 * GETFSMAP call is the last record already seen (records before it are skipped, even when they
 * overlap), so the walk starts at 0 and goes on from the last record, as xfs_io's fsmap does. */
static int fs_range_free(int fs_fd, uint64_t phys, uint64_t len, char *why, size_t wlen)
{
	enum { RECS = 128 };
	struct fsmap_head *h = xcalloc(1, sizeof(*h) + RECS * sizeof(struct fsmap));
	h->fmh_keys[1].fmr_device = UINT32_MAX;
	h->fmh_keys[1].fmr_physical = phys + len - 1;
	h->fmh_keys[1].fmr_owner = UINT64_MAX;
	h->fmh_keys[1].fmr_offset = UINT64_MAX;
	h->fmh_keys[1].fmr_flags = UINT32_MAX;
	uint64_t covered = phys;
	int busy = 0, done = 0;
	while (!busy && !done) {
		h->fmh_count = RECS;
		if (ioctl(fs_fd, FS_IOC_GETFSMAP, h)) {
			fmt_into(why, wlen, "GETFSMAP: %s", strerror(errno));
			busy = 1;
			break;
		}
		for (unsigned i = 0; i < h->fmh_entries && !busy && covered < phys + len; i++) {
			const struct fsmap *r = &h->fmh_recs[i];
			if (r->fmr_physical + r->fmr_length <= covered || r->fmr_physical > covered)
				continue; /* before the range, or after a gap in it */
			if (r->fmr_owner != FMR_OWN_FREE) {
				fmt_into(why, wlen, "the sectors are in use again (owner %#llx)", (unsigned long long)r->fmr_owner);
				busy = 1;
			} else {
				covered = r->fmr_physical + r->fmr_length;
			}
		}
		done = !h->fmh_entries || (h->fmh_recs[h->fmh_entries - 1].fmr_flags & FMR_OF_LAST) ||
		       covered >= phys + len;
		if (h->fmh_entries)
			h->fmh_keys[0] = h->fmh_recs[h->fmh_entries - 1];
	}
	free(h);
	int free_all = !busy && covered >= phys + len;
	if (!free_all && !why[0])
		fmt_into(why, wlen, "GETFSMAP does not show the sectors as free space");
	return free_all;
}

int pdev_clear_free_sectors(const struct poison_dev *d, int fs_fd, uint64_t sector, char *why, size_t len)
{
	char reason[160] = "";
	uint64_t phys = (sector - d->part_start) * 512;
	struct stat st;
	struct poison_dev on = { 0 };
	if (fstat(fs_fd, &st) || find_dev(st.st_dev, "the filesystem", &on, reason, sizeof(reason)) ||
	    strcmp(on.disk, d->disk) || on.part_start != d->part_start) {
		fmt_into(why, len, "sectors %" PRIu64 "+8 of %s: the filesystem that held them is not mounted where it was", sector,
			 d->disk);
		return -ENODEV;
	}
	/* ext4 counts blocks freed in an uncommitted transaction as used: commit first */
	syncfs(fs_fd);
	if (!fs_range_free(fs_fd, phys, POISON_PAGE, reason, sizeof(reason))) {
		fmt_into(why, len, "sectors %" PRIu64 "+8 of %s left the job file and %s: not written", sector,
			 d->disk, reason);
		return -EBUSY;
	}
	int fd = open(d->dev_path, O_RDWR | O_DIRECT | O_CLOEXEC);
	if (fd < 0) {
		fmt_into(why, len, "opening %s to clear free sectors: %s", d->dev_path, strerror(errno));
		return -errno;
	}
	void *zero = NULL;
	int rc = posix_memalign(&zero, POISON_PAGE, POISON_PAGE) ? -ENOMEM : 0;
	if (!rc) {
		memset(zero, 0, POISON_PAGE);
		rc = pwrite(fd, zero, POISON_PAGE, (off_t)(sector * 512)) == POISON_PAGE ? 0 : -errno;
	}
	free(zero);
	close(fd);
	if (rc)
		fmt_into(why, len, "writing free sectors %" PRIu64 "+8 of %s: %s", sector, d->dev_path, strerror(-rc));
	return rc;
}
