/* `daxperf kernels CONFIG --kernels A,B`: one config on several kernels in the lab, N fresh boots
 * each, results side by side in OUT/KERNEL/boot-N/ (result.json, dmesg.txt, kernel_events.json).
 * The machine is scripts/lab's: this runs it once per kernel and boot, and writes OUT/kernels.json,
 * the map from kernel to result directories that a comparison reads. */
#include "cli/commands.h"
#include "lib/paths.h"
#include "lib/util.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char usage_text[] =
	"usage: daxperf kernels CONFIG --kernels A,B[,...] [--boots N] [--output OUT] [run options] [lab options]\n"
	"\n"
	"Runs `daxperf run CONFIG` in the lab (daxperf lab) on each kernel, with the same lab options,\n"
	"in N fresh boots per kernel. A kernel is a Debian version (6.1, 6.12, 6.1.0-47, 6.12.118+deb12:\n"
	"fetched once) or a vmlinuz path. Each boot's result.json lands in OUT/KERNEL/boot-N/ with the\n"
	"guest's dmesg.txt and kernel_events.json (the kernel's WARN / BUG / OOPS / PANIC / HUNG /\n"
	"MEMORY_FAILURE reports, each with the job it happened in); OUT/kernels.json lists them all.\n"
	"\n"
	"  --kernels A,B      the kernels, in order (the first is the base of the comparison)\n"
	"  --boots N          fresh boots per kernel, for boot-to-boot variance       [1]\n"
	"  --output OUT       where the results go [results/kernels/CONFIG-STAMP-HOST]\n"
	"  lab options        --fs --dax --no-dax-flag --pmem --mem --numa --pmem-node --timeout\n"
	"                     --panic-on-oops (daxperf lab --help)\n"
	"  run options        everything else goes to daxperf run (--set, --format ...)\n"
	"\n"
	"Timings in the lab are emulated (TCG): compare behaviour and kernel reports, not speeds.\n"
	"Exit status: 0 every boot's run exited 0; else the first non-zero status; 2 bad usage;\n"
	"3 a kernel that cannot be had (nothing boots).\n";

struct lab_opt {
	const char *name;
	bool takes_value;
};
/* The options scripts/lab takes that make sense for every kernel alike. */
static const struct lab_opt lab_opts[] = {
	{ "--fs", true }, { "--dax", true }, { "--no-dax-flag", false }, { "--pmem", true },
	{ "--mem", true }, { "--numa", true }, { "--pmem-node", true }, { "--timeout", true },
	{ "--panic-on-oops", false },
};

struct kernel {
	char *arg;   /* as given */
	char *name;  /* directory name under OUT */
	char kver[128];
	char path[PATH_MAX];
};

static const struct lab_opt *lab_opt_named(const char *s)
{
	for (size_t i = 0; i < ARRAY_SIZE(lab_opts); i++)
		if (!strcmp(s, lab_opts[i].name))
			return &lab_opts[i];
	return NULL;
}

/* Runs argv; its stdout into out (NULL: inherited). The exit status, 128+signal, or -1.
 * A Ctrl-C reaches the lab (which stops its machine and exits 130); this process outlives it to
 * write what was done. */
static int run_child(char *const argv[], char *out, size_t outlen)
{
	int fd[2] = { -1, -1 };
	if (out && pipe(fd))
		return error("kernels: pipe: %s", strerror(errno));
	fflush(NULL);
	struct sigaction ign = { .sa_handler = SIG_IGN }, old_int, old_term;
	sigaction(SIGINT, &ign, &old_int);
	sigaction(SIGTERM, &ign, &old_term);
	pid_t pid = fork();
	if (pid < 0) {
		sigaction(SIGINT, &old_int, NULL);
		sigaction(SIGTERM, &old_term, NULL);
		return error("kernels: fork: %s", strerror(errno));
	}
	if (pid == 0) {
		sigaction(SIGINT, &old_int, NULL);
		sigaction(SIGTERM, &old_term, NULL);
		if (out) {
			dup2(fd[1], 1);
			close(fd[0]);
			close(fd[1]);
		}
		execv(argv[0], argv);
		fprintf(stderr, "daxperf: kernels: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (out) {
		close(fd[1]);
		size_t n = 0;
		char sink[256];
		ssize_t r;
		/* read to the end (a child never blocks on a full pipe); keep what fits */
		while ((r = read(fd[0], n < outlen - 1 ? out + n : sink, n < outlen - 1 ? outlen - 1 - n : sizeof(sink))) > 0 ||
		       (r < 0 && errno == EINTR))
			if (r > 0 && n < outlen - 1)
				n += (size_t)r;
		out[n] = '\0';
		close(fd[0]);
	}
	int st, rc;
	while ((rc = waitpid(pid, &st, 0)) < 0 && errno == EINTR)
		;
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	if (rc < 0)
		return error("kernels: waitpid: %s", strerror(errno));
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* A directory name for a kernel: the version as given, a path's file name; anything else '_'. */
static char *dir_name(const char *arg)
{
	const char *base = strrchr(arg, '/') ? strrchr(arg, '/') + 1 : arg;
	if (!strncmp(base, "vmlinuz-", 8) && base[8])
		base += 8;
	char *s = xstrdup(*base ? base : "kernel");
	for (char *p = s; *p; p++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._+-", *p))
			*p = '_';
	if (s[0] == '.')
		s[0] = '_';
	return s;
}

static int mkdirs(const char *path)
{
	char buf[PATH_MAX];
	if (!fmt_into(buf, sizeof(buf), "%s", path))
		return error("kernels: path too long: %s", path);
	for (char *p = buf + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			if (mkdir(buf, 0755) && errno != EEXIST)
				return error("kernels: mkdir %s: %s", buf, strerror(errno));
			*p = '/';
		}
	if (mkdir(buf, 0755) && errno != EEXIST)
		return error("kernels: mkdir %s: %s", buf, strerror(errno));
	return 0;
}

/* Counts of the kernel's reports in DIR/kernel_events.json by kind, as an object; NULL when absent. */
static json_t *event_counts(const char *dir)
{
	char path[PATH_MAX];
	if (!fmt_into(path, sizeof(path), "%s/kernel_events.json", dir))
		return NULL;
	json_t *events = json_load_file(path, 0, NULL);
	if (!json_is_array(events)) {
		json_decref(events);
		return NULL;
	}
	json_t *counts = json_object();
	size_t i;
	json_t *e;
	json_array_foreach(events, i, e) {
		const char *kind = json_string_value(json_object_get(e, "kind"));
		if (!kind)
			continue;
		json_int_t n = json_integer_value(json_object_get(counts, kind));
		json_object_set_new(counts, kind, json_integer(n + 1));
	}
	json_decref(events);
	return counts;
}

/* Adds each distinct report of DIR/kernel_events.json ("BUG at fs/inode.c:657 in clear_inode") to
 * seen, counting the boots it appeared in: what differs between kernels, in one line each. */
static void add_distinct_reports(const char *dir, json_t *seen)
{
	char path[PATH_MAX];
	if (!fmt_into(path, sizeof(path), "%s/kernel_events.json", dir))
		return;
	json_t *events = json_load_file(path, 0, NULL), *here = json_object();
	size_t i;
	json_t *e;
	json_array_foreach(events, i, e) {
		const char *kind = json_string_value(json_object_get(e, "kind"));
		const char *loc = json_string_value(json_object_get(e, "location"));
		const char *fn = json_string_value(json_object_get(e, "function"));
		if (!kind)
			continue;
		char key[512];
		fmt_into(key, sizeof(key), "%s%s%s%s%s", kind, loc ? " at " : "", loc ? loc : "", fn ? " in " : "", fn ? fn : "");
		json_object_set_new(here, key, json_true());
	}
	const char *key;
	json_t *v;
	json_object_foreach(here, key, v) {
		json_int_t n = json_integer_value(json_object_get(seen, key));
		json_object_set_new(seen, key, json_integer(n + 1));
	}
	json_decref(here);
	json_decref(events);
}

/* "1 WARN, 1 BUG" from event_counts(), or "none". */
static void describe_counts(json_t *counts, char *buf, size_t len)
{
	buf[0] = '\0';
	const char *key;
	json_t *v;
	size_t used = 0;
	json_object_foreach(counts, key, v) {
		int n = snprintf(buf + used, len - used, "%s%lld %s", used ? ", " : "", (long long)json_integer_value(v), key);
		if (n < 0 || (size_t)n >= len - used)
			break;
		used += (size_t)n;
	}
	if (!used)
		fmt_into(buf, len, "none");
}

static int write_json_atomic(json_t *root, const char *dir, const char *name)
{
	char tmp[PATH_MAX], path[PATH_MAX];
	if (!fmt_into(path, sizeof(path), "%s/%s", dir, name) || !fmt_into(tmp, sizeof(tmp), "%s.tmp", path))
		return error("kernels: path too long: %s", dir);
	if (json_dump_file(root, tmp, JSON_INDENT(1)) || rename(tmp, path)) {
		unlink(tmp);
		return error("kernels: cannot write %s: %s", path, strerror(errno));
	}
	return 0;
}

/* true when dir does not exist or holds nothing (a result directory is never mixed with an older one) */
static bool dir_empty_or_missing(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return errno == ENOENT;
	struct dirent *e;
	bool empty = true;
	while (empty && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			empty = false;
	closedir(d);
	return empty;
}

/* "--kernels A,B": fills ks (at most max), *n counting what it allocated (the caller frees them
 * all, on error too); 0, or -1 after an error. */
static int split_kernels(const char *list, struct kernel *ks, int max, int *n_out)
{
	char *copy = xstrdup(list), *save = NULL;
	int n = 0;
	for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		tok = trim(tok);
		if (!*tok)
			continue;
		if (n == max) {
			free(copy);
			return error("kernels: --kernels: at most %d kernels", max);
		}
		ks[n].arg = xstrdup(tok);
		ks[n].name = dir_name(tok);
		*n_out = n + 1;
		for (int i = 0; i < n; i++)
			if (!strcmp(ks[i].name, ks[n].name)) {
				error("kernels: --kernels: '%s' named twice", tok);
				free(copy);
				return -1;
			}
		n++;
	}
	free(copy);
	if (!n)
		return error("kernels: --kernels needs at least one kernel (like --kernels 6.1,6.12)");
	return 0;
}

#define MAX_KERNELS 16
#define MAX_ARGS 256

static int kernels_run(int argc, char **argv, struct kernel *ks, int *nk_out);

int cmd_kernels(int argc, char **argv)
{
	struct kernel ks[MAX_KERNELS];
	int nk = 0;
	int rc = kernels_run(argc, argv, ks, &nk);
	for (int k = 0; k < nk; k++) {
		free(ks[k].arg);
		free(ks[k].name);
	}
	return rc;
}

/* cmd_kernels without the freeing of ks[0 .. *nk_out). */
static int kernels_run(int argc, char **argv, struct kernel *ks, int *nk_out)
{
	const char *config = NULL, *list = NULL, *output = NULL;
	long boots = 1;
	char *lab_args[MAX_ARGS], *run_args[MAX_ARGS];
	int nlab = 0, nrun = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const struct lab_opt *lo = lab_opt_named(a);
		bool has_value = i + 1 < argc;
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			fputs(usage_text, stdout);
			return 0;
		} else if (!strcmp(a, "--kernels") || !strcmp(a, "--boots") || !strcmp(a, "--output")) {
			if (!has_value)
				return error("kernels: %s needs a value (daxperf kernels --help)", a), 2;
			const char *v = argv[++i];
			if (!strcmp(a, "--kernels"))
				list = v;
			else if (!strcmp(a, "--output"))
				output = v;
			else {
				char *end;
				boots = strtol(v, &end, 10);
				if (*end || boots < 1 || boots > 100)
					return error("kernels: --boots must be 1 to 100, not '%s'", v), 2;
			}
		} else if (lo) {
			if (lo->takes_value && !has_value)
				return error("kernels: %s needs a value (daxperf lab --help)", a), 2;
			if (nlab + 2 >= MAX_ARGS)
				return error("kernels: too many arguments"), 2;
			lab_args[nlab++] = argv[i];
			if (lo->takes_value)
				lab_args[nlab++] = argv[++i];
		} else if (!config && a[0] != '-') {
			config = a;
		} else {
			if (nrun + 1 >= MAX_ARGS)
				return error("kernels: too many arguments"), 2;
			run_args[nrun++] = argv[i];
		}
	}
	if (!config)
		return error("kernels: no config: daxperf kernels CONFIG --kernels A,B (daxperf kernels --help)"), 2;
	if (!list)
		return error("kernels: no kernels: add --kernels A,B (like --kernels 6.1,6.12; daxperf lab --kernels lists them)"), 2;
	char config_found[PATH_MAX], config_path[PATH_MAX];
	if (resolve_config(config, config_found, sizeof(config_found)))
		return 2;
	/* the guest runs in the same directory, but kernels.json is read from anywhere */
	if (!realpath(config_found, config_path))
		return error("kernels: %s: %s", config_found, strerror(errno)), 2;
	if (split_kernels(list, ks, MAX_KERNELS, nk_out))
		return 2;
	int nk = *nk_out;

	char script[PATH_MAX], self[PATH_MAX];
	ssize_t sl = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (sl <= 0)
		return error("kernels: /proc/self/exe: %s", strerror(errno)), 3;
	self[sl] = '\0';
	if (!fmt_into(script, sizeof(script), "%s/scripts/lab", daxperf_home()) || access(script, X_OK))
		return error("kernels: %s: %s", script, strerror(errno)), 3;

	char outdir[PATH_MAX], config_name[NAME_MAX + 1], stamp_name[NAME_MAX + 32];
	if (output) {
		if (!fmt_into(outdir, sizeof(outdir), "%s", output))
			return error("kernels: --output too long"), 2;
	} else {
		const char *base = strrchr(config_path, '/') ? strrchr(config_path, '/') + 1 : config_path;
		fmt_into(config_name, sizeof(config_name), "%s", base);
		char *dot = strrchr(config_name, '.');
		if (dot && !strcmp(dot, ".ini"))
			*dot = '\0';
		char stamp[32];
		time_t now = time(NULL);
		struct tm tm;
		gmtime_r(&now, &tm);
		strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
		fmt_into(stamp_name, sizeof(stamp_name), "%s-%s", config_name, stamp);
		default_result_dir("kernels", stamp_name, outdir, sizeof(outdir));
	}
	if (!dir_empty_or_missing(outdir))
		return error("kernels: --output %s: not an empty directory (results are never mixed with older ones)", outdir), 2;
	/* every kernel is had (fetched, its drivers checked) before the first boot */
	for (int k = 0; k < nk; k++) {
		char *argv_r[MAX_ARGS + 8], out[PATH_MAX + 256];
		int n = 0;
		argv_r[n++] = script;
		argv_r[n++] = "--kernel";
		argv_r[n++] = ks[k].arg;
		for (int i = 0; i < nlab; i++)
			argv_r[n++] = lab_args[i];
		argv_r[n++] = "--resolve-kernel";
		argv_r[n] = NULL;
		int rc = run_child(argv_r, out, sizeof(out));
		if (rc)
			return rc < 0 ? 3 : rc; /* the lab said why, in one line */
		if (sscanf(out, "%127s %4095s", ks[k].kver, ks[k].path) != 2)
			return error("kernels: %s: unexpected answer from %s --resolve-kernel: %s", ks[k].arg, script, out), 3;
	}

	if (mkdirs(outdir))
		return 3;

	json_t *root = json_object(), *jks = json_array();
	json_object_set_new(root, "config", json_string(config_path));
	json_object_set_new(root, "boots", json_integer(boots));
	json_object_set_new(root, "emulated", json_true());
	json_object_set_new(root, "kernels", jks);
	int first_bad = 0;
	bool interrupted = false;
	for (int k = 0; k < nk && !interrupted; k++) {
		json_t *jk = json_object(), *jboots = json_array();
		json_object_set_new(jk, "name", json_string(ks[k].name));
		json_object_set_new(jk, "requested", json_string(ks[k].arg));
		json_object_set_new(jk, "kernel", json_string(ks[k].kver));
		json_object_set_new(jk, "path", json_string(ks[k].path));
		json_object_set_new(jk, "dir", json_string(ks[k].name));
		json_object_set_new(jk, "boots", jboots);
		json_t *reports = json_object();
		json_object_set_new(jk, "kernel_reports", reports);
		json_array_append_new(jks, jk);
		for (long b = 1; b <= boots; b++) {
			char dir[PATH_MAX], rel[NAME_MAX + 32];
			fmt_into(rel, sizeof(rel), "%s/boot-%ld", ks[k].name, b);
			if (!fmt_into(dir, sizeof(dir), "%s/%s", outdir, rel) || mkdirs(dir))
				return json_decref(root), 3;
			fprintf(stderr, "daxperf: kernels: %s (%s), boot %ld of %ld -> %s\n", ks[k].arg, ks[k].kver, b, boots, dir);
			char *av[2 * MAX_ARGS + 16];
			int n = 0;
			av[n++] = script;
			av[n++] = "--kernel";
			av[n++] = ks[k].path;
			for (int i = 0; i < nlab; i++)
				av[n++] = lab_args[i];
			av[n++] = "--output";
			av[n++] = dir;
			av[n++] = "--";
			av[n++] = self;
			av[n++] = "run";
			av[n++] = config_path;
			for (int i = 0; i < nrun; i++)
				av[n++] = run_args[i];
			av[n++] = "--output";
			av[n++] = dir;
			av[n] = NULL;
			int rc = run_child(av, NULL, 0);
			json_t *jb = json_object(), *counts = event_counts(dir);
			char result[PATH_MAX + 16], said[256];
			fmt_into(result, sizeof(result), "%s/result.json", dir);
			json_object_set_new(jb, "dir", json_string(rel));
			json_object_set_new(jb, "status", json_integer(rc));
			json_object_set_new(jb, "result", json_boolean(access(result, R_OK) == 0));
			json_object_set_new(jb, "kernel_events", counts ? counts : json_null());
			json_array_append_new(jboots, jb);
			add_distinct_reports(dir, reports);
			describe_counts(counts, said, sizeof(said));
			fprintf(stderr, "daxperf: kernels: %s boot %ld: exit %d, %s, kernel reports: %s\n", ks[k].name, b, rc,
				access(result, R_OK) == 0 ? "result.json written" : "no result.json", counts ? said : "no kernel log");
			if (rc && !first_bad)
				first_bad = rc < 0 ? 3 : rc;
			if (rc == 130) {
				interrupted = true;
				break;
			}
		}
	}
	/* what a comparison runs next: each kernel's directory holds its boot-N results */
	char diff[PATH_MAX * 2] = "daxperf diff";
	for (int k = 0; k < nk; k++) {
		size_t used = strlen(diff);
		fmt_into(diff + used, sizeof(diff) - used, " %s/%s", outdir, ks[k].name);
	}
	json_object_set_new(root, "next", json_string(diff));
	/* side by side: per kernel, its exit statuses and each distinct kernel report with its boots */
	size_t ki;
	json_t *jk;
	json_array_foreach(jks, ki, jk) {
		json_t *jboots = json_object_get(jk, "boots"), *jb;
		size_t bi, nb = json_array_size(jboots), ok = 0;
		json_array_foreach(jboots, bi, jb)
			ok += json_integer_value(json_object_get(jb, "status")) == 0;
		fprintf(stderr, "daxperf: kernels: %s (%s): %zu of %zu boots exited 0\n",
			json_string_value(json_object_get(jk, "name")), json_string_value(json_object_get(jk, "kernel")), ok, nb);
		const char *key;
		json_t *v;
		json_object_foreach(json_object_get(jk, "kernel_reports"), key, v)
			fprintf(stderr, "daxperf: kernels:     %s (in %lld of %zu boots)\n", key, (long long)json_integer_value(v), nb);
	}
	int wrc = write_json_atomic(root, outdir, "kernels.json");
	json_decref(root);
	if (wrc)
		return 3;
	fprintf(stderr, "daxperf: kernels: results in %s (kernels.json lists them)%s\n", outdir,
		interrupted ? "; interrupted" : "");
	if (nk > 1 && !interrupted) {
		/* the comparison beside the results: the first kernel is the base, diff.json in OUT/diff */
		char **dargs = xcalloc((size_t)nk + 4, sizeof(char *));
		int na = 0;
		dargs[na++] = "diff";
		for (int k = 0; k < nk; k++)
			dargs[na++] = xasprintf("%s/%s", outdir, ks[k].name);
		char *dout = xasprintf("%s/diff", outdir);
		dargs[na++] = "--output";
		dargs[na++] = dout;
		fprintf(stderr, "daxperf: kernels: the comparison (also in %s/diff.json): %s\n", dout, diff);
		fflush(stderr);
		cmd_diff(na, dargs);
		for (int k = 0; k < nk; k++)
			free(dargs[1 + k]);
		free(dout);
		free(dargs);
	}
	return first_bad;
}
