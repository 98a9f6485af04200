/* Kernel interface constants that older C library headers lack (values from the Linux UAPI). */
#ifndef DAXPERF_LINUX_COMPAT_H
#define DAXPERF_LINUX_COMPAT_H

#ifndef MAP_SHARED_VALIDATE
#define MAP_SHARED_VALIDATE 0x03
#endif
#ifndef MAP_SYNC
#define MAP_SYNC 0x80000
#endif
#ifndef STATX_ATTR_DAX
#define STATX_ATTR_DAX 0x00200000
#endif
#ifndef FS_XFLAG_DAX
#define FS_XFLAG_DAX 0x00008000
#endif

#endif
