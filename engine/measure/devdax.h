/* Device DAX (/dev/daxX.Y) as a target: a character device mapped whole-pages-of-its-alignment at a
 * time, with no filesystem, no page cache and no read / write. */
#ifndef DAXPERF_DEVDAX_H
#define DAXPERF_DEVDAX_H

#include <stdint.h>

struct target;

/* When path is a character device: fills t for the device DAX it is and returns 1, or prints why it
 * is not one (another character device, a device DAX onlined as memory) and returns -1. 0 when path
 * is no character device (a directory, say: the caller's to check). from names the option. */
int devdax_target(const char *path, const char *from, struct target *t);

#endif
