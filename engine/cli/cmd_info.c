/*
 * `daxperf info [DIR] [--json]`: what a directory can do, each answer found by trying it on tiny
 * files in a scratch subdirectory (removed afterwards), each "no" with its reason.
 */
#include "lib/linux_compat.h"
#include "cli/commands.h"
#include "poison/poison.h"
#include "poison/poison_dev.h"
#include "measure/daxmode.h"
#include "measure/host.h"
#include "measure/target.h"
#include "measure/topo.h"
#include "lib/util.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* One answer: yes / no (or a value), and the reason behind a no. */
struct answer {
	const char *key, *label;
	int yes;
	char value[128];
	char why[256];
};

static int make_file(const char *path, char fill)
{
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	char buf[4096];
	memset(buf, fill, sizeof(buf));
	int rc = pwrite(fd, buf, sizeof(buf), 0) == (ssize_t)sizeof(buf) && fsync(fd) == 0 ? 0 : -errno;
	close(fd);
	return rc;
}

static void probe_reflink(const char *scratch, const struct fs_info *fs, struct answer *clone, struct answer *dedupe)
{
	char src[PATH_MAX + 32], dst[PATH_MAX + 32];
	snprintf(src, sizeof(src), "%s/src", scratch);
	snprintf(dst, sizeof(dst), "%s/dst", scratch);
	int rc = make_file(src, 'a');
	if (!rc)
		rc = make_file(dst, 'a');
	int s = open(src, O_RDONLY), d = open(dst, O_RDWR);
	if (rc || s < 0 || d < 0) {
		fmt_into(clone->why, sizeof(clone->why), "cannot make probe files: %s", strerror(rc ? -rc : errno));
		snprintf(dedupe->why, sizeof(dedupe->why), "%s", clone->why);
	} else {
		clone->yes = ioctl(d, FICLONE, s) == 0;
		if (!clone->yes)
			fmt_into(clone->why, sizeof(clone->why), "%s has no FICLONE: %s", fs->fstype, strerror(errno));
		struct {
			struct file_dedupe_range r;
			struct file_dedupe_range_info info;
		} req = { .r = { .src_offset = 0, .src_length = 4096, .dest_count = 1 }, .info = { .dest_fd = d } };
		make_file(dst, 'a'); /* unshared again, identical content */
		if (ioctl(s, FIDEDUPERANGE, &req) == 0 && req.info.status == FILE_DEDUPE_RANGE_SAME)
			dedupe->yes = 1;
		else
			fmt_into(dedupe->why, sizeof(dedupe->why), "%s has no FIDEDUPERANGE: %s", fs->fstype,
				 strerror(req.info.status < 0 ? -req.info.status : errno));
	}
	if (s >= 0)
		close(s);
	if (d >= 0)
		close(d);
	unlink(src);
	unlink(dst);
}

static void probe_dax(const char *scratch, const struct fs_info *fs, struct answer *flag, struct answer *eff,
		      struct answer *sync)
{
	char dir[PATH_MAX + 32], file[PATH_MAX + 48];
	snprintf(dir, sizeof(dir), "%s/dax-on", scratch);
	snprintf(file, sizeof(file), "%s/f", dir);
	int rc = dax_make_dir(dir, 1, fs, flag->why, sizeof(flag->why));
	flag->yes = rc == 0;
	if (rc && mkdir(dir, 0700) && errno != EEXIST)
		return;
	if (make_file(file, 'x'))
		return;
	int dax = tgt_dax_effective(file);
	eff->yes = dax == 1;
	if (!eff->yes)
		dax_mismatch_reason(fs, DAX_ON, eff->why, sizeof(eff->why));
	int fd = open(file, O_RDWR);
	void *m = fd < 0 ? MAP_FAILED : mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED_VALIDATE | MAP_SYNC, fd, 0);
	sync->yes = m != MAP_FAILED;
	if (m != MAP_FAILED)
		munmap(m, 4096);
	else
		fmt_into(sync->why, sizeof(sync->why), "mmap(MAP_SYNC) of a %s file: %s", dax == 1 ? "DAX" : "page-cache",
			 strerror(errno));
	if (fd >= 0)
		close(fd);
	unlink(file);
	rmdir(dir);
}

/* The device's NUMA node (three sources, read when the target was chosen) and whether the poison
 * backends could work here: the very checks a poison job makes before it injects. */
static void probe_device(const struct fs_info *fs, const char *dir, struct answer *node, struct answer *bad,
			 struct answer *hw)
{
	if (!fs->device[0]) {
		fmt_into(node->why, sizeof(node->why), "%s has no block device", fs->fstype);
	} else if (fs->numa_node >= 0) {
		node->yes = 1;
		snprintf(node->value, sizeof(node->value), "%d", fs->numa_node);
		char hwloc[32] = "no answer", rg[64] = "";
		if (fs->numa_node_hwloc >= 0)
			snprintf(hwloc, sizeof(hwloc), "%d", fs->numa_node_hwloc);
		if (fs->region[0])
			fmt_into(rg, sizeof(rg), ", %s %d", fs->region, fs->region_numa_node);
		int agree = fs->numa_node_hwloc == fs->numa_node && (!fs->region[0] || fs->region_numa_node == fs->numa_node);
		fmt_into(node->why, sizeof(node->why), "sysfs %d, hwloc %s%s: %s", fs->numa_node, hwloc, rg,
			 agree ? "agree" : "DISAGREE");
	} else {
		fmt_into(node->why, sizeof(node->why), "%s reports no NUMA node", fs->device);
	}
	struct poison_dev d;
	bad->yes = pdev_find(dir, &d, bad->why, sizeof(bad->why)) == 0;
	hw->yes = backend_hwpoison_possible(hw->why, sizeof(hw->why)) == 0;
}

int cmd_info(int argc, char **argv)
{
	int as_json = 0;
	const char *dir = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			as_json = 1;
		else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			return printf("usage: daxperf info [DIR] [--json]\n\nWhat DIR (default: where `run` would go) "
				      "can do: DAX, MAP_SYNC, reflink, dedupe, poison, NUMA.\n"), 0;
		else if (argv[i][0] == '-')
			return error("info: unknown option '%s'", argv[i]), 2;
		else if (dir)
			return error("info: one directory at a time"), 2;
		else
			dir = argv[i];
	}
	struct target t;
	if (topo_init() || tgt_choose(dir, "info", &t))
		return 3;
	if (t.devdax) { /* nothing to probe with files: what the kernel says of the device */
		struct lab_medium lm;
		int in_lab = host_lab_medium(&lm);
		if (as_json) {
			json_t *root = json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:o, s:o}", "dir", t.dir, "chosen", t.why,
						 "kind", "devdax", "device", t.fs.device, "size_bytes", (json_int_t)t.devdax_size,
						 "align_bytes", (json_int_t)t.devdax_align, "device_numa_node",
						 t.fs.numa_node < 0 ? json_null() : json_integer(t.fs.numa_node), "lab",
						 in_lab ? json_pack("{s:s, s:s}", "medium", lm.name, "description", lm.desc) : json_null());
			json_dumpf(root, stdout, JSON_INDENT(1));
			fputc('\n', stdout);
			json_decref(root);
		} else {
			printf("%s (%s)\n", t.dir, t.why);
			if (in_lab)
				printf("  %-42s %s\n", "lab medium", lm.desc);
			printf("  %-42s %s, %llu bytes, mapped in units of %llu bytes\n", "device DAX", t.fs.device,
			       (unsigned long long)t.devdax_size, (unsigned long long)t.devdax_align);
			printf("  %-42s %d\n", "device NUMA node", t.fs.numa_node);
			printf("  %-42s mmap, chase and fault workloads only (no read / write, no files)\n", "runs");
		}
		topo_fini();
		return 0;
	}
	/* probe files live in a directory of daxperf's own, reached through its descriptor */
	if (tgt_make_scratch(&t, "daxperf-info"))
		return 3;
	const char *scratch = t.workpath;

	struct answer a[] = {
		{ .key = "device_dax_capable", .label = "device can do DAX" },
		{ .key = "fs_xflag_dax", .label = "FS_XFLAG_DAX can be set" },
		{ .key = "dax_effective", .label = "a file in a DAX directory is DAX (statx)" },
		{ .key = "map_sync", .label = "MAP_SYNC" },
		{ .key = "ficlone", .label = "reflink (FICLONE)" },
		{ .key = "fidedupe", .label = "dedupe (FIDEDUPERANGE)" },
		{ .key = "device_numa_node", .label = "device NUMA node" },
		{ .key = "badblocks", .label = "badblocks list writable (not tried)" },
		{ .key = "madv_hwpoison", .label = "MADV_HWPOISON possible (not tried)" },
	};
	a[0].yes = t.fs.dax_capable == 1;
	if (!a[0].yes)
		fmt_into(a[0].why, sizeof(a[0].why), t.fs.dax_capable == 0 ? "%s: queue/dax is 0" : "%s: no block device",
			 t.fs.device[0] ? t.fs.device : t.fs.source);
	probe_dax(scratch, &t.fs, &a[1], &a[2], &a[3]);
	probe_reflink(scratch, &t.fs, &a[4], &a[5]);
	probe_device(&t.fs, t.dir, &a[6], &a[7], &a[8]);
	tgt_remove_workdir(&t);
	for (size_t i = 0; i < ARRAY_SIZE(a); i++)
		tgt_show_paths(&t, a[i].why, sizeof(a[i].why));

	struct topo_node nodes[64];
	unsigned nn = topo_nodes(nodes, 64);
	struct lab_medium lm;
	int in_lab = host_lab_medium(&lm);
	if (as_json) {
		json_t *checks = json_object();
		for (size_t i = 0; i < ARRAY_SIZE(a); i++)
			json_object_set_new(checks, a[i].key,
					    json_pack("{s:o, s:o, s:o}", "value",
						      a[i].value[0] ? json_string(a[i].value) : json_boolean(a[i].yes),
						      "reason", a[i].yes ? json_null() : json_string(a[i].why), "detail",
						      a[i].yes && a[i].why[0] ? json_string(a[i].why) : json_null()));
		json_t *jn = json_array();
		for (unsigned i = 0; i < nn && i < 64; i++)
			json_array_append_new(jn, json_pack("{s:i, s:s, s:I}", "node", (int)nodes[i].os_index, "cpus",
							    nodes[i].cpus, "memory_bytes", (json_int_t)nodes[i].memory_bytes));
		json_t *lab = in_lab ? json_pack("{s:s, s:o, s:o, s:s}", "medium", lm.name, "namespace_mode",
						 lm.ns_mode[0] ? json_string(lm.ns_mode) : json_null(), "align_bytes",
						 lm.align ? json_integer((json_int_t)lm.align) : json_null(), "description",
						 lm.desc)
				     : json_null();
		json_t *root = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o}", "dir", t.dir, "chosen", t.why,
					 "fstype", t.fs.fstype, "mount_options", t.fs.options, "device",
					 t.fs.device[0] ? t.fs.device : t.fs.source, "mountpoint", t.fs.mountpoint,
					 "dax_mount_mode", dax_mount_mode(&t.fs), "checks", checks, "numa_nodes", jn, "lab", lab);
		json_dumpf(root, stdout, JSON_INDENT(1));
		fputc('\n', stdout);
		json_decref(root);
	} else {
		printf("%s (%s)\n", t.dir, t.why);
		if (in_lab)
			printf("  %-42s %s\n", "lab medium", lm.desc);
		printf("  %-42s %s on %s, mounted at %s\n", "filesystem", t.fs.fstype,
		       t.fs.device[0] ? t.fs.device : t.fs.source, t.fs.mountpoint);
		printf("  %-42s %s\n", "mount options", t.fs.options);
		printf("  %-42s dax=%s\n", "DAX mount mode", dax_mount_mode(&t.fs));
		for (size_t i = 0; i < ARRAY_SIZE(a); i++)
			printf("  %-42s %s%s%s%s\n", a[i].label, a[i].value[0] ? a[i].value : a[i].yes ? "yes" : "no",
			       a[i].yes ? (a[i].why[0] ? " (" : "") : ": ", a[i].why, a[i].yes && a[i].why[0] ? ")" : "");
		printf("  %-42s %u\n", "NUMA nodes", nn);
		for (unsigned i = 0; i < nn && i < 64; i++)
			printf("    node %u: CPUs %s, %.1f GiB\n", nodes[i].os_index, nodes[i].cpus,
			       (double)nodes[i].memory_bytes / (1 << 30));
	}
	topo_fini();
	return 0;
}
