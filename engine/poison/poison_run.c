/*
 * A poison job: the injector thread that poisons pages at poison_at (and every poison_every), the
 * hit handling the workers call, and the end of each round that clears what is still poisoned.
 * Pages, events and counters are shared under one lock that only the slow paths take: the timed
 * loop pays for a sigsetjmp per op and nothing else.
 */
#include "poison/poison.h"
#include "measure/timer.h"
#include "lib/util.h"
#include "workloads/access.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

const char *const poison_event_names[] = { "inject", "hit", "recover", "lost", "stop" };

static uint64_t since_start(const struct poison_job *pj, uint64_t ticks)
{
	return ticks > pj->round_start ? (uint64_t)timer_ticks_to_ns((double)(ticks - pj->round_start)) : 0;
}

/* One event; code and lsb belong to hits, lat to recoveries. Lock held. */
static void add_event(struct poison_job *pj, int kind, uint64_t t_ns, uint64_t off, int thread, int code, int lsb,
		      uint64_t lat)
{
	if (pj->nev == POISON_EVENTS_MAX) {
		pj->ev_dropped++;
		return;
	}
	pj->ev[pj->nev++] = (struct poison_event){ .t_ns = t_ns, .off = off, .lat_ns = lat, .round = pj->round,
						   .kind = kind, .thread = thread, .code = code, .lsb = lsb };
}

static void set_failed(struct poison_job *pj, const char *why)
{
	if (!pj->failed)
		snprintf(pj->note, sizeof(pj->note), "%s", why);
	pj->failed = 1;
}

static void set_note(struct poison_job *pj, const char *why)
{
	if (!pj->note[0])
		snprintf(pj->note, sizeof(pj->note), "%s", why);
}

int poison_job_open(struct wl_job *job, enum wl_poison_path path, struct poison_job **out, char *reason, size_t len)
{
	*out = NULL;
	if (job->o->poison == POISON_NONE)
		return WL_OK;
	struct poison_job *pj = xcalloc(1, sizeof(*pj));
	pj->o = job->o;
	pj->job = job;
	pj->backend = job->o->poison;
	pj->is_read_path = path == WL_POISON_READ_WRITE;
	pj->rng = rng_seed(job->o->seed, 0xb0b);
	pj->fd = open(job->path, O_RDWR | O_CLOEXEC);
	if (pj->fd < 0) {
		fmt_into(reason, len, "open %s: %s", job->path, strerror(errno));
		free(pj);
		return WL_FAIL;
	}
	int rc = backend_prepare(pj, reason, len);
	if (!rc && journal_writable(reason, len)) {
		close(pj->fd);
		free(pj);
		return WL_FAIL;
	}
	if (rc) {
		close(pj->fd);
		free(pj);
		return WL_SKIP; /* the machine cannot poison this way: said, not measured */
	}
	pthread_mutex_init(&pj->lock, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&pj->wake, &ca);
	pthread_condattr_destroy(&ca);
	pj->pages = xcalloc(POISON_PAGES_MAX, sizeof(*pj->pages));
	pj->ev = xcalloc(POISON_EVENTS_MAX, sizeof(*pj->ev));
	hist_init(&pj->recovery, HIST_FINE_BITS);
	for (unsigned i = 0; i < POISON_PAGES_MAX; i++)
		atomic_init(&pj->emu[i], UINT64_MAX);
	poison_signals_install();
	*out = pj;
	return WL_OK;
}

/* A page of this round still in play overlapping [off, off + len). */
static struct poison_page *find_page(struct poison_job *pj, uint64_t off, uint64_t len)
{
	for (unsigned i = pj->npages; i-- > 0;) {
		struct poison_page *p = &pj->pages[i];
		if (!p->done && p->off < off + len && off < p->off + POISON_PAGE)
			return p;
	}
	return NULL;
}

/* The next page to poison by poison_where, skipping pages poisoned now; UINT64_MAX when none. */
static uint64_t pick_page(struct poison_job *pj, unsigned k)
{
	const struct job_opts *o = pj->o;
	uint64_t pages = o->size / POISON_PAGE;
	uint64_t slice = o->size / o->threads / o->bs * o->bs;
	for (uint64_t tries = 0; tries < pages; tries++) {
		uint64_t off;
		if (o->poison_where.kind == WHERE_RANDOM) {
			off = rng_below(&pj->rng, pages) * POISON_PAGE;
		} else if (o->poison_where.kind == WHERE_HOT) {
			/* the first pages of each thread's slice: every pass of a sequential walk starts there */
			uint64_t j = k + tries;
			off = (j % o->threads) * slice + (j / o->threads) * POISON_PAGE;
		} else {
			off = o->poison_where.offset / POISON_PAGE * POISON_PAGE + (k + tries) * POISON_PAGE;
		}
		if (off + POISON_PAGE <= o->size && !find_page(pj, off, POISON_PAGE))
			return off;
	}
	return UINT64_MAX;
}

/* One injection of poison_pages pages: each recorded, journaled, then made. Lock held. */
static int inject_batch(struct poison_job *pj)
{
	for (unsigned k = 0; k < pj->o->poison_pages; k++) {
		uint64_t off = pick_page(pj, k);
		if (off == UINT64_MAX || pj->npages == POISON_PAGES_MAX) {
			set_note(pj, "no unpoisoned page left to poison: fewer injections than asked");
			return 0;
		}
		struct poison_page *p = &pj->pages[pj->npages];
		memset(p, 0, sizeof(*p));
		p->off = off;
		char why[256] = "";
		/* the sector or frame goes in the journal line, so it is found before anything is made */
		if (backend_locate(pj, p, why, sizeof(why))) {
			set_failed(pj, why);
			return -1;
		}
		if (!(p->jid = journal_inject(pj, p))) {
			set_failed(pj, "the poison journal could not be written: injection stopped");
			return -1;
		}
		p->inject_ns = since_start(pj, timer_now());
		pj->npages++; /* before the injection: a hit may come at once */
		/* ndctl waits for the scrub the injection starts (seconds): held that long, the lock would
		 * stall every worker that hits poison, and with injections back to back, for the whole round */
		int slow = pj->backend == POISON_NDCTL;
		if (slow)
			pthread_mutex_unlock(&pj->lock);
		int rc = backend_inject(pj, p, why, sizeof(why));
		if (slow)
			pthread_mutex_lock(&pj->lock);
		/* recovered before the scrub ended: the scrub may have listed the sectors again */
		if (!rc && slow && p->state == PAGE_RECOVERED && backend_still_poisoned(pj, p) == 1 &&
		    backend_clear(pj, p, why, sizeof(why)))
			set_note(pj, why);
		if (rc) {
			p->state = PAGE_CLEARED;
			p->done = 1;
			journal_cleared(p->jid, "injection failed, nothing was poisoned");
			set_failed(pj, why);
			return -1;
		}
		add_event(pj, EV_INJECT, p->inject_ns, off, -1, 0, 0, 0);
	}
	return 0;
}

static void *injector_main(void *arg)
{
	struct poison_job *pj = arg;
	pthread_mutex_lock(&pj->lock);
	uint64_t next = pj->round_start + timer_ns_to_ticks(pj->o->poison_at_ns);
	while (!pj->round_over) {
		uint64_t now = timer_now();
		if (now >= pj->deadline)
			break;
		if (now < next) {
			uint64_t wait_ns = (uint64_t)timer_ticks_to_ns((double)(next - now)) + 1;
			struct timespec ts;
			clock_gettime(CLOCK_MONOTONIC, &ts);
			uint64_t at = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec + wait_ns;
			ts.tv_sec = (time_t)(at / 1000000000ull);
			ts.tv_nsec = (long)(at % 1000000000ull);
			pthread_cond_timedwait(&pj->wake, &pj->lock, &ts);
			continue;
		}
		if (inject_batch(pj) || !pj->o->poison_every_ns)
			break;
		next += timer_ns_to_ticks(pj->o->poison_every_ns);
	}
	pthread_mutex_unlock(&pj->lock);
	return NULL;
}

void poison_round_start(struct poison_job *pj, unsigned round, uint64_t start_ticks, uint64_t deadline_ticks)
{
	pthread_mutex_lock(&pj->lock);
	pj->round = round;
	pj->round_start = start_ticks;
	pj->deadline = deadline_ticks;
	pj->round_over = 0;
	pthread_mutex_unlock(&pj->lock);
	pj->injector_running = pthread_create(&pj->injector, NULL, injector_main, pj) == 0;
	if (!pj->injector_running)
		set_failed(pj, "the injector thread could not start: nothing injected");
}

void poison_round_end(struct poison_job *pj)
{
	pthread_mutex_lock(&pj->lock);
	pj->round_over = 1;
	pthread_cond_signal(&pj->wake);
	pthread_mutex_unlock(&pj->lock);
	if (pj->injector_running)
		pthread_join(pj->injector, NULL);
	pj->injector_running = 0;
	pthread_mutex_lock(&pj->lock);
	for (unsigned i = 0; i < pj->npages; i++) {
		struct poison_page *p = &pj->pages[i];
		if (p->done)
			continue;
		char how[320] = "";
		int still = backend_still_poisoned(pj, p);
		if (p->state == PAGE_POISONED && !p->hits && still == 0 && pj->backend != POISON_HWPOISON)
			pj->healed_by_workload++; /* the workload's own writes cleared it */
		if (still != 0 && backend_clear(pj, p, how, sizeof(how))) {
			pj->left_poisoned++;
			fmt_into(pj->left_why, sizeof(pj->left_why), "offset %" PRIu64 ": %s", p->off, how);
			journal_failed(p->jid, how);
			continue;
		}
		if (p->state == PAGE_LOST)
			backend_remap(pj, p->off); /* skip put an anonymous page there */
		journal_cleared(p->jid, p->state == PAGE_RECOVERED ? "recovered by the job" : how[0] ? how : "cleared");
		if (p->state == PAGE_POISONED)
			p->state = PAGE_CLEARED;
		p->done = 1;
	}
	pthread_mutex_unlock(&pj->lock);
}

/* The event's code: si_code for SIGBUS, -EIO for a read error, POISON_CODE_EMULATED else. */
static int hit_code(const struct poison_catch *c)
{
	return c->via == HIT_EMULATED ? POISON_CODE_EMULATED : c->code;
}

int poison_hit(struct poison_catch *c)
{
	struct poison_job *pj = c->pj;
	const struct job_opts *o = pj->o;
	uint64_t now = timer_now();
	int go_on = 0;
	pthread_mutex_lock(&pj->lock);
	uint64_t t_ns = since_start(pj, now);
	struct poison_page *p =
		c->off == UINT64_MAX ? NULL : find_page(pj, c->off, c->via == HIT_SIGBUS ? 1 : o->bs);
	pj->hits++;
	pj->hits_via[c->via]++;
	if (c->via == HIT_SIGBUS && c->code >= 0 && c->code < 8)
		pj->codes[c->code]++;
	if (!p) {
		/* not a page daxperf poisoned: a real error, or one left by something else */
		pj->hits_unknown++;
		add_event(pj, EV_HIT, t_ns, c->off, (int)c->thread, hit_code(c), c->lsb, 0);
		add_event(pj, EV_STOP, t_ns, c->off, (int)c->thread, 0, 0, 0);
		pj->threads_stopped++;
		set_note(pj, "a hit on a page daxperf did not poison: that thread stopped");
		pthread_mutex_unlock(&pj->lock);
		return -1;
	}
	p->hits++;
	if (p->state == PAGE_LOST) {
		/* lost earlier, by this thread (skip) or another one (none: this thread stops too) */
		if (o->recover == RECOVER_NONE) {
			pj->threads_stopped++;
			add_event(pj, EV_STOP, t_ns, p->off, (int)c->thread, 0, 0, 0);
		} else {
			pj->skipped_ops++;
		}
		pthread_mutex_unlock(&pj->lock);
		return o->recover == RECOVER_NONE ? -1 : 0;
	}
	if (p->state == PAGE_RECOVERED) { /* another thread recovered it while this one faulted */
		pthread_mutex_unlock(&pj->lock);
		return 0;
	}
	if (!p->first_hit_ns)
		p->first_hit_ns = t_ns ? t_ns : 1;
	add_event(pj, EV_HIT, t_ns, p->off, (int)c->thread, hit_code(c), c->lsb, 0);
	char why[256] = "";
	switch (o->recover) {
	case RECOVER_REWRITE:
	case RECOVER_PUNCH: {
		uint64_t t0 = timer_now();
		int rc = backend_rewrite(pj, p, o->recover == RECOVER_PUNCH, why, sizeof(why));
		uint64_t t1 = timer_now();
		if (rc) {
			set_note(pj, why);
			p->state = PAGE_LOST;
			pj->lost++;
			pj->threads_stopped++;
			add_event(pj, EV_STOP, since_start(pj, t1), p->off, (int)c->thread, rc, 0, 0);
			break;
		}
		p->state = PAGE_RECOVERED;
		pj->recovered++;
		pj->recovered_data_ok += p->data_ok;
		hist_add_n(&pj->recovery, t1 - t0, 1);
		add_event(pj, EV_RECOVER, since_start(pj, t1), p->off, (int)c->thread, 0, 0,
			  (uint64_t)timer_ticks_to_ns((double)(t1 - t0)));
		go_on = 1;
		break;
	}
	case RECOVER_SKIP:
		p->state = PAGE_LOST;
		pj->lost++;
		/* loads of the page now see an anonymous page: the file's page is no longer used */
		if (pj->job->map)
			mmap((char *)pj->job->map + p->off, POISON_PAGE, PROT_READ | PROT_WRITE,
			     MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		add_event(pj, EV_LOST, t_ns, p->off, (int)c->thread, 0, 0, 0);
		go_on = 1;
		break;
	case RECOVER_NONE:
		p->state = PAGE_LOST;
		pj->lost++;
		pj->threads_stopped++;
		add_event(pj, EV_STOP, t_ns, p->off, (int)c->thread, 0, 0, 0);
		break;
	}
	pthread_mutex_unlock(&pj->lock);
	return go_on ? 0 : -1;
}

void poison_job_close(struct poison_job *pj)
{
	if (!pj)
		return;
	for (unsigned i = 0; i < pj->npages; i++) {
		const struct poison_page *p = &pj->pages[i];
		if (!p->done && !pj->left_poisoned)
			snprintf(pj->left_why, sizeof(pj->left_why), "offset %" PRIu64 " never cleared", p->off);
	}
	/* what the kernel did when no access saw the poison: said only where the counts show it (the
	 * fsdax kill signals the injector) or the job cannot have dirtied a page (read-only, and the file
	 * was fsync'ed when made, so its page-cache pages were clean and the kernel drops clean pages) */
	char why[256] = "";
	if (pj->backend == POISON_HWPOISON && !pj->hits && pj->npages) {
		if (pj->job->dax == 1 && pj->async_signals)
			fmt_into(why, sizeof(why),
				 "no access saw the poison: the kernel signalled the injecting thread (%llu SIGBUS) and "
				 "unmapped the fsdax pages, and the next accesses mapped them again without error",
				 (unsigned long long)pj->async_signals);
		else if (pj->job->dax == 0 && pj->o->rw.kind == RW_READ)
			fmt_into(why, sizeof(why), "no access saw the poison: the kernel dropped the clean page-cache "
						   "pages and the next accesses read them again from the device");
		else
			fmt_into(why, sizeof(why), "no access saw the poison (%llu SIGBUS outside an access)",
				 (unsigned long long)pj->async_signals);
		set_note(pj, why);
	}
	poison_signals_restore();
	close(pj->fd);
	pj->fd = -1;
}

void poison_job_free(struct poison_job *pj)
{
	if (!pj)
		return;
	hist_free(&pj->recovery);
	pthread_mutex_destroy(&pj->lock);
	pthread_cond_destroy(&pj->wake);
	free(pj->pages);
	free(pj->ev);
	free(pj);
}
