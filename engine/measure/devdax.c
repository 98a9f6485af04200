#include "measure/devdax.h"
#include "measure/target.h"
#include "lib/util.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

/* A number from a sysfs file of the device, or -1 when it has none. */
static long long sysfs_number(const char *dir, const char *name)
{
	char path[PATH_MAX];
	if (!fmt_into(path, sizeof(path), "%s/%s", dir, name))
		return -1;
	char *v = read_file(path, NULL);
	if (!v)
		return -1;
	char *end;
	long long n = strtoll(v, &end, 0);
	int ok = end != v;
	free(v);
	return ok ? n : -1;
}

int devdax_target(const char *path, const char *from, struct target *t)
{
	struct stat st;
	if (stat(path, &st) || !S_ISCHR(st.st_mode))
		return 0;
	char sys[64], real[PATH_MAX];
	snprintf(sys, sizeof(sys), "/sys/dev/char/%u:%u", major(st.st_rdev), minor(st.st_rdev));
	if (!realpath(sys, real) || !strstr(real, "/dax"))
		return error("%s %s: a character device, but no device DAX (not in /sys/bus/dax)", from, path);
	const char *name = strrchr(real, '/') + 1;
	char dev[PATH_MAX];
	/* bound to kmem (system-ram mode) the device is memory of a NUMA node: nothing to map */
	fmt_into(dev, sizeof(dev), "%s/driver", real);
	char drv[PATH_MAX];
	ssize_t n = readlink(dev, drv, sizeof(drv) - 1);
	drv[n > 0 ? n : 0] = '\0';
	if (n <= 0 || strcmp(strrchr(drv, '/') ? strrchr(drv, '/') + 1 : drv, "device_dax"))
		return error("%s %s: device DAX %s is not bound to device_dax (%s): onlined as memory, it has nothing to map",
			     from, path, name, n > 0 ? drv : "no driver");
	if (access(path, R_OK | W_OK))
		return error("%s %s: %s", from, path, strerror(errno));
	long long size = sysfs_number(real, "size"), align = sysfs_number(real, "align");
	if (align <= 0) /* kernels before 5.10 have the alignment on the region only */
		align = sysfs_number(real, "../dax_region/align");
	if (size <= 0 || align <= 0)
		return error("%s %s: cannot read the size and alignment of %s from %s", from, path, name, real);
	t->devdax = 1;
	t->devdax_size = (uint64_t)size;
	t->devdax_align = (uint64_t)align;
	snprintf(t->dir, sizeof(t->dir), "%s", path);
	char shown[PATH_MAX];
	fmt_into(t->why, sizeof(t->why), "%s %s (device DAX, %lld bytes, align %lld)", from,
		 text_visible(path, shown, sizeof(shown)), size, align);
	struct fs_info *fs = &t->fs;
	memset(fs, 0, sizeof(*fs));
	snprintf(fs->fstype, sizeof(fs->fstype), "devdax");
	fmt_into(fs->device, sizeof(fs->device), "%s", name);
	fmt_into(fs->source, sizeof(fs->source), "%s", path);
	fs->dax_capable = 1;
	long long node = sysfs_number(real, "numa_node");
	fs->numa_node = node >= 0 ? (int)node : -1;
	fs->numa_node_hwloc = -1;
	fs->region_numa_node = -1;
	return 1;
}
