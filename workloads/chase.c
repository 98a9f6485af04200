/*
 * chase: a dependent pointer chase over a random cyclic permutation (Sattolo) of the cache lines of
 * each thread's slice of the mapped job file. Each op is one load whose address comes from the
 * previous load, so op latency is the load latency of the medium: the idle-latency figure of
 * Intel MLC. Time with lat_batch (e.g. 256) to keep the timer's own cost out of the figure.
 */
#include "workloads/workload.h"
#include "workloads/access.h"
#include "workloads/mapping.h"
#include "lib/util.h"

#include <stdlib.h>

#define LINE 64

/* verify: the chase writes its pointers over the file's contents */
static const char *const chase_ignores[] = { "bs", "pattern", "rw", "verify", NULL };

/* Links the lines of [off, off+len) of the mapping into one random cycle. */
static void link_cycle(char *base, uint64_t off, uint64_t len, uint64_t *rng)
{
	uint32_t *perm = xcalloc(len / LINE, sizeof(uint32_t));
	chase_link_cycle(base + off, len, rng, perm);
	free(perm);
}

static int chase_validate(const struct job_opts *o, const void *wo, char *err, size_t len)
{
	(void)wo;
	if (o->size / o->threads / LINE > UINT32_MAX || o->size / o->threads < 2 * LINE) {
		fmt_into(err, len, "chase needs between 2 and 2^32 cache lines per thread");
		return -1;
	}
	return 0;
}

static int chase_job_setup(struct wl_job *job)
{
	struct mapping *m = xcalloc(1, sizeof(*m));
	int rc = mapping_open(job, m, 0);
	if (rc != WL_OK) {
		free(m);
		return rc;
	}
	job->priv = m;
	return WL_OK;
}

static long chase_batch(struct wl_thread *t, uint64_t n);

static int chase_thread_setup(struct wl_thread *t)
{
	struct mapping *m = t->job->priv;
	/* each thread links its own slice: in parallel, and from the CPU that will chase it */
	link_cycle(m->addr, t->slice_off, t->slice_len, &t->rng);
	if (t->job->o->prefault)
		mapping_prefault(m, t->slice_off, t->slice_len, 0);
	t->priv = (char *)m->addr + t->slice_off;
	t->op_batch = chase_batch;
	return 0;
}

static long chase_op(struct wl_thread *t)
{
	t->priv = *(void **)t->priv;
	return LINE;
}

/* n dependent loads with the pointer in a register: a lat_batch group is the chase and nothing else */
static long chase_batch(struct wl_thread *t, uint64_t n)
{
	void *p = t->priv;
	for (uint64_t i = 0; i < n; i++)
		p = *(void **)p;
	t->priv = p;
	return (long)(n * LINE);
}

static void chase_job_teardown(struct wl_job *job)
{
	if (job->priv)
		mapping_close(job->priv);
	free(job->priv);
	job->priv = NULL;
}

const struct workload wl_chase = {
	.name = "chase",
	.maps_devdax = 1,
	.summary = "dependent pointer chase over random cache lines: load latency of the medium",
	.ignores = chase_ignores,
	.headline = WL_HEADLINE_MEAN_LATENCY,
	.no_fio = "a dependent pointer chase has no fio equivalent (fio issues independent I/Os)",
	.validate = chase_validate,
	.job_setup = chase_job_setup,
	.thread_setup = chase_thread_setup,
	.op = chase_op,
	.job_teardown = chase_job_teardown,
};
