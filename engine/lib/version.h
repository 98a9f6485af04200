#ifndef DAXPERF_VERSION_H
#define DAXPERF_VERSION_H
#define DAXPERF_VERSION "0.1.0"
#ifndef DAXPERF_GIT
#define DAXPERF_GIT "unknown"
#endif
#endif
