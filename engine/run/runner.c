#include "run/runner.h"
#include "measure/timer.h"
#include "measure/topo.h"
#include "lib/util.h"
#include "run/worker.h"
#include "lib/cleanup.h"
#include "measure/place.h"
#include "measure/kmsg.h"
#include "workloads/access.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_CPUS 4096

/* The directory a job's file goes in: the work directory, or its dax-on / dax-off subdirectory,
 * whose FS_XFLAG_DAX the file inherits at creation (a dax_toggle job starts in the other one). */
static void job_file_dir(const struct job_spec *spec, const struct target *t, char *dir, size_t len)
{
	int mode = spec->o.dax;
	if (mode != DAX_ANY && spec->o.dax_toggle)
		mode = mode == DAX_ON ? DAX_OFF : DAX_ON;
	if (mode == DAX_ANY)
		fmt_into(dir, len, "%s", t->workpath);
	else
		fmt_into(dir, len, "%s/dax-%s", t->workpath, mode == DAX_ON ? "on" : "off");
}

/* The job file through the work directory's descriptor (path, for every operation) and as the user
 * knows it (shown, for results and messages). */
static void job_file_path(const struct job_spec *spec, const struct target *t, char *path, size_t len, char *shown,
			  size_t shown_len)
{
	char name[OPT_NAME_MAX];
	if (spec->o.file[0]) {
		snprintf(name, sizeof(name), "%s", spec->o.file);
	} else {
		/* the job name, made safe for a file name: sweeps put [ ] = , in it */
		size_t i = 0;
		for (const char *c = spec->name; *c && i < sizeof(name) - 5; c++)
			name[i++] = (char)((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
						   (*c >= '0' && *c <= '9') || *c == '-' || *c == '.' ? *c : '_');
		strcpy(name + i, ".dat");
	}
	char dir[PATH_MAX];
	if (t->devdax) { /* the job maps the device itself */
		fmt_into(path, len, "%s", t->dir);
		fmt_into(shown, shown_len, "%s", t->dir);
		return;
	}
	job_file_dir(spec, t, dir, sizeof(dir));
	fmt_into(path, len, "%s/%s", dir, name);
	fmt_into(shown, shown_len, "%s", path);
	tgt_show_paths(t, shown, shown_len);
}

static void describe_latency_mode(const struct job_opts *o, char *buf, size_t len)
{
	if (o->lat_batch > 1)
		snprintf(buf, len, "batches of %llu ops timed, per-op mean recorded", (unsigned long long)o->lat_batch);
	else if (o->lat_sample > 1)
		snprintf(buf, len, "one op in %llu timed", (unsigned long long)o->lat_sample);
	else
		snprintf(buf, len, "every op timed");
}

/* CPUs the workers go to, round robin: the job's cpus list, else every CPU the process may use. */
static unsigned worker_cpus(const struct job_opts *o, int *cpus)
{
	if (o->threads_per_node)
		return place_per_node_cpus((unsigned)o->threads_per_node, cpus, MAX_CPUS);
	if (o->cpu_node >= 0)
		return place_node_cpus(o->cpu_node, cpus, MAX_CPUS);
	if (!o->cpus.count)
		return topo_allowed_cpus(cpus, MAX_CPUS);
	unsigned n = 0;
	for (int c = 0; c < CPU_SETSIZE && n < MAX_CPUS; c++)
		if (CPU_ISSET(c, &o->cpus.set))
			cpus[n++] = c;
	return n;
}

static int init_worker(struct worker *w, const struct job_spec *spec, struct wl_job *job, struct round_sync *sync,
		       unsigned i, int cpu, unsigned nwindows, struct poison_job *pj)
{
	const struct job_opts *o = &spec->o;
	uint64_t slice = o->size / o->threads / o->bs * o->bs;
	memset(w, 0, sizeof(*w));
	w->spec = spec;
	w->sync = sync;
	w->cpu = cpu;
	w->t.job = job;
	w->t.index = i;
	w->t.rng = rng_seed(o->seed, i);
	w->t.slice_off = i * slice;
	w->t.slice_len = slice;
	w->t.op = spec->wl->op;
	w->pj = pj;
	if (posix_memalign(&w->t.buf, 4096, o->bs > 64 ? o->bs : 64))
		return -ENOMEM;
	memset(w->t.buf, 0x5a ^ (int)i, o->bs);
	if (hist_init(&w->lat, HIST_FINE_BITS) || timeline_init(&w->tl, nwindows))
		return -ENOMEM;
	for (const char *const *c = spec->wl->classes; c && *c && w->ncls < WL_CLASSES_MAX; c++)
		if (hist_init(&w->cls[w->ncls++], HIST_FINE_BITS))
			return -ENOMEM;
	return 0;
}

static void free_worker(struct worker *w)
{
	free(w->t.buf);
	hist_free(&w->lat);
	for (unsigned k = 0; k < w->ncls; k++)
		hist_free(&w->cls[k]);
	timeline_free(&w->tl);
}

/* The job failed while doing WHAT, with -errno ERR: "WHAT: reason". */
static void fail(struct job_result *r, const char *what, int err)
{
	r->status = JOB_FAILED;
	fmt_into(r->reason, sizeof(r->reason), "%s: %s", what, strerror(-err));
}

/* Waits for the round while feeding the status line. */
static void watch_round(struct worker *ws, unsigned n, struct job_result *r, progress_fn fn, void *ctx)
{
	uint64_t t0 = mono_ns();
	for (unsigned done = 0; done < n;) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 200000000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		if (pthread_timedjoin_np(ws[done].tid, NULL, &ts) == 0) {
			done++;
			continue;
		}
		if (fn) {
			uint64_t ops = 0;
			for (unsigned i = 0; i < n; i++)
				ops += atomic_load_explicit(&ws[i].progress, memory_order_relaxed);
			fn(ctx, r, (double)(mono_ns() - t0) / 1e9, ops);
		}
	}
}

static void merge_round(struct job_result *r, struct round_result *rr, struct worker *ws, unsigned n, uint64_t start)
{
	struct hist h;
	hist_init(&h, HIST_FINE_BITS);
	uint64_t end = start;
	for (unsigned i = 0; i < n; i++) {
		rr->ops += ws[i].ops;
		rr->bytes += ws[i].bytes;
		if (ws[i].end > end)
			end = ws[i].end;
		hist_merge(&h, &ws[i].lat);
		for (unsigned k = 0; k < ws[i].ncls && k < r->ncls; k++)
			hist_merge(&r->cls[k], &ws[i].cls[k]);
		timeline_merge(&rr->tl, &ws[i].tl);
		r->cpu_pinned[i] = ws[i].cpu;
		r->cpu_seen[i] = ws[i].cpu_seen;
	}
	rr->runtime_ns = (uint64_t)timer_ticks_to_ns((double)(end - start));
	double secs = (double)rr->runtime_ns / 1e9;
	rr->ops_per_sec = secs > 0 ? (double)rr->ops / secs : 0;
	rr->bytes_per_sec = secs > 0 ? (double)rr->bytes / secs : 0;
	rr->mean_ns = timer_ticks_to_ns(hist_mean(&h));
	rr->p50_ns = timer_ticks_to_ns(hist_percentile(&h, 50));
	rr->p99_ns = timer_ticks_to_ns(hist_percentile(&h, 99));
	rr->p999_ns = timer_ticks_to_ns(hist_percentile(&h, 99.9));
	hist_merge(&r->lat, &h);
	hist_free(&h);
	r->ops += rr->ops;
	r->bytes += rr->bytes;
	r->runtime_ns += rr->runtime_ns;
}

/* Records the first worker failure of a round as the job's reason. */
static void collect_errors(struct job_result *r, const struct worker *ws, unsigned n, const struct wl_job *job)
{
	for (unsigned i = 0; i < n && r->status == JOB_OK; i++) {
		if (ws[i].setup_err) {
			r->status = JOB_FAILED;
			fmt_into(r->reason, sizeof(r->reason), "thread %u (cpu %d) setup: %s", i, ws[i].cpu,
				 strerror(-ws[i].setup_err));
		} else if (ws[i].op_err) {
			r->status = JOB_FAILED;
			/* the workload may have said more than the errno can */
			fmt_into(r->reason, sizeof(r->reason), "thread %u: %s op: %s", i, r->spec->wl->name,
				 job->reason[0] ? job->reason : strerror(-ws[i].op_err));
		}
	}
}

/* One round: workers set up, warmed up, started together, joined and merged. */
static void run_round(const struct job_spec *spec, struct wl_job *job, struct job_result *r, const int *cpus,
		      unsigned ncpus, progress_fn fn, void *ctx, struct poison_job *pj, const struct group_seat *seat)
{
	const struct job_opts *o = &spec->o;
	unsigned n = (unsigned)o->threads, ready = 0, started = 0;
	unsigned nwin = timeline_windows_for(o->runtime_ns, o->window_ns);
	struct round_result *rr = &r->rounds[r->nrounds];
	memset(rr, 0, sizeof(*rr));
	struct round_sync sync = { .window_ticks = timer_ns_to_ticks(o->window_ns),
				   .runtime_ticks = timer_ns_to_ticks(o->runtime_ns) };
	struct worker *ws = aligned_alloc(64, sizeof(struct worker) * n);
	int err = timeline_init(&rr->tl, nwin);
	unsigned first = seat ? seat->first_worker : 0;
	for (; ready < n && !err; ready++)
		err = init_worker(&ws[ready], spec, job, &sync, ready, cpus[(first + ready) % ncpus], nwin, pj);
	if (!err) {
		pthread_barrier_init(&sync.ready, NULL, n + 1);
		pthread_barrier_init(&sync.go, NULL, n + 1);
		for (; started < n && !err; started++)
			err = -pthread_create(&ws[started].tid, NULL, worker_main, &ws[started]);
		if (err) {
			started--; /* the failed create counted */
			fail(r, "starting worker threads", err);
		}
		/* the gate keeps workers off the barriers until every one of them exists */
		atomic_store(&sync.gate, err ? -1 : 1);
		if (!err) {
			/* the round is announced before it starts: a crash inside it names it (kmsg, running.json) */
			kmsg_job(spec->name, r->nrounds + 1, "start");
			if (fn)
				fn(ctx, r, 0, 0);
			pthread_barrier_wait(&sync.ready);
			if (seat) /* every job of the group prepared and warmed up: they start together */
				group_gate_wait(seat->gate);
			sync.start = timer_now();
			rr->start_mono_ns = mono_ns();
			pthread_barrier_wait(&sync.go);
			if (pj)
				poison_round_start(pj, r->nrounds, sync.start, sync.start + sync.runtime_ticks);
			watch_round(ws, n, r, fn, ctx);
			if (pj)
				poison_round_end(pj); /* every page still poisoned is cleared: rounds stay independent */
			collect_errors(r, ws, n, job);
			merge_round(r, rr, ws, n, sync.start);
			kmsg_job(spec->name, r->nrounds + 1, "end");
			timeline_compact(&rr->tl); /* memory grows with windows used, not with rounds */
		} else {
			for (unsigned i = 0; i < started; i++)
				pthread_join(ws[i].tid, NULL);
		}
		pthread_barrier_destroy(&sync.ready);
		pthread_barrier_destroy(&sync.go);
	} else {
		fail(r, "preparing workers", err);
	}
	r->nrounds++;
	for (unsigned i = 0; i < ready; i++)
		free_worker(&ws[i]);
	free(ws);
}

/* Bytes of the file resident in the page cache (mincore); DAX files have none. -1 when unknown. */
static int64_t page_cache_bytes(const char *path)
{
	int fd = open(path, O_RDONLY);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) || st.st_size == 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	void *map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return -1;
	size_t pages = ((size_t)st.st_size + 4095) / 4096;
	unsigned char *vec = xcalloc(pages, 1);
	int64_t resident = -1;
	if (mincore(map, (size_t)st.st_size, vec) == 0) {
		resident = 0;
		for (size_t i = 0; i < pages; i++)
			resident += vec[i] & 1;
		resident *= 4096;
	}
	free(vec);
	munmap(map, (size_t)st.st_size);
	return resident;
}

/* Creates the job's file in the directory its dax option asks for, reads its effective mode with
 * statx, runs the dax_toggle measurement; fails the job where the mode is not the one requested.
 * 0, or -1 with r->status and r->reason set. */
static int set_dax_mode(const struct job_spec *spec, const struct target *t, struct job_result *r)
{
	const struct job_opts *o = &spec->o;
	char dir[PATH_MAX];
	job_file_dir(spec, t, dir, sizeof(dir));
	r->status = JOB_FAILED;
	if (o->dax != DAX_ANY && dax_make_dir(dir, strstr(dir, "/dax-on") != NULL, &t->fs, r->reason, sizeof(r->reason)))
		return -1;
	/* the file's page-cache pages are allocated as it is written: under the job's memory policy */
	place_memory(o);
	/* poison recovery rewrites pages with what they held: verify blocks are known by offset */
	int prep = o->verify || spec->wl->always_verifies || o->poison != POISON_NONE
			   ? tgt_prepare_verify_file(r->path, o->size, o->seed, r->reason, sizeof(r->reason))
			   : tgt_prepare_file(r->path, o->size, r->reason, sizeof(r->reason));
	place_reset();
	if (prep)
		return -1;
	if (o->dax != DAX_ANY && o->dax_toggle) {
		r->has_toggle = 1;
		if (dax_toggle_measure(r->path, o->dax, &r->toggle, r->reason, sizeof(r->reason)))
			return -1;
	}
	int rc = tgt_dax_effective(r->path);
	if (rc >= 0)
		r->dax_effective = rc;
	else
		fmt_into(r->dax_unknown_why, sizeof(r->dax_unknown_why), "statx: %s", strerror(-rc));
	if (o->dax != DAX_ANY && r->dax_effective != (o->dax == DAX_ON)) {
		/* never measure the wrong mode silently */
		if (r->has_toggle)
			fmt_into(r->reason, sizeof(r->reason), "dax_toggle: the flag change did not apply within 2 s of the close");
		else
			dax_mismatch_reason(&t->fs, o->dax, r->reason, sizeof(r->reason));
		return -1;
	}
	r->status = JOB_OK;
	return 0;
}

/* A job on a device DAX: only workloads that map their file can run there, in whole units of the
 * device's alignment (mmap refuses anything else with EINVAL), on as much as the device holds.
 * 0, or -1 with r->status (skipped where the job cannot mean anything there) and r->reason set. */
static int devdax_job_check(const struct job_spec *spec, const struct target *t, struct job_result *r)
{
	const struct job_opts *o = &spec->o;
	uint64_t al = t->devdax_align, slice = o->size / o->threads / o->bs * o->bs;
	r->status = JOB_SKIPPED;
	if (!spec->wl->maps_devdax)
		return fmt_into(r->reason, sizeof(r->reason),
				"workload %s needs a file (read / write, fallocate, reflink, ...): device DAX %s can only be mapped",
				spec->wl->name, t->dir), -1;
	if (o->dax == DAX_OFF)
		return fmt_into(r->reason, sizeof(r->reason), "dax = off: device DAX %s has no page cache", t->dir), -1;
	if (o->verify || spec->wl->always_verifies || o->poison != POISON_NONE)
		return fmt_into(r->reason, sizeof(r->reason), "%s on device DAX %s: not supported (it needs a job file)",
				o->poison != POISON_NONE ? "poison" : "verify", t->dir), -1;
	r->status = JOB_FAILED;
	if (o->size > t->devdax_size)
		return fmt_into(r->reason, sizeof(r->reason), "size %llu: device DAX %s holds %llu bytes",
				(unsigned long long)o->size, t->dir, (unsigned long long)t->devdax_size), -1;
	if (o->size % al || slice % al)
		return fmt_into(r->reason, sizeof(r->reason),
				"size %llu (%llu per thread): device DAX %s maps in units of its alignment, %llu bytes; make both multiples of it",
				(unsigned long long)o->size, (unsigned long long)slice, t->dir, (unsigned long long)al), -1;
	r->dax_effective = 1;
	r->status = JOB_OK;
	return 0;
}

/* A poison job fails when it could not inject as asked or left anything poisoned. */
static void poison_outcome(struct poison_job *pj, struct job_result *r)
{
	r->poison = pj;
	if (r->status != JOB_OK)
		return;
	if (pj->failed) {
		r->status = JOB_FAILED;
		fmt_into(r->reason, sizeof(r->reason), "poison: %s", pj->note);
	} else if (!pj->npages && !r->interrupted) {
		r->status = JOB_FAILED;
		fmt_into(r->reason, sizeof(r->reason), "poison: nothing was injected: every round ended before poison_at");
	} else if (pj->left_poisoned || pj->left_why[0]) {
		r->status = JOB_FAILED;
		fmt_into(r->reason, sizeof(r->reason), "poison left behind (%u pages): %s", pj->left_poisoned, pj->left_why);
	}
}

/* verify = 1: every block read back and checked; a bad block fails the job, naming the first one. */
static void check_data(const struct job_spec *spec, struct wl_job *job, struct job_result *r)
{
	int rc = spec->wl->verify ? spec->wl->verify(job, &r->vr)
				  : verify_file(r->path, spec->o.seed, job->vmap, &r->vr);
	if (rc == -EINTR) {
		/* a signal: the check is incomplete, which is not a bad block; verified stays 0 */
		memset(&r->vr, 0, sizeof(r->vr));
		r->interrupted = 1;
		return;
	}
	if (rc) {
		r->status = JOB_FAILED;
		fmt_into(r->reason, sizeof(r->reason), "verify: reading %s back: %s", r->path, strerror(-rc));
		return;
	}
	r->verified = 1;
	if (r->vr.bad_blocks) {
		r->status = JOB_FAILED;
		fmt_into(r->reason, sizeof(r->reason),
			 "verify: %llu of %llu blocks bad, first at offset %lld: %s (expected generation %u, found %lld)",
			 (unsigned long long)r->vr.bad_blocks, (unsigned long long)r->vr.checked_blocks,
			 (long long)r->vr.first_bad_offset, r->vr.what, r->vr.expected_gen, (long long)r->vr.found_gen);
	}
}

void run_job(const struct job_spec *spec, const struct target *t, struct job_result *r, progress_fn fn, void *ctx,
	     const struct group_seat *seat)
{
	const struct job_opts *o = &spec->o;
	memset(r, 0, sizeof(*r));
	r->spec = spec;
	r->status = JOB_OK;
	r->dax_effective = -1;
	r->durable = -1;
	r->nthreads = (unsigned)o->threads;
	r->cpu_pinned = xcalloc(r->nthreads, sizeof(int));
	r->cpu_seen = xcalloc(r->nthreads, sizeof(int));
	r->rounds = xcalloc(o->repeat, sizeof(*r->rounds));
	hist_init(&r->lat, HIST_FINE_BITS);
	for (const char *const *c = spec->wl->classes; c && *c && r->ncls < WL_CLASSES_MAX; c++)
		hist_init(&r->cls[r->ncls++], HIST_FINE_BITS);
	describe_latency_mode(o, r->latency_mode, sizeof(r->latency_mode));
	job_file_path(spec, t, r->path, sizeof(r->path), r->shown_path, sizeof(r->shown_path));

	r->page_cache_bytes = -1;
	if (t->devdax) {
		/* the device is not daxperf's: never in the cleanup list, never unlinked */
		if (devdax_job_check(spec, t, r)) {
			if (seat)
				group_gate_leave(seat->gate);
			return;
		}
	} else {
		cleanup_add(r->path);
	}
	if (!t->devdax && set_dax_mode(spec, t, r)) {
		if (atomic_load(&engine_stop)) {
			/* stopped while its file was written: it did not run, which is no failure */
			r->status = JOB_SKIPPED;
			r->interrupted = 1;
		}
		unlink(r->path); /* the job's own file, whatever keep says: it holds no measurement */
		cleanup_forget(r->path);
		tgt_show_paths(t, r->reason, sizeof(r->reason));
		if (seat)
			group_gate_leave(seat->gate);
		return;
	}
	struct verify_map vmap = { 0 };
	int verify = o->verify || spec->wl->always_verifies;
	if (verify) {
		vmap.nblocks = o->size / VERIFY_BLOCK;
		vmap.gen = xcalloc(vmap.nblocks + 1, sizeof(uint32_t));
	}
	struct wl_job job = { .o = o, .wo = spec->wo, .path = r->path, .shown_path = r->shown_path, .nthreads = r->nthreads,
			      .dax = r->dax_effective, .durable = -1, .map_align = t->devdax ? t->devdax_align : 0,
			      .vmap = verify ? &vmap : NULL };
	int st = spec->wl->job_setup ? spec->wl->job_setup(&job) : WL_OK;
	struct poison_job *pj = NULL;
	if (st == WL_OK)
		st = poison_job_open(&job, spec->wl->poison_path, &pj, job.reason, sizeof(job.reason));
	if (st != WL_OK) {
		r->status = st == WL_SKIP ? JOB_SKIPPED : JOB_FAILED;
		snprintf(r->reason, sizeof(r->reason), "%s", job.reason);
		/* a setup that stopped halfway may have made helper files: its teardown removes them */
		if (spec->wl->job_teardown)
			spec->wl->job_teardown(&job);
	} else {
		int *cpus = xcalloc(MAX_CPUS, sizeof(int));
		unsigned ncpus = worker_cpus(o, cpus);
		if (!ncpus) {
			r->status = JOB_FAILED;
			fmt_into(r->reason, sizeof(r->reason),
				 "cpu_node %d has no CPU this process may run on (a memory-only node, as kmem or CXL memory "
				 "makes, takes mem_node only)", o->cpu_node);
		}
		for (uint64_t i = 0; i < o->repeat && r->status == JOB_OK; i++) {
			run_round(spec, &job, r, cpus, ncpus, fn, ctx, pj, seat);
			if (atomic_load(&engine_stop)) {
				r->interrupted = 1;
				break;
			}
		}
		free(cpus);
		if (pj) {
			poison_job_close(pj);
			poison_outcome(pj, r);
		}
		if (verify && r->status == JOB_OK)
			check_data(spec, &job, r);
		if (spec->wl->job_teardown)
			spec->wl->job_teardown(&job);
		/* after the teardown: a workload may only know what happened once it is over */
		snprintf(r->detail, sizeof(r->detail), "%s", job.detail);
		r->durable = job.durable;
	}
	free(vmap.gen);
	if (seat)
		group_gate_leave(seat->gate);
	hist_compact(&r->lat);
	for (unsigned k = 0; k < r->ncls; k++)
		hist_compact(&r->cls[k]);
	if (t->devdax) {
		r->page_cache_bytes = 0; /* a device DAX has no page cache */
	} else {
		r->page_cache_bytes = page_cache_bytes(r->path);
		if (r->status == JOB_OK)
			r->mem_sampled = place_sample_file(r->path, o->size, r->mem_counts, &r->mem_unknown);
		if (!o->keep)
			unlink(r->path);
		cleanup_forget(r->path);
	}
	/* workloads name files by the path they were given: the user knows them by the directory's name */
	tgt_show_paths(t, r->reason, sizeof(r->reason));
	tgt_show_paths(t, r->detail, sizeof(r->detail));
}

void job_result_free(struct job_result *r)
{
	poison_job_free(r->poison);
	r->poison = NULL;
	for (unsigned i = 0; i < r->nrounds; i++)
		timeline_free(&r->rounds[i].tl);
	free(r->rounds);
	free(r->cpu_pinned);
	free(r->cpu_seen);
	hist_free(&r->lat);
	for (unsigned k = 0; k < r->ncls; k++)
		hist_free(&r->cls[k]);
}
