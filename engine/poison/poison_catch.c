/*
 * Catching poison in the workers. A worker in a poison job calls its op through a guard (guarded_op),
 * which takes a sigsetjmp first (no signal mask saved: SA_NODEFER keeps SIGBUS unblocked, so the
 * jump back out of the handler needs no sigprocmask). The handler reads si_code, si_addr and
 * si_addr_lsb, turns the address into a file offset and jumps back; the op returns POISON_HIT and
 * the loop hands it to poison_hit. A read path's EIO becomes the same POISON_HIT.
 */
#include "poison/poison.h"
#include "lib/util.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

static __thread struct poison_catch *tls_catch;
static __thread struct poison_job *tls_injecting;
static struct sigaction old_bus, old_segv;
static int installed;

/* A fault the poison code does not own: back to what was there (default: the process dies with
 * the signal, as it would have without daxperf's handler). */
static void not_ours(int sig, siginfo_t *si, void *uc)
{
	struct sigaction *old = sig == SIGBUS ? &old_bus : &old_segv;
	if ((old->sa_flags & SA_SIGINFO) && old->sa_sigaction) {
		old->sa_sigaction(sig, si, uc);
		return;
	}
	signal(sig, old->sa_handler == SIG_IGN ? SIG_DFL : old->sa_handler);
	/* returning re-runs the faulting access, which now takes the old action */
}

static uint64_t fault_offset(struct poison_catch *c, const void *addr)
{
	const char *base = c->pj->job->map;
	const char *a = addr;
	if (base && a >= base && a < base + c->pj->job->map_len)
		return (uint64_t)(a - base);
	return UINT64_MAX;
}

static void on_fault(int sig, siginfo_t *si, void *uc)
{
	struct poison_catch *c = tls_catch;
	if (!c) {
		struct poison_job *pj = tls_injecting;
		/* fsdax memory failure signals every process mapping the page, the injector included,
		 * while madvise runs: counted, nothing to undo */
		if (pj && sig == SIGBUS) {
			__atomic_add_fetch(&pj->async_signals, 1, __ATOMIC_RELAXED);
			return;
		}
		not_ours(sig, si, uc);
		return;
	}
	uint64_t off = fault_offset(c, si->si_addr);
	if (sig == SIGSEGV && (off == UINT64_MAX || !poison_emulated_contains(c->pj, off))) {
		not_ours(sig, si, uc);
		return;
	}
	if (sig == SIGBUS && off == UINT64_MAX && si->si_code != BUS_MCEERR_AO) {
		not_ours(sig, si, uc);
		return;
	}
	if (sig == SIGBUS && si->si_code == BUS_MCEERR_AO) {
		/* action optional: the page went bad but this thread was not touching it */
		__atomic_add_fetch(&c->pj->async_signals, 1, __ATOMIC_RELAXED);
		return;
	}
	c->off = off;
	c->code = si->si_code;
	c->lsb = sig == SIGBUS ? si->si_addr_lsb : 0;
	c->via = sig == SIGSEGV ? HIT_EMULATED : HIT_SIGBUS;
	siglongjmp(c->env, 1);
}

void poison_signals_install(void)
{
	if (installed++)
		return;
	struct sigaction sa = { .sa_sigaction = on_fault, .sa_flags = SA_SIGINFO | SA_NODEFER };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, &old_bus);
	sigaction(SIGSEGV, &sa, &old_segv);
}

void poison_signals_restore(void)
{
	if (!installed || --installed)
		return;
	sigaction(SIGBUS, &old_bus, NULL);
	sigaction(SIGSEGV, &old_segv, NULL);
}

void poison_injecting(struct poison_job *pj, int on)
{
	tls_injecting = on ? pj : NULL;
}

int poison_emulated_contains(struct poison_job *pj, uint64_t off)
{
	unsigned n = atomic_load_explicit(&pj->nemu, memory_order_acquire);
	uint64_t page = off & ~(uint64_t)(POISON_PAGE - 1);
	for (unsigned i = 0; i < n; i++)
		if (atomic_load_explicit(&pj->emu[i], memory_order_relaxed) == page)
			return 1;
	return 0;
}

/* Does [off, off + len) touch an emulated poisoned page? */
static int emulated_overlaps(struct poison_job *pj, uint64_t off, uint64_t len, uint64_t *page)
{
	unsigned n = atomic_load_explicit(&pj->nemu, memory_order_acquire);
	for (unsigned i = 0; i < n; i++) {
		uint64_t p = atomic_load_explicit(&pj->emu[i], memory_order_relaxed);
		if (p != UINT64_MAX && p < off + len && off < p + POISON_PAGE) {
			*page = p;
			return 1;
		}
	}
	return 0;
}

/* The guard in front of each op: a sigsetjmp, then the op; a read path's EIO is a hit too. */
static long guarded_op(struct wl_thread *t)
{
	struct poison_catch *c = tls_catch;
	if (sigsetjmp(c->env, 0))
		return POISON_HIT;
	long r = c->inner(t);
	if (r == -EIO && c->pj->is_read_path) {
		c->off = t->last_off;
		c->lsb = 0;
		c->code = -EIO;
		c->via = HIT_EIO;
		return POISON_HIT;
	}
	return r;
}

/* The emulated read / write path: the access is made, then refused as the kernel would refuse it. */
static long guarded_op_emulated_rw(struct wl_thread *t)
{
	struct poison_catch *c = tls_catch;
	long r = c->inner(t);
	uint64_t page;
	if (r >= 0 && emulated_overlaps(c->pj, t->last_off, t->job->o->bs, &page)) {
		c->off = page;
		c->lsb = 0;
		c->code = -EIO;
		c->via = HIT_EMULATED;
		return POISON_HIT;
	}
	return r;
}

void poison_arm(struct poison_catch *c, struct poison_job *pj, struct wl_thread *t)
{
	c->pj = pj;
	c->inner = t->op;
	c->thread = t->index;
	/* chosen once, so the timed loop pays for no backend test */
	t->op = pj->backend == POISON_EMULATED && pj->is_read_path ? guarded_op_emulated_rw : guarded_op;
	t->op_batch = NULL; /* every op goes through the guard */
	tls_catch = c;
}

void poison_disarm(void)
{
	tls_catch = NULL;
}
