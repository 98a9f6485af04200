/* fio's side of `daxperf fio`: the job text for a daxperf job, running fio on it, its figures. */
#ifndef DAXPERF_FIO_JOB_H
#define DAXPERF_FIO_JOB_H

#include <stddef.h>
#include "run/jobs.h"
#include "workloads/workload.h"

/* fio's fields read back: read + write summed, latency weighted by I/O count. */
struct fio_figures {
	double iops, bw, mean_ns, p99_ns;
};

/* Writes the fio job text for a daxperf job on the file fio_path (already fio-quoted, as is
 * fio_name), or returns the reason it has no equivalent; *kind says which (WL_FIO_IF_DAX: none
 * until the file is known to be DAX). What fio can do per workload is the workload's to say.
 * section NULL: a file of its own ([global] with every option, one job); else one job section of a
 * group's file, named section, a reporting group of its own (new_group) running beside the others.
 * shown (fio-quoted as a comment): the file as the user knows it, said beside fio_path, which is
 * daxperf's descriptor path (/proc/PID/fd/N/NAME) and means nothing once daxperf has ended. */
const char *fio_job_text(const struct job_spec *j, int dax, const char *fio_path, const char *fio_name,
			 const char *section, const char *shown, char *buf, size_t len, enum wl_fio *kind);
/* Writes a round's job file, new (never through a link left in the directory by --force: fio
 * writes its JSON itself, so what stood there goes first), and runs fio; 0 with the figures of its
 * n reporting groups, or -1 with reason set. */
int fio_round_file(const char *jobfile, const char *jsonfile, const char *text, struct fio_figures *f, size_t n,
		   char *reason, size_t len);
/* fio's version into buf; 0, or -1 after an error (fio missing, or older than 3.20). */
int fio_version(char *buf, size_t len);

#endif
