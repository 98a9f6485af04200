#include "run/worker.h"
#include "measure/timer.h"
#include "measure/topo.h"
#include "measure/place.h"

#include <errno.h>
#include <sched.h>

/* One timed group: `untimed` ops, then `timed` ops between two clock reads. The latency recorded
 * is the group's time divided by `timed` (1 except for lat_batch). A paced loop waits after the
 * group, outside the clock reads, so latencies are the ops' alone. */
struct loop_shape {
	uint64_t untimed, timed;
	int paced;
};

/* A paced wait longer than PACE_SLEEP_MIN_NS sleeps, but for its last PACE_SPIN_NS: a nearly idle
 * job (loaded latency's zero-load point) must leave its CPU to the rest of the machine, or the other
 * jobs' threads share theirs with whatever it pushed off. The last stretch is spun: a sleep's
 * wake-up is tens of microseconds late, more than a paced op's budget. */
#define PACE_SLEEP_MIN_NS 200000
#define PACE_SPIN_NS 100000

/* Waits until `until`, the deadline or a stop; the last PACE_SPIN_NS on the clock, no system call. */
static inline void wait_until(uint64_t until, uint64_t deadline)
{
	if (until > deadline)
		until = deadline;
	uint64_t now = timer_now();
	if (until > now && until - now > timer_ns_to_ticks(PACE_SLEEP_MIN_NS)) {
		uint64_t ns = (uint64_t)timer_ticks_to_ns((double)(until - now)) - PACE_SPIN_NS;
		struct timespec ts = { (time_t)(ns / 1000000000u), (long)(ns % 1000000000u) };
		nanosleep(&ts, NULL); /* a signal (a stop) cuts it short: the loop below sees the stop */
	}
	while (timer_now() < until && !atomic_load_explicit(&engine_stop, memory_order_relaxed))
		_mm_pause();
}

/* How far behind its schedule a paced thread may fall before the schedule forgets the debt: a stall
 * (a fault, a preemption) must not be repaid by a burst at full speed. */
#define PACE_SLACK_NS 10000000

/* The timed loop. always_inline with a constant shape lets the compiler drop the group loops for
 * the common every-op case. Returns 0, or the op's -errno. */
static inline __attribute__((always_inline)) int run_loop(struct worker *w, uint64_t start, uint64_t deadline,
							  uint64_t max_ops, const struct loop_shape shape)
{
	struct wl_thread *t = &w->t;
	long (*op)(struct wl_thread *) = t->op;
	long (*batch)(struct wl_thread *, uint64_t) = t->op_batch;
	uint64_t wticks = w->sync->window_ticks;
	uint64_t ops = 0, bytes = 0;
	uint64_t win_end = start + wticks;
	struct tl_window *win = timeline_at(&w->tl, 0);
	double due = (double)start; /* paced: when the next group may start */
	uint64_t slack = shape.paced ? timer_ns_to_ticks(PACE_SLACK_NS) : 0;
	int rc = 0;
	for (;;) {
		uint64_t group_bytes = 0;
		long r;
		if (shape.untimed && batch) {
			if ((r = batch(t, shape.untimed)) < 0)
				goto stopped;
			group_bytes += (uint64_t)r;
		} else {
			for (uint64_t i = 0; i < shape.untimed; i++) {
				if ((r = op(t)) < 0)
					goto stopped;
				group_bytes += (uint64_t)r;
			}
		}
		uint64_t t0 = timer_now();
		if (shape.timed > 1 && batch) {
			if ((r = batch(t, shape.timed)) < 0)
				goto stopped;
			group_bytes += (uint64_t)r;
		} else {
			for (uint64_t i = 0; i < shape.timed; i++) {
				if ((r = op(t)) < 0)
					goto stopped;
				group_bytes += (uint64_t)r;
			}
		}
		uint64_t t1 = timer_now();
		uint64_t d = shape.timed == 1 ? t1 - t0 : (t1 - t0) / shape.timed;
		uint64_t group_ops = shape.untimed + shape.timed;
		hist_add_n(&w->lat, d, shape.timed);
		if (w->ncls)
			hist_add_n(&w->cls[t->op_class], d, shape.timed);
		if (t1 >= win_end) {
			uint64_t idx = (t1 - start) / wticks;
			win = timeline_at(&w->tl, idx);
			win_end = start + (idx + 1) * wticks;
		}
		win->ops += group_ops;
		win->bytes += group_bytes;
		win->lat.buckets[hist_index(HIST_COARSE_BITS, d)] += shape.timed;
		win->lat.count += shape.timed;
		ops += group_ops;
		bytes += group_bytes;
		atomic_store_explicit(&w->progress, ops, memory_order_relaxed);
		if (t1 >= deadline || ops >= max_ops || atomic_load_explicit(&engine_stop, memory_order_relaxed))
			break;
		if (shape.paced) {
			due += (double)group_bytes * w->pace.ticks_per_byte + (double)group_ops * w->pace.ticks_per_op;
			if ((double)t1 > due + (double)slack)
				due = (double)t1 - (double)slack;
			uint64_t until = (uint64_t)due;
			if (w->pace.delay_ticks && t1 + w->pace.delay_ticks > until)
				until = t1 + w->pace.delay_ticks;
			wait_until(until, deadline);
		}
		continue;
stopped:
		/* a poisoned access: recovered (or skipped) and on to the next op, or the thread stops */
		if (r == POISON_HIT) {
			if (poison_hit(&w->pc) == 0 && timer_now() < deadline &&
			    !atomic_load_explicit(&engine_stop, memory_order_relaxed))
				continue;
			break;
		}
		/* WL_END: the workload has nothing left (an unfinished group is not counted) */
		rc = r == WL_END ? 0 : (int)r;
		break;
	}
	w->ops = ops;
	w->bytes = bytes;
	return rc;
}

/* Runs one phase until the deadline (ticks) or max_ops. */
static int run_phase(struct worker *w, uint64_t start, uint64_t deadline, uint64_t max_ops)
{
	const struct job_opts *o = &w->spec->o;
	if (o->rate || o->rate_iops || o->delay_ns)
		return run_loop(w, start, deadline, max_ops,
				(struct loop_shape){ o->lat_sample > 1 ? o->lat_sample - 1 : 0, 1, 1 });
	if (o->lat_batch > 1)
		return run_loop(w, start, deadline, max_ops, (struct loop_shape){ 0, o->lat_batch, 0 });
	if (o->lat_sample > 1)
		return run_loop(w, start, deadline, max_ops, (struct loop_shape){ o->lat_sample - 1, 1, 0 });
	return run_loop(w, start, deadline, max_ops, (struct loop_shape){ 0, 1, 0 });
}

/* Each thread paces its share of the job's rate. */
static void pace_init(struct worker *w)
{
	const struct job_opts *o = &w->spec->o;
	double ticks_per_s = timer.ticks_per_ns * 1e9, threads = (double)o->threads;
	w->pace = (struct pace){ 0 };
	if (o->rate)
		w->pace.ticks_per_byte = ticks_per_s * threads / (double)o->rate;
	if (o->rate_iops)
		w->pace.ticks_per_op = ticks_per_s * threads / (double)o->rate_iops;
	w->pace.delay_ticks = timer_ns_to_ticks(o->delay_ns);
}

static int warm_up(struct worker *w)
{
	const struct warmup *wu = &w->spec->o.warmup;
	if (!wu->ns && !wu->ops)
		return 0;
	uint64_t now = timer_now();
	uint64_t deadline = wu->ns ? now + timer_ns_to_ticks(wu->ns) : UINT64_MAX;
	int rc = run_phase(w, now, deadline, wu->ops ? wu->ops : UINT64_MAX);
	hist_reset(&w->lat);
	for (unsigned k = 0; k < w->ncls; k++)
		hist_reset(&w->cls[k]);
	timeline_reset(&w->tl);
	w->ops = w->bytes = 0;
	return rc;
}

void *worker_main(void *arg)
{
	struct worker *w = arg;
	const struct workload *wl = w->spec->wl;
	int gate;
	while ((gate = atomic_load(&w->sync->gate)) == 0)
		sched_yield();
	if (gate < 0)
		return NULL;
	if (w->cpu >= 0 && (w->setup_err = topo_pin_self(w->cpu)) != 0)
		w->cpu = -1;
	place_memory(&w->spec->o); /* before the workload faults or allocates anything */
	if (!w->setup_err && wl->thread_setup)
		w->setup_err = wl->thread_setup(&w->t);
	if (!w->setup_err && w->pj)
		poison_arm(&w->pc, w->pj, &w->t); /* after thread_setup: it may have chosen the op */
	pace_init(w);
	if (!w->setup_err)
		w->op_err = warm_up(w);
	pthread_barrier_wait(&w->sync->ready);
	pthread_barrier_wait(&w->sync->go);
	if (!w->setup_err && !w->op_err) {
		uint64_t start = w->sync->start;
		uint64_t max_ops = w->spec->o.ops ? w->spec->o.ops : UINT64_MAX;
		w->op_err = run_phase(w, start, start + w->sync->runtime_ticks, max_ops);
		w->end = timer_now();
		w->cpu_seen = sched_getcpu();
	}
	if (w->pj)
		poison_disarm();
	if (!w->setup_err && wl->thread_teardown)
		wl->thread_teardown(&w->t);
	return NULL;
}
