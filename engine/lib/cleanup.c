#include "lib/cleanup.h"

#include <limits.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#define CLEANUP_MAX 128

/* A slot is FREE, being FILLED by the thread that claimed it, or USED. Threads (the jobs of a group)
 * add and forget at once, and a signal handler may remove everything at any moment: slots are
 * claimed by compare-and-swap and published only once their path is whole, so no lock is needed
 * (a signal handler cannot take one). */
enum { FREE, FILLED, USED };
static char paths[CLEANUP_MAX][PATH_MAX];
static atomic_int state[CLEANUP_MAX];

void cleanup_add(const char *path)
{
	for (int i = 0; i < CLEANUP_MAX; i++) {
		int expected = FREE;
		if (atomic_compare_exchange_strong(&state[i], &expected, FILLED)) {
			strncpy(paths[i], path, PATH_MAX - 1);
			paths[i][PATH_MAX - 1] = '\0';
			atomic_store_explicit(&state[i], USED, memory_order_release);
			return;
		}
	}
}

void cleanup_forget(const char *path)
{
	for (int i = 0; i < CLEANUP_MAX; i++) {
		if (atomic_load_explicit(&state[i], memory_order_acquire) != USED || strcmp(paths[i], path))
			continue;
		int expected = USED;
		atomic_compare_exchange_strong(&state[i], &expected, FREE);
	}
}

void cleanup_now(void)
{
	/* unlink fails on directories, rmdir on files and on directories not yet empty: three passes
	 * (files, then subdirectories, then the work directory) remove everything in any order */
	for (int pass = 0; pass < 3; pass++)
		for (int i = CLEANUP_MAX - 1; i >= 0; i--)
			if (atomic_load_explicit(&state[i], memory_order_acquire) == USED &&
			    (unlink(paths[i]) == 0 || rmdir(paths[i]) == 0))
				atomic_store(&state[i], FREE);
}
