#include "lib/cleanup.h"

#include <limits.h>
#include <string.h>
#include <unistd.h>

#define CLEANUP_MAX 128

static char paths[CLEANUP_MAX][PATH_MAX];
static volatile int used[CLEANUP_MAX];

void cleanup_add(const char *path)
{
	for (int i = 0; i < CLEANUP_MAX; i++) {
		if (!used[i]) {
			strncpy(paths[i], path, PATH_MAX - 1);
			paths[i][PATH_MAX - 1] = '\0';
			used[i] = 1;
			return;
		}
	}
}

void cleanup_forget(const char *path)
{
	for (int i = 0; i < CLEANUP_MAX; i++)
		if (used[i] && !strcmp(paths[i], path))
			used[i] = 0;
}

void cleanup_now(void)
{
	/* unlink fails on directories, rmdir on files and on directories not yet empty: three passes
	 * (files, then subdirectories, then the work directory) remove everything in any order */
	for (int pass = 0; pass < 3; pass++)
		for (int i = CLEANUP_MAX - 1; i >= 0; i--)
			if (used[i] && (unlink(paths[i]) == 0 || rmdir(paths[i]) == 0))
				used[i] = 0;
}
