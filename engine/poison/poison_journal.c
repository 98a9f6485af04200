/*
 * The poison journal: every injection is appended (and fsync'ed) before it is made, and every
 * clearing after it is checked. A run that dies (SIGKILL, a second SIGINT, power loss) leaves
 * records without a "cleared" line; the next daxperf start clears them and says so.
 *
 *   inject  RUN.SEQ BACKEND DISK SECTOR PFN OFFSET DAX PATH...
 *   cleared RUN.SEQ HOW...
 *   failed  RUN.SEQ WHY...      (the record stays outstanding)
 *
 * RUN is pid:starttime, so a reused pid is not taken for the run that wrote the record.
 * The journal lives in $DAXPERF_STATE_DIR, else /var/lib/daxperf.
 */
#include "poison/poison.h"
#include "poison/poison_dev.h"
#include "lib/util.h"
#include "measure/verify.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

static unsigned next_seq;

static const char *state_dir(void)
{
	const char *d = getenv("DAXPERF_STATE_DIR");
	return d && *d ? d : "/var/lib/daxperf";
}

const char *journal_path(void)
{
	static char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/poison-journal", state_dir());
	return path;
}

/* Field 22 of /proc/PID/stat: the start time that tells a pid's runs apart. 0 when gone. */
static unsigned long long proc_start(long pid)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	size_t n;
	char *s = read_file(path, &n);
	unsigned long long start = 0;
	char *p = s ? strrchr(s, ')') : NULL;
	for (int field = 2; p && *p && field < 22; p++)
		if (*p == ' ')
			field++;
	if (p)
		start = strtoull(p, NULL, 10);
	free(s);
	return start;
}

static void run_id(char *buf, size_t len)
{
	snprintf(buf, len, "%ld:%llu", (long)getpid(), proc_start(getpid()));
}

/* Appends one line, durably, under the journal's lock. 0 or -errno. */
static int append(const char *line)
{
	if (mkdir(state_dir(), 0755) && errno != EEXIST)
		return -errno;
	int fd = open(journal_path(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	flock(fd, LOCK_EX);
	size_t n = strlen(line);
	int rc = write(fd, line, n) == (ssize_t)n && fsync(fd) == 0 ? 0 : -errno;
	close(fd);
	return rc;
}

int journal_writable(char *why, size_t len)
{
	int rc = append("");
	if (rc)
		fmt_into(why, len, "cannot keep the poison journal %s (%s): nothing is injected without it",
			 journal_path(), strerror(-rc));
	return rc;
}

unsigned journal_inject(const struct poison_job *pj, const struct poison_page *p)
{
	char id[64], line[PATH_MAX + 256];
	run_id(id, sizeof(id));
	unsigned seq = ++next_seq;
	snprintf(line, sizeof(line), "inject %s.%u %s %s %" PRIu64 " %" PRIu64 " %" PRIu64 " %d %s\n", id, seq,
		 poison_backend_names[pj->backend], pj->dev.disk[0] ? pj->dev.disk : "-", p->sector, p->pfn, p->off,
		 pj->job->dax, pj->job->shown_path ? pj->job->shown_path : pj->job->path); /* read by a later run */
	return append(line) ? 0 : seq;
}

static void journal_outcome(const char *word, unsigned seq, const char *text)
{
	char id[64], line[512];
	run_id(id, sizeof(id));
	snprintf(line, sizeof(line), "%s %s.%u %s\n", word, id, seq, text);
	append(line);
}

void journal_cleared(unsigned seq, const char *how)
{
	journal_outcome("cleared", seq, how);
}

void journal_failed(unsigned seq, const char *why)
{
	journal_outcome("failed", seq, why);
}

/* --- leftovers --- */

struct record {
	char id[96];
	char backend[16], disk[64], path[PATH_MAX];
	uint64_t sector, pfn, off;
	int dax;
	int cleared;
	long pid;
	unsigned long long start;
};

static int parse_inject(char *line, struct record *r)
{
	int pos = 0;
	memset(r, 0, sizeof(*r));
	if (sscanf(line, "inject %95s %15s %63s %" SCNu64 " %" SCNu64 " %" SCNu64 " %d %n", r->id, r->backend, r->disk,
		   &r->sector, &r->pfn, &r->off, &r->dax, &pos) < 7 || !pos)
		return -1;
	snprintf(r->path, sizeof(r->path), "%s", trim(line + pos));
	if (sscanf(r->id, "%ld:%llu", &r->pid, &r->start) != 2)
		return -1;
	return 0;
}

/* Reads every record; marks the cleared ones. The caller frees *out. */
static unsigned read_records(FILE *f, struct record **out)
{
	char line[PATH_MAX + 256], id[96];
	unsigned n = 0, cap = 0;
	struct record *r = NULL;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "inject ", 7)) {
			if (n == cap)
				r = xrealloc(r, (cap = cap ? 2 * cap : 16) * sizeof(*r));
			if (parse_inject(line, &r[n]) == 0)
				n++;
		} else if (sscanf(line, "cleared %95s", id) == 1) {
			for (unsigned i = 0; i < n; i++)
				if (!strcmp(r[i].id, id))
					r[i].cleared = 1;
		}
	}
	*out = r;
	return n;
}

static int owner_alive(const struct record *r)
{
	return proc_start(r->pid) == r->start;
}

/* An fd on the filesystem that held the file: the file, else the nearest directory above it. */
static int open_on_fs(const char *path)
{
	char p[PATH_MAX], up[PATH_MAX];
	snprintf(p, sizeof(p), "%s", path);
	for (;;) {
		int fd = open(p, O_RDONLY | O_CLOEXEC);
		if (fd >= 0 || !strcmp(p, "/") || !strcmp(p, "."))
			return fd;
		snprintf(up, sizeof(up), "%s", dirname(p)); /* dirname works in place: copy out, then back */
		snprintf(p, sizeof(p), "%s", up);
	}
}

/* Clears one dead run's injection; 0 with how filled, or -errno with why. */
static int clear_record(const struct record *r, char *how, size_t len)
{
	if (!strcmp(r->backend, "emulated")) {
		fmt_into(how, len, "emulated poison lived in the dead process only");
		return 0;
	}
	if (!strcmp(r->backend, "hwpoison")) {
		struct poison_page p = { .off = r->off, .pfn = r->pfn };
		return backend_clear_frame(&p, r->path, r->dax, how, len);
	}
	struct poison_dev d = { 0 };
	snprintf(d.disk, sizeof(d.disk), "%s", r->disk);
	snprintf(d.dev_path, sizeof(d.dev_path), "/dev/%s", r->disk);
	snprintf(d.badblocks, sizeof(d.badblocks), "/sys/block/%s/badblocks", r->disk);
	if (!strcmp(r->backend, "ndctl")) {
		char ignore[128];
		pdev_find(r->path, &d, ignore, sizeof(ignore)); /* the namespace name, if the file is still there */
		pdev_ndctl_inject(&d, r->sector, 1, ignore, sizeof(ignore));
		/* a run killed while ndctl injected leaves its scrub running: it would list the sectors
		 * again after they are cleared here */
		pdev_ndctl_wait_scrub(ignore, sizeof(ignore));
	}
	int has = pdev_badblocks_has(&d, r->sector);
	if (has == 0) {
		fmt_into(how, len, "sectors %" PRIu64 "+8 of %s no longer listed", r->sector, r->disk);
		return 0;
	}
	if (has < 0) {
		fmt_into(how, len, "%s is gone or unreadable: cannot check sectors %" PRIu64 "+8", d.badblocks, r->sector);
		return -ENODEV;
	}
	/* the dead run's file still holds the page: write it through the file */
	/* (never through a symlink put where the file was: the write happens only where the page still
	 * maps to the recorded sector, but a file is not followed out of the dead run's directory) */
	int fd = open(r->path, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
	uint64_t sector;
	char why[256] = "";
	if (fd >= 0) {
		struct poison_dev here = d;
		if (pdev_find(r->path, &here, why, sizeof(why)) == 0 &&
		    pdev_sector_of(fd, r->off, &here, &sector, why, sizeof(why)) == 0 && sector == r->sector) {
			_Alignas(4096) unsigned char page[POISON_PAGE];
			verify_fill_block(page, 0, r->off, 0);
			int ok = pwrite(fd, page, POISON_PAGE, (off_t)r->off) == POISON_PAGE && fdatasync(fd) == 0;
			close(fd);
			if (ok && pdev_badblocks_has(&d, r->sector) == 0) {
				fmt_into(how, len, "sectors %" PRIu64 "+8 of %s rewritten through %s", r->sector, r->disk, r->path);
				return 0;
			}
		} else {
			close(fd);
		}
	}
	int fs_fd = open_on_fs(r->path);
	int rc = fs_fd < 0 ? -ENOENT : pdev_clear_free_sectors(&d, fs_fd, r->sector, why, sizeof(why));
	if (fs_fd >= 0)
		close(fs_fd);
	if (rc == 0 && pdev_badblocks_has(&d, r->sector) == 0) {
		fmt_into(how, len, "sectors %" PRIu64 "+8 of %s were free space: zeroed through %s", r->sector, r->disk,
			 d.dev_path);
		return 0;
	}
	fmt_into(how, len, "%s", why[0] ? why : "still listed after the write");
	return rc ? rc : -EIO;
}

static void describe(const struct record *r, char *buf, size_t len)
{
	if (!strcmp(r->backend, "hwpoison"))
		fmt_into(buf, len, "hwpoison frame %#" PRIx64 " (%s offset %" PRIu64 ")", r->pfn, r->path, r->off);
	else if (!strcmp(r->backend, "emulated"))
		fmt_into(buf, len, "emulated (%s offset %" PRIu64 ")", r->path, r->off);
	else
		fmt_into(buf, len, "%s sectors %" PRIu64 "+8 of %s (%s offset %" PRIu64 ")", r->backend, r->sector,
			 r->disk, r->path, r->off);
}

int journal_leftovers(int clear, int verbose)
{
	int fd = open(journal_path(), O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		if (verbose)
			printf("no poison journal at %s: nothing was ever injected here\n", journal_path());
		return 0;
	}
	flock(fd, LOCK_EX);
	FILE *f = fdopen(dup(fd), "re");
	struct record *r = NULL;
	unsigned n = f ? read_records(f, &r) : 0;
	if (f)
		fclose(f);
	unsigned outstanding = 0, failed = 0, live = 0;
	for (unsigned i = 0; i < n; i++) {
		if (r[i].cleared)
			continue;
		char what[PATH_MAX + 128], how[512] = "";
		describe(&r[i], what, sizeof(what));
		if (owner_alive(&r[i])) {
			live++;
			if (verbose)
				printf("in use by running daxperf %ld: %s\n", r[i].pid, what);
			continue;
		}
		outstanding++;
		if (!clear) {
			printf("left by run %ld (ended without clearing): %s\n", r[i].pid, what);
			continue;
		}
		char line[1024];
		if (clear_record(&r[i], how, sizeof(how)) == 0) {
			fprintf(stderr, "daxperf: poison left by run %ld cleared: %s: %s\n", r[i].pid, what, how);
			snprintf(line, sizeof(line), "cleared %s leftover: %s\n", r[i].id, how);
		} else {
			failed++;
			fprintf(stderr, "daxperf: poison left by run %ld NOT cleared: %s: %s\n", r[i].pid, what, how);
			snprintf(line, sizeof(line), "failed %s leftover: %s\n", r[i].id, how);
		}
		if (write(fd, line, strlen(line)) < 0 || fsync(fd))
			failed++;
	}
	/* nothing outstanding anywhere: the history can go */
	struct stat st;
	if (!live && !failed && (clear || !outstanding) && fstat(fd, &st) == 0 && st.st_size > (1 << 20))
		if (ftruncate(fd, 0)) {
		}
	if (verbose && !outstanding && !live)
		printf("no poison outstanding (journal %s)\n", journal_path());
	free(r);
	close(fd);
	return clear ? (failed ? -1 : 0) : (int)outstanding;
}

void poison_clear_leftovers(int verbose)
{
	struct stat st;
	if (stat(journal_path(), &st) || st.st_size == 0)
		return;
	journal_leftovers(1, verbose);
}
