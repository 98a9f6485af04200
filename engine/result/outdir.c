#include "result/outdir.h"
#include "result/result.h"
#include "lib/cleanup.h"
#include "lib/paths.h"
#include "lib/util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* What a run writes into its directory; --force keeps the earlier ones under NAME.N. */
static const char *const kept_names[] = { RESULT_FILE, RESULT_PARTIAL_FILE, RESULT_RUNNING_FILE };

void outdir_init(struct outdir *o)
{
	memset(o, 0, sizeof(*o));
	o->claim_fd = -1;
}

/* 1 when dir holds anything but a claim file, 0 when not, -errno when it cannot be read. */
static int holds_something(int dfd)
{
	int fd = dup(dfd);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		return -e;
	}
	struct dirent *e;
	int used = 0;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && strcmp(e->d_name, OUTDIR_CLAIM))
			used = 1;
	closedir(d);
	return used;
}

/* --force: the earlier result files move aside to NAME.N (one N for all of them), and say so. */
static int keep_earlier(int dfd, const char *dir)
{
	struct stat st;
	int any = 0;
	for (size_t i = 0; i < sizeof(kept_names) / sizeof(kept_names[0]); i++)
		any |= fstatat(dfd, kept_names[i], &st, AT_SYMLINK_NOFOLLOW) == 0;
	if (!any)
		return 0;
	int n = 1;
	for (;; n++) {
		int taken = 0;
		for (size_t i = 0; i < sizeof(kept_names) / sizeof(kept_names[0]); i++) {
			char name[64];
			snprintf(name, sizeof(name), "%s.%d", kept_names[i], n);
			taken |= fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0;
		}
		if (!taken)
			break;
	}
	for (size_t i = 0; i < sizeof(kept_names) / sizeof(kept_names[0]); i++) {
		char name[64];
		snprintf(name, sizeof(name), "%s.%d", kept_names[i], n);
		if (fstatat(dfd, kept_names[i], &st, AT_SYMLINK_NOFOLLOW))
			continue;
		if (renameat(dfd, kept_names[i], dfd, name))
			return error("--output %s: cannot keep the earlier %s as %s: %s", dir, kept_names[i], name,
				     strerror(errno));
		note("--output %s: the earlier %s kept as %s", dir, kept_names[i], name);
	}
	return 0;
}

/* Claims dir, which exists (made says whether this run created it). */
static int claim(struct outdir *o, int force, const char *what)
{
	int dfd = open(o->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return error("%s %s: %s", what, o->dir, strerror(errno));
	int fd = openat(dfd, OUTDIR_CLAIM, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | (force ? 0 : O_EXCL), 0644);
	if (fd < 0) {
		int e = errno;
		close(dfd);
		if (e == EEXIST)
			return error("%s %s: claimed by another daxperf run (add --force if none is running)", what, o->dir);
		return error("%s %s: cannot write there: %s", what, o->dir, strerror(e));
	}
	/* a filesystem without flock (some network ones) leaves the O_EXCL creation as the claim */
	if (flock(fd, LOCK_EX | LOCK_NB) && errno == EWOULDBLOCK) {
		close(fd);
		close(dfd);
		return error("%s %s: in use by another daxperf run", what, o->dir);
	}
	o->claim_fd = fd;
	char *claim_path = xasprintf("%s/%s", o->dir, OUTDIR_CLAIM);
	cleanup_add(claim_path); /* a second signal removes it (and the directory, if it was made and is empty) */
	free(claim_path);
	if (o->made)
		cleanup_add(o->dir);
	char pid[32];
	int len = snprintf(pid, sizeof(pid), "%d\n", (int)getpid());
	if (ftruncate(fd, 0) || pwrite(fd, pid, (size_t)len, 0) != len) {
		int e = errno;
		close(dfd);
		outdir_release(o);
		return error("%s %s: cannot write there: %s", what, o->dir, strerror(e));
	}
	/* checked again now that it is ours: a run that finished in between may have filled it */
	int used = holds_something(dfd);
	int rc = 0;
	if (used < 0)
		rc = error("%s %s: %s", what, o->dir, strerror(-used));
	else if (used && !force)
		rc = error("%s %s: directory is not empty (add --force to write into it)", what, o->dir);
	else if (used)
		rc = keep_earlier(dfd, o->dir);
	close(dfd);
	if (rc)
		outdir_release(o);
	return rc;
}

/* Creates the parents of dir, then dir itself: 1 made, 0 already there, -errno. */
static int make_last(const char *dir)
{
	char *parent = xstrdup(dir);
	char *slash = strrchr(parent, '/');
	int rc = 0;
	if (slash && slash != parent) {
		*slash = '\0';
		rc = make_dirs(parent);
	}
	free(parent);
	if (rc)
		return rc;
	if (mkdir(dir, 0755) == 0)
		return 1;
	return errno == EEXIST ? 0 : -errno;
}

int outdir_claim(struct outdir *o, const char *dir, int force)
{
	outdir_init(o);
	if (!*dir)
		return error("--output: empty path");
	if (!fmt_into(o->dir, sizeof(o->dir), "%s", dir))
		return error("--output %.64s...: path too long", dir);
	int rc = make_last(dir);
	if (rc < 0)
		return error("--output %s: cannot create result directory: %s", dir, strerror(-rc));
	o->made = rc;
	return claim(o, force, "--output");
}

int outdir_claim_default(struct outdir *o, const char *config, const char *stamp)
{
	outdir_init(o);
	char base[PATH_MAX];
	default_result_dir(config, stamp, base, sizeof(base));
	/* another run of the same second may take the name between the look and the mkdir: next suffix */
	for (int k = 1; k < 1000; k++) {
		if (k == 1)
			snprintf(o->dir, sizeof(o->dir), "%s", base);
		else if (!fmt_into(o->dir, sizeof(o->dir), "%s-%d", base, k))
			break;
		int rc = make_last(o->dir);
		if (rc < 0)
			return error("%s: cannot create result directory: %s", o->dir, strerror(-rc));
		if (rc == 1) {
			o->made = 1;
			return claim(o, 0, "result directory");
		}
	}
	return error("%s: no free result directory name", base);
}

void outdir_release(struct outdir *o)
{
	if (o->claim_fd < 0)
		return;
	char *claim_path = xasprintf("%s/%s", o->dir, OUTDIR_CLAIM);
	unlink(claim_path);
	cleanup_forget(claim_path);
	free(claim_path);
	close(o->claim_fd);
	o->claim_fd = -1;
	if (o->made) {
		rmdir(o->dir); /* only when nothing was written into it */
		cleanup_forget(o->dir);
	}
}
