/*
 * Lines in the kernel's own log (/dev/kmsg, root) that say which job was running, so a warning or an
 * oops the kernel logs during a run can be attributed to a job even when the run died with it.
 */
#ifndef DAXPERF_KMSG_H
#define DAXPERF_KMSG_H

/* Writes "daxperf: job NAME round R WHAT" to /dev/kmsg; silent where it cannot be written. */
void kmsg_job(const char *name, unsigned round, const char *what);

#endif
