/* A workload's batch entry point (op_batch) does exactly what as many op() calls do: the same bytes,
 * the same random state or chase position afterwards, the same data copied last; and a poison job's
 * guard drops it, so every op of such a job is guarded. */
#include "testutil.h"
#include "workloads/workload.h"
#include "workloads/access.h"
#include "poison/poison.h"

#include <fcntl.h>

#define SIZE (1u << 20)

extern const struct workload wl_mmap, wl_chase;

static char path[128];

static void make_file(void)
{
	snprintf(path, sizeof(path), "%s", write_temp("batch.dat", ""));
	int fd = open(path, O_RDWR);
	assert_true(fd >= 0);
	static unsigned char b[SIZE];
	uint64_t rng = 5;
	for (unsigned i = 0; i < SIZE; i += 8) {
		uint64_t v = rng_next(&rng);
		memcpy(b + i, &v, 8);
	}
	assert_int_equal(pwrite(fd, b, SIZE, 0), SIZE);
	close(fd);
}

struct setup {
	struct job_opts o;
	void *wo;
	struct wl_job job;
	struct wl_thread t[2];
};

static void set_up(struct setup *s, const struct workload *wl, uint64_t bs)
{
	memset(s, 0, sizeof(*s));
	assert_int_equal(opt_set_defaults(job_opt_table, &s->o), 0);
	s->o.size = SIZE;
	s->o.bs = bs;
	s->o.pattern.kind = PATTERN_RAND;
	s->o.rw = (struct rw_mix){ RW_READ, 100 };
	s->wo = calloc(1, wl->opts_size + 1);
	if (wl->opts)
		assert_int_equal(opt_set_defaults(wl->opts, s->wo), 0);
	s->job = (struct wl_job){ .o = &s->o, .wo = s->wo, .path = path, .shown_path = path, .nthreads = 1, .dax = 0 };
	assert_int_equal(wl->job_setup(&s->job), WL_OK);
	for (int i = 0; i < 2; i++) {
		struct wl_thread *t = &s->t[i];
		*t = (struct wl_thread){ .job = &s->job, .rng = rng_seed(1, 0), .slice_len = SIZE / bs * bs, .op = wl->op };
		assert_int_equal(posix_memalign(&t->buf, 4096, bs), 0);
		memset(t->buf, 0, bs);
		assert_int_equal(wl->thread_setup(t), 0);
	}
}

static void tear_down(struct setup *s, const struct workload *wl)
{
	for (int i = 0; i < 2; i++)
		free(s->t[i].buf);
	wl->job_teardown(&s->job);
	free(s->wo);
}

/* n op() calls on t[0], one op_batch(n) on t[1]: everything the ops leave behind is the same */
static void same_as_ops(const struct workload *wl, uint64_t bs, uint64_t n)
{
	struct setup s;
	set_up(&s, wl, bs);
	assert_non_null(s.t[1].op_batch);
	long by_op = 0;
	for (uint64_t i = 0; i < n; i++)
		by_op += s.t[0].op(&s.t[0]);
	long by_batch = s.t[1].op_batch(&s.t[1], n);
	assert_int_equal(by_op, by_batch);
	assert_int_equal((long)(n * (wl == &wl_chase ? 64 : bs)), by_batch);
	assert_true(s.t[0].rng == s.t[1].rng);
	assert_ptr_equal(s.t[0].priv, s.t[1].priv);
	assert_memory_equal(s.t[0].buf, s.t[1].buf, bs);
	tear_down(&s, wl);
}

static void mmap_64_batch(void **state)
{
	(void)state;
	same_as_ops(&wl_mmap, 64, 1000);
}

static void mmap_8_and_4k_batch(void **state)
{
	(void)state;
	same_as_ops(&wl_mmap, 8, 333);
	same_as_ops(&wl_mmap, 4096, 63);
}

static void chase_batch(void **state)
{
	(void)state;
	same_as_ops(&wl_chase, 4096, 5000);
}

/* other sizes and patterns have no batch: the engine calls op() */
static void no_batch_where_not_specialised(void **state)
{
	(void)state;
	struct setup s;
	set_up(&s, &wl_mmap, 512);
	assert_null(s.t[0].op_batch);
	tear_down(&s, &wl_mmap);
}

static void poison_guard_drops_batch(void **state)
{
	(void)state;
	struct setup s;
	set_up(&s, &wl_mmap, 64);
	struct poison_job pj;
	memset(&pj, 0, sizeof(pj));
	struct poison_catch c;
	long (*specialised)(struct wl_thread *) = s.t[0].op;
	poison_arm(&c, &pj, &s.t[0]);
	poison_disarm();
	assert_null(s.t[0].op_batch);
	assert_true(s.t[0].op != specialised); /* the guard, in front of the specialised op */
	assert_ptr_equal(c.inner, specialised);
	tear_down(&s, &wl_mmap);
}

int main(void)
{
	make_file();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(mmap_64_batch),
		cmocka_unit_test(mmap_8_and_4k_batch),
		cmocka_unit_test(chase_batch),
		cmocka_unit_test(no_batch_where_not_specialised),
		cmocka_unit_test(poison_guard_drops_batch),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	unlink(path);
	*strrchr(path, '/') = '\0';
	rmdir(path);
	return rc;
}
