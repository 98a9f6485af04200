/*
 * The result directory of a run, claimed before its first job: created (or found empty) and marked
 * with a claim file made with O_EXCL and held under flock for the whole run. Two runs given the same
 * --output cannot both have it, and a directory that cannot be written is found before anything is
 * measured, not after. With --force an earlier result.json is kept as result.json.N, never replaced.
 */
#ifndef DAXPERF_OUTDIR_H
#define DAXPERF_OUTDIR_H

#include <limits.h>

#define OUTDIR_CLAIM ".daxperf-claim"

struct outdir {
	char dir[PATH_MAX];
	int claim_fd;  /* -1 when nothing is claimed */
	int made;      /* the directory was created by this run */
};

/* Marks o as holding nothing (before any claim, so a release is always safe). */
void outdir_init(struct outdir *o);
/* Claims exactly dir (--output); 0, or -1 after one line naming dir. */
int outdir_claim(struct outdir *o, const char *dir, int force);
/* Claims a new results/CONFIG/STAMP-HOST[-N] directory; 0, or -1 after one line. */
int outdir_claim_default(struct outdir *o, const char *config, const char *stamp);
/* Removes the claim file (and the directory when this run made it and left it empty). */
void outdir_release(struct outdir *o);

#endif
