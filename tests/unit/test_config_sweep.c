/* Configs and sweeps: [global] inheritance, includes, --set, sweep expansion, and the error messages
 * that name the file and line. */
#include "testutil.h"
#include "config/config.h"
#include "run/jobs.h"
#include "workloads/workload.h"
#include "lib/util.h"

#include <sys/stat.h>

static void sweep_values(const char *opt, const char *text, const char *const *want, size_t n)
{
	const struct opt_def *d = opt_find(job_opt_table, opt);
	struct strlist l = { 0 };
	char err[256];
	assert_int_equal(sweep_expand(d, text, &l, err, sizeof(err)), 0);
	assert_int_equal(l.n, n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(l.v[i], want[i]);
	strlist_free(&l);
}

static void sweeps_expand(void **state)
{
	(void)state;
	static const char *const bs[] = { "64", "128", "256", "512", "1k", "2k", "4k", "8k", "16k", "32k", "64k", "128k",
					  "256k", "512k", "1m", "2m" };
	sweep_values("bs", "64:*2:2m", bs, 16);
	static const char *const th[] = { "1", "2", "4" };
	sweep_values("threads", "1,2,4", th, 3);
	static const char *const add[] = { "1", "3", "5" };
	sweep_values("threads", "1:+2:6", add, 3);
	static const char *const down[] = { "8", "4", "2", "1" };
	sweep_values("threads", "8:/2:1", down, 4);
	static const char *const mixed[] = { "1", "2", "4", "16" };
	sweep_values("threads", "1:*2:4,16", mixed, 4);
	static const char *const pat[] = { "seq", "rand" };
	sweep_values("pattern", "seq,rand", pat, 2);
	static const char *const times[] = { "100ms", "200ms", "300ms" };
	sweep_values("runtime", "100ms:+100ms:300ms", times, 3);
}

static void sweep_errors(void **state)
{
	(void)state;
	const struct opt_def *d = opt_find(job_opt_table, "bs");
	struct strlist l = { 0 };
	char err[256];
	assert_int_equal(sweep_expand(d, "2m:*2:64", &l, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "goes up"));
	strlist_free(&l);
	assert_int_equal(sweep_expand(d, "64:*1:2m", &l, err, sizeof(err)), -1);
	strlist_free(&l);
	assert_int_equal(sweep_expand(d, "64:%2:2m", &l, err, sizeof(err)), -1);
	strlist_free(&l);
	assert_int_equal(sweep_expand(d, "4k,,8k", &l, err, sizeof(err)), -1);
	strlist_free(&l);
}

/* Loads text as a config and builds its jobs; returns jobs_build's result. */
static int build(const char *text, struct cfg *c, struct job_list *jobs, const struct strlist *sets)
{
	const char *path = write_temp("x.ini", text);
	if (cfg_load(c, path))
		return -2;
	struct strlist none = { 0 };
	return jobs_build(c, sets ? sets : &none, jobs);
}

static void global_inherited_and_sweeps_make_jobs(void **state)
{
	(void)state;
	struct cfg c;
	struct job_list jobs;
	int rc = build("[global]\nsize = 1m\nruntime = 10ms\n\n[a]\nworkload = mmap\nbs = 4k,8k\nthreads = 1,2\n"
		       "[b]\nworkload = rw\nsize = 2m\n",
		       &c, &jobs, NULL);
	assert_int_equal(rc, 0);
	assert_int_equal(jobs.n, 5);
	assert_string_equal(jobs.j[0].name, "a[bs=4k,threads=1]");
	assert_string_equal(jobs.j[3].name, "a[bs=8k,threads=2]");
	assert_int_equal(jobs.j[3].o.bs, 8192);
	assert_int_equal(jobs.j[3].o.threads, 2);
	assert_int_equal(jobs.j[0].o.size, 1u << 20);
	assert_int_equal(jobs.j[4].o.size, 2u << 20);
	assert_string_equal(jobs.j[4].wl->name, "rw");
	assert_int_equal(jobs.j[4].o.runtime_ns, 10000000);
	jobs_free(&jobs);
	cfg_free(&c);
}

static void set_overrides_every_job(void **state)
{
	(void)state;
	struct cfg c;
	struct job_list jobs;
	struct strlist sets = { 0 };
	strlist_add(&sets, "bs=64");
	strlist_add(&sets, "persist=nt"); /* mmap only: rw jobs ignore it */
	int rc = build("[a]\nworkload = mmap\nbs = 4k\n[b]\nworkload = rw\n", &c, &jobs, &sets);
	assert_int_equal(rc, 0);
	assert_int_equal(jobs.j[0].o.bs, 64);
	assert_int_equal(jobs.j[1].o.bs, 64);
	jobs_free(&jobs);
	cfg_free(&c);
	strlist_free(&sets);
}

static void include_reads_other_file(void **state)
{
	(void)state;
	write_temp("common.ini", "size = 8m\nruntime = 20ms\n");
	struct cfg c;
	struct job_list jobs;
	int rc = build("[global]\ninclude = common.ini\n[a]\nworkload = chase\n", &c, &jobs, NULL);
	assert_int_equal(rc, 0);
	assert_int_equal(jobs.j[0].o.size, 8u << 20);
	jobs_free(&jobs);
	cfg_free(&c);
}

/* Each bad config must fail with a message naming file:line (or --set) and the reason. */
static void config_errors_name_file_and_line(void **state)
{
	(void)state;
	static const struct {
		const char *text, *want;
	} cases[] = {
		{ "[a]\nworkload = mmap\n\nbsz = 4k\n", "x.ini:4: unknown option 'bsz' (did you mean 'bs'?)" },
		{ "[a]\nworkload = mmap\npattern = random\n", "x.ini:3: pattern must be one of seq, rand, stride:N, not 'random'" },
		{ "[a]\nworkload = mmap\nsync = dsync\n", "x.ini:3: option 'sync' belongs to workload rw, not mmap" },
		{ "[a]\nworkload = chase\nbs = 64\n", "x.ini:3: option 'bs' does not apply to workload chase" },
		{ "[a]\nworkload = nope\n", "x.ini:2: workload must be one of mmap, rw, chase, reflink" },
		{ "[a]\nthis line has no equals\n", "x.ini:2: not 'key = value' nor '[section]'" },
		{ "bs = 4k\n[a]\n", "x.ini:1: 'bs' stands before any [section]" },
		{ "[a]\ninclude = missing.ini\n", "x.ini:2: cannot include" },
		{ "[a]\nsize = 8k\nbs = 64k\n", "[a]: size 8192 split over 1 threads leaves slices smaller than bs 65536" },
		{ "[a]\nworkload = rw\ndirect = 1\nbs = 100\n", "direct = 1 needs bs to be a multiple of 512" },
		{ "[a]\nbs = 2m:*2:64\n", "x.ini:2: bs: range 2m:*2:64 goes up but ends at 64" },
		{ "[global]\nsize = 1m\n", "no job sections" },
		{ "[a]\nfile = ../../etc/passwd\n", "x.ini:2: file must be a plain file name inside the target directory" },
		{ "[a]\nworkload = fault\ntouch = hole\nverify = 1\n",
		  "[a]: verify = 1 checks 4 KiB verify blocks, and touch = hole punches them out" },
		{ "[a]\nbs = 4k\nworkload = mmap\nbs = 8k\n", "x.ini:4: 'bs' again in [a] (first at line 2)" },
		{ "[a]\nbs =   \n", "x.ini:2: bs has no value (write one, or remove the line)" },
		{ "[a]\nsize = 4g\nbs = 1:+1:4096\nthreads = 1:+1:1024\nruntime = 1ms:+1ms:4096ms\n",
		  "x.ini:1: [a] expands to 17179869184 jobs, more than 100000" },
		{ "[a]\nthreads = 0\n", "x.ini:2: threads = 0 is out of range 1..1024" },
		{ "[a]\nthreads = 100000\n", "x.ini:2: threads = 100000 is out of range 1..1024" },
		{ "[a]\nsize = 0\n", "x.ini:2: size = 0 is out of range 4k..4t" },
		{ "[a]\nbs = -4k\n", "x.ini:2: bs must be a size such as 4k, 2m or 1g, not '-4k'" },
		{ "[a]\nseed = 99999999999999999999\n", "x.ini:2: seed = '99999999999999999999' is too large" },
		{ "[a]\nsize = 16777216t\n", "x.ini:2: size = '16777216t' is too large" },
		{ "[a]\n = 4k\n", "x.ini:2: a value without a key" },
		{ "[a] junk\nbs = 4k\n", "x.ini:1: text after the section name: ' junk'" },
		{ "[a]\nops = 1\nlat_batch = 1000\n", "[a]: ops = 1 is not a multiple of lat_batch = 1000" },
		{ "[a]\nops = 1500\nlat_sample = 1000\n", "[a]: ops = 1500 is not a multiple of lat_sample = 1000" },
		{ "[GLOBAL]\nsize = 1m\n[a]\n", "x.ini:1: [GLOBAL]: section names are case-sensitive; the inherited one is [global]" },
		{ "[a]\npercentiles = 50,99,50\n", "x.ini:2: percentiles: percentile 50 is listed twice" },
		{ "[a]\npercentiles = 99.99999999\n",
		  "x.ini:2: percentiles: percentile 99.99999999 has more digits than a result names it by (100)" },
		{ "; only a comment\n", "x.ini: no job sections (not one [section] in it)" },
		{ "[xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx]\nworkload = mmap\nsize = 64m,128m\n"
		  "seed = 18446744073709551615,18446744073709551614\nops = 1000000000000,2000000000000\nthreads = 1,2\n"
		  "bs = 4k,8k\npattern = stride:12345678k,seq\nruntime = 86399999ms,100ms\nwindow = 3599999ms,100ms\n"
		  "repeat = 1,2\nkeep = 0,1\n",
		  "x.ini:1: [xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx]: the swept values make a job name longer than 192" },
		{ "[a]\ninclude = /dev/zero\n", "x.ini:2: cannot include '/dev/zero': a character device, not a regular file" },
		{ "[a]\ninclude = /tmp\n", "x.ini:2: cannot include '/tmp': a directory, not a regular file" },
		{ "[a]\ninclude = x.ini\n", "(an include cycle)" },
		{ "[a]\n[b]\n[a]\nbs = 4k\n", "x.ini:3: section [a] again (first at " },
		{ "[]\nbs = 4k\n", "x.ini:1: empty section name '[]'" },
		{ "[a-section-name-that-is-much-longer-than-the-buffer-1]\n[a-section-name-that-is-much-longer-than-the-buffer-2]\n",
		  "x.ini:1: section name longer than 49 characters" },
		{ "[a]\nbs = 4k\n\xff\xfe = 1\n", "line 3: not UTF-8 text (byte 0xff)" },
		{ "[a]\nworkload = mmap\ncpus = 0", "x.ini:3: line longer than 198 characters" }, /* made long below */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cfg c;
		struct job_list jobs;
		int rc;
		char *text = xstrdup(cases[i].text);
		if (strstr(cases[i].want, "line longer")) {
			/* libinih would read the rest of a line longer than its buffer as a line of its own */
			for (int k = 0; k < 2000; k++) {
				char *t = xasprintf("%s,0", text);
				free(text);
				text = t;
			}
		}
		CAPTURE_STDERR(rc = build(text, &c, &jobs, NULL));
		free(text);
		if (rc == 0 || !strstr(captured, cases[i].want))
			fail_msg("case %zu: rc %d, stderr '%s', wanted '%s'", i, rc, captured, cases[i].want);
		/* one line, naming the file */
		assert_non_null(strstr(captured, "daxperf: "));
		if (strchr(captured, '\n') != captured + strlen(captured) - 1)
			fail_msg("case %zu: not one line: %s", i, captured);
		if (rc != -2)
			cfg_free(&c);
	}
}

/* The config file itself: no FIFO that blocks, no device read until memory runs out. */
static void config_file_must_be_regular_and_small(void **state)
{
	(void)state;
	static const struct {
		const char *path, *want;
	} cases[] = {
		{ "/dev/zero", "/dev/zero: cannot read config: a character device, not a regular file" },
		{ "/tmp", "/tmp: cannot read config: a directory, not a regular file" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cfg c;
		int rc;
		CAPTURE_STDERR(rc = cfg_load(&c, cases[i].path));
		assert_int_equal(rc, -1);
		if (!strstr(captured, cases[i].want))
			fail_msg("%s: '%s'", cases[i].path, captured);
	}
	const char *fifo = write_temp("fifo.ini", "");
	unlink(fifo);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	struct cfg c;
	int rc;
	CAPTURE_STDERR(rc = cfg_load(&c, fifo));
	assert_int_equal(rc, -1);
	assert_non_null(strstr(captured, "fifo.ini: cannot read config: a FIFO, not a regular file"));
	char *big = xcalloc(1, (1u << 20) + 2);
	memset(big, ';', (1u << 20) + 1);
	const char *path = write_temp("big.ini", big);
	free(big);
	CAPTURE_STDERR(rc = cfg_load(&c, path));
	assert_int_equal(rc, -1);
	assert_non_null(strstr(captured, "big.ini: cannot read config: 1048577 bytes, more than a config may have"));
	/* a 1 MiB file included again and again: the whole config is capped, and read in linear time */
	char *lines = xcalloc(1, 1000001);
	memset(lines, ';', 1000000); /* comment lines of 49 ';' */
	for (size_t k = 49; k < 1000000; k += 50)
		lines[k] = '\n';
	write_temp("b1m.ini", lines);
	free(lines);
	CAPTURE_STDERR(rc = cfg_load(&c, write_temp("many.ini", "[a]\ninclude = b1m.ini\ninclude = b1m.ini\n"
							       "include = b1m.ini\ninclude = b1m.ini\ninclude = b1m.ini\n")));
	assert_int_equal(rc, -1);
	if (!strstr(captured, "many.ini:6: cannot include") || !strstr(captured, "the config and its includes pass 4194304 bytes"))
		fail_msg("'%s'", captured);
	CAPTURE_STDERR(rc = cfg_load(&c, write_temp("three.ini", "[a]\ninclude = b1m.ini\ninclude = b1m.ini\ninclude = b1m.ini\n")));
	if (rc)
		fail_msg("'%s'", captured);
	assert_int_equal(c.text_len, strlen(c.text));
	assert_true(c.text_len > 3000000);
	cfg_free(&c);
	/* two files that include each other */
	write_temp("p.ini", "[a]\ninclude = q.ini\n");
	write_temp("q.ini", "bs = 4k\ninclude = p.ini\n");
	CAPTURE_STDERR(rc = cfg_load(&c, write_temp("top.ini", "[b]\ninclude = p.ini\n")));
	assert_int_equal(rc, -1);
	assert_non_null(strstr(captured, "q.ini:2: cannot include"));
	assert_non_null(strstr(captured, "p.ini, which is being read (an include cycle)"));
}

/* A section without keys is a job with [global]'s options; an indented key is a key, not a
 * continuation of the line before; [global] may stand twice. */
static void keyless_sections_run(void **state)
{
	(void)state;
	struct cfg c;
	struct job_list jobs;
	int rc = build("[global]\nworkload = rw\nsize = 1m\n[a]\n[b]\nworkload = mmap\n  bs = 8k\n[global]\nruntime = 10ms\n"
		       "[c]\n", &c, &jobs, NULL);
	assert_int_equal(rc, 0);
	assert_int_equal(jobs.n, 3);
	assert_string_equal(jobs.j[0].name, "a");
	assert_string_equal(jobs.j[0].wl->name, "rw");
	assert_int_equal(jobs.j[0].o.size, 1u << 20);
	assert_int_equal(jobs.j[0].o.runtime_ns, 10000000);
	assert_string_equal(jobs.j[1].wl->name, "mmap");
	assert_int_equal(jobs.j[1].o.bs, 8192);
	assert_string_equal(jobs.j[2].name, "c");
	jobs_free(&jobs);
	cfg_free(&c);
}

static void set_errors(void **state)
{
	(void)state;
	struct cfg c;
	struct job_list jobs;
	struct strlist sets = { 0 };
	strlist_add(&sets, "treads=2");
	int rc;
	CAPTURE_STDERR(rc = build("[a]\n", &c, &jobs, &sets));
	assert_int_equal(rc, -1);
	assert_non_null(strstr(captured, "--set treads=2: unknown option 'treads' (did you mean 'threads'?)"));
	cfg_free(&c);
	strlist_free(&sets);
	/* an option that no job of the config takes is an error too, not a silent no-op */
	static const struct {
		const char *set, *want;
	} unused[] = {
		{ "persist=nt", "--set persist=nt: no job of x has option 'persist' (it belongs to workload mmap)" },
		{ "bs=64", "--set bs=64: no job of x has option 'bs' (its workloads ignore it)" },
		{ "cpus=0-1023", "--set cpus=0-1023: cpus: CPUs " },
	};
	for (size_t i = 0; i < sizeof(unused) / sizeof(unused[0]); i++) {
		struct strlist one = { 0 };
		strlist_add(&one, unused[i].set);
		CAPTURE_STDERR(rc = build("[a]\nworkload = chase\n[b]\nworkload = chase\n", &c, &jobs, &one));
		assert_int_equal(rc, -1);
		if (!strstr(captured, unused[i].want))
			fail_msg("--set %s: '%s'", unused[i].set, captured);
		cfg_free(&c);
		strlist_free(&one);
	}
	struct strlist twice = { 0 };
	strlist_add(&twice, "bs=4k");
	strlist_add(&twice, "bs=8k");
	CAPTURE_STDERR(rc = build("[a]\nworkload = mmap\n", &c, &jobs, &twice));
	assert_int_equal(rc, -1);
	assert_non_null(strstr(captured, "--set bs=8k: bs is set twice on the command line (the first was --set bs=4k)"));
	cfg_free(&c);
	strlist_free(&twice);
	CAPTURE_STDERR(rc = build("[a]\nworkload = mmap\ncpus = 1023\n", &c, &jobs, NULL));
	assert_int_equal(rc, -1);
	assert_non_null(strstr(captured, "x.ini:3: cpus: CPU 1023 is not online or not allowed to this process (it may use "));
	cfg_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sweeps_expand),
		cmocka_unit_test(sweep_errors),
		cmocka_unit_test(global_inherited_and_sweeps_make_jobs),
		cmocka_unit_test(set_overrides_every_job),
		cmocka_unit_test(include_reads_other_file),
		cmocka_unit_test(config_errors_name_file_and_line),
		cmocka_unit_test(set_errors),
		cmocka_unit_test(config_file_must_be_regular_and_small),
		cmocka_unit_test(keyless_sections_run),
	};
	return cmocka_run_group_tests_name("config_sweep", tests, NULL, NULL);
}
