/* The list of workloads. To add one: write workloads/NAME.c exporting `const struct workload
 * wl_NAME` and add one X(NAME) line below; the `workload` option's choices follow from it. */
#include "workloads/workload.h"

#include <string.h>

#define WORKLOAD_LIST(X) \
	X(mmap)          \
	X(rw)            \
	X(chase)          \
	X(reflink)        \
	X(dedupe)         \
	X(fault)          \
	X(race)

#define DECLARE(n) extern const struct workload wl_##n;
WORKLOAD_LIST(DECLARE)
#define ADDRESS(n) &wl_##n,
const struct workload *const workloads[] = { WORKLOAD_LIST(ADDRESS) NULL };
#define NAME(n) #n,
const char *const workload_names[] = { WORKLOAD_LIST(NAME) NULL };

const struct workload *workload_find(const char *name)
{
	for (const struct workload *const *w = workloads; *w; w++)
		if (!strcmp((*w)->name, name))
			return *w;
	return NULL;
}
