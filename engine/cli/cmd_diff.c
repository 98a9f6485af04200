/*
 * `daxperf diff BASE NEW [NEW...]`: what changed between result directories (two kernels, two hosts,
 * two option sets, two builds). Arguments, printing and the exit status; the comparison is
 * diff_compute's, and what is printed is read from its JSON, so the two never disagree.
 */
#include "cli/commands.h"
#include "plot/plot.h"
#include "result/diff.h"
#include "result/report.h"
#include "result/result.h"
#include "lib/units.h"
#include "lib/util.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char diff_usage[] =
	"usage: daxperf diff BASE NEW [NEW...] [options]\n"
	"\n"
	"Compares results job by job: behaviour first (status, verification, SIGBUS/EIO, poison,\n"
	"placement, PMD faults, new kernel WARNING/BUG/Oops), then ops/s, MB/s, mean, p50, p99 and\n"
	"p99.9 of each NEW against BASE: the change, its 95% confidence interval from the rounds, and a\n"
	"verdict. Each side is a result.json, a result directory, or a directory of result directories\n"
	"(boot-1/ boot-2/ ...: their rounds pooled). Jobs are matched by name and compared only when\n"
	"every effective option, the filesystem and the DAX mode agree; differences are named.\n"
	"\n"
	"  --threshold PCT         smallest change that counts (default 1)\n"
	"  --fail-on regressed[:PCT]  exit 1 on a significant regression of PCT% or more (default the\n"
	"                          threshold), a job newly failed or crashed, a new verification failure\n"
	"                          or a new kernel WARNING/BUG/Oops; 125 when nothing could be compared\n"
	"  --format human|json     (default human)\n"
	"  --output DIR            also write DIR/diff.json\n"
	"  --plot                  and per job a figure of the changes with CI whiskers (gnuplot) in DIR\n"
	"  -h, --help              this help\n";

static const char *jstr(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

static double jnum(json_t *o, const char *key)
{
	return json_number_value(json_object_get(o, key));
}

static void format_value(const char *key, double v, char *buf, size_t len)
{
	if (!strcmp(key, "bytes_per_sec"))
		snprintf(buf, len, "%.1f", v / 1e6);
	else if (!strcmp(key, "ops_per_sec"))
		format_si(v, buf, len);
	else
		format_latency(v, buf, len);
}

static void print_side_line(const char *role, json_t *s)
{
	size_t n = json_array_size(json_object_get(s, "results"));
	if (!n) {
		printf("%-5s %s (no result.json: its kernel log only)\n", role, jstr(s, "label"));
		return;
	}
	printf("%-5s %s (kernel %s; %zu result%s%s%s)\n", role, jstr(s, "label"), jstr(s, "kernel"), n, n == 1 ? "" : "s",
	       *jstr(s, "crashed_in") ? "; crashed in " : "", jstr(s, "crashed_in"));
}

static void print_behaviour(json_t *d)
{
	json_t *b = json_object_get(d, "behaviour"), *x;
	size_t i;
	printf("\nbehaviour (new against base; ! = fails the gate):\n");
	if (!json_array_size(b))
		printf("  no difference found\n");
	json_array_foreach(b, i, x) {
		int multi = json_array_size(json_object_get(d, "sides")) > 1;
		printf("  %s %s%s%s%s%s\n", json_is_true(json_object_get(x, "gate")) ? "!" : "-",
		       multi ? jstr(x, "side") : "", multi ? ": " : "", *jstr(x, "job") ? jstr(x, "job") : "(kernel log)",
		       ": ", jstr(x, "text"));
		if (*jstr(x, "source"))
			printf("      in %s\n", jstr(x, "source"));
	}
}

static void print_not_comparable(json_t *d, int multi)
{
	json_t *j, *s, *why;
	size_t i, k, w;
	int any = 0;
	json_array_foreach(json_object_get(d, "jobs"), i, j) {
		json_array_foreach(json_object_get(j, "sides"), k, s) {
			if (json_array_size(json_object_get(s, "not_comparable")) == 0)
				continue;
			if (!any++)
				printf("\nnot comparable:\n");
			printf("  %s%s%s:\n", jstr(j, "name"), multi ? " vs " : "", multi ? jstr(s, "side") : "");
			json_array_foreach(json_object_get(s, "not_comparable"), w, why)
				printf("      %s\n", json_string_value(why));
		}
	}
}

static const char *mark(json_t *fig)
{
	const char *v = jstr(fig, "verdict");
	return !strcmp(v, "regressed") ? "REGRESSED" : !strcmp(v, "improved") ? "improved"
						   : !strcmp(v, "no significant change") ? "-" : v;
}

/* One row per job and figure: base value, then per new side its value, change, 95% CI and mark. */
static void print_table(json_t *d)
{
	json_t *sides = json_object_get(d, "sides"), *j, *s;
	size_t nsides = json_array_size(sides), i, k;
	int w = 3, any = 0;
	json_array_foreach(json_object_get(d, "jobs"), i, j) {
		w = (int)strlen(jstr(j, "name")) > w ? (int)strlen(jstr(j, "name")) : w;
		json_array_foreach(json_object_get(j, "sides"), k, s)
			any |= json_is_true(json_object_get(s, "comparable"));
	}
	if (!any) {
		printf("\nno job could be compared\n");
		return;
	}
	printf("\n%-*s %-6s %9s", w, "job", "figure", "base");
	for (k = 0; k < nsides; k++) {
		char name[32] = "new";
		if (nsides > 1)
			snprintf(name, sizeof(name), "new%zu", k + 1);
		printf(" | %9s %8s %17s %-9s", name, "change", "95% CI, %", "verdict");
	}
	printf("\n");
	json_array_foreach(json_object_get(d, "jobs"), i, j) {
		json_t *per = json_object_get(j, "sides");
		/* the figures of the first comparable side set the rows */
		json_t *rows = NULL;
		json_array_foreach(per, k, s)
			if (!rows && json_is_true(json_object_get(s, "comparable")))
				rows = json_object_get(s, "figures");
		if (!rows)
			continue;
		for (size_t f = 0; f < json_array_size(rows); f++) {
			json_t *row = json_array_get(rows, f);
			const char *key = jstr(row, "key");
			char bv[32];
			format_value(key, jnum(json_object_get(row, "base"), "mean"), bv, sizeof(bv));
			printf("%-*s %-6s %9s", w, f == 0 ? jstr(j, "name") : "", jstr(row, "figure"), bv);
			json_array_foreach(per, k, s) {
				json_t *fig = json_array_get(json_object_get(s, "figures"), f);
				if (!json_is_true(json_object_get(s, "comparable")) || !fig) {
					printf(" | %-46s", json_is_true(json_object_get(s, "present")) ? "not comparable" : "absent");
					continue;
				}
				char nv[32], ch[16] = "", ci[40] = "";
				format_value(key, jnum(json_object_get(fig, "new"), "mean"), nv, sizeof(nv));
				json_t *c = json_object_get(fig, "change_pct"), *cis = json_object_get(fig, "ci95_pct");
				if (json_is_number(c))
					snprintf(ch, sizeof(ch), "%+.1f%%", json_number_value(c));
				if (json_is_array(cis) && json_is_number(json_array_get(cis, 0)))
					snprintf(ci, sizeof(ci), "[%+.1f, %+.1f]", json_number_value(json_array_get(cis, 0)),
						 json_number_value(json_array_get(cis, 1)));
				else if (*jstr(fig, "why"))
					snprintf(ci, sizeof(ci), "%s", jstr(fig, "why"));
				printf(" | %9s %8s %17s %-9s", nv, ch, ci, *jstr(fig, "why") ? "" : mark(fig));
			}
			printf("\n");
		}
	}
}

static void print_only(json_t *d, const char *key, const char *what)
{
	json_t *x, *n;
	size_t i, k;
	json_array_foreach(json_object_get(d, key), i, x) {
		if (!json_array_size(json_object_get(x, "jobs")))
			continue;
		printf("%s (%s):", what, jstr(x, "side"));
		json_array_foreach(json_object_get(x, "jobs"), k, n)
			printf(" %s", json_string_value(n));
		printf("\n");
	}
}

static void print_human(json_t *d)
{
	json_t *s;
	size_t i;
	printf("daxperf diff\n");
	print_side_line("base", json_object_get(d, "base"));
	size_t nsides = json_array_size(json_object_get(d, "sides"));
	json_array_foreach(json_object_get(d, "sides"), i, s) {
		char role[32] = "new";
		if (nsides > 1)
			snprintf(role, sizeof(role), "new%zu", i + 1);
		print_side_line(role, s);
	}
	printf("method: %s; threshold %g%%\n", jstr(d, "method"), jnum(d, "threshold_pct"));
	if (*jstr(d, "emulated"))
		printf("figures are emulated: %s\n", jstr(d, "emulated"));
	print_behaviour(d);
	int multi = json_array_size(json_object_get(d, "sides")) > 1;
	print_not_comparable(d, multi);
	print_table(d);
	printf("\n");
	print_only(d, "only_in_base", "only in base, not in");
	print_only(d, "only_in_new", "only in");
	json_array_foreach(json_object_get(d, "summary"), i, s)
		printf("%s: %lld figures regressed, %lld improved, %lld no significant change, %lld cannot tell; %lld "
		       "jobs compared, %lld not comparable\n", jstr(s, "side"),
		       (long long)json_integer_value(json_object_get(s, "figures_regressed")),
		       (long long)json_integer_value(json_object_get(s, "figures_improved")),
		       (long long)json_integer_value(json_object_get(s, "figures_unchanged")),
		       (long long)json_integer_value(json_object_get(s, "figures_cannot_tell")),
		       (long long)json_integer_value(json_object_get(s, "jobs_compared")),
		       (long long)json_integer_value(json_object_get(s, "jobs_not_comparable")));
}

/* DIR/diff.json through a temporary file and rename; 0 or -1 after a message. */
static int write_diff(json_t *d, const char *dir)
{
	int rc = make_dirs(dir);
	if (rc)
		return error("%s: cannot create: %s", dir, strerror(-rc));
	char *tmp = xasprintf("%s/.diff.json.%d.tmp", dir, (int)getpid()), *final = xasprintf("%s/diff.json", dir);
	if (json_dump_file(d, tmp, JSON_INDENT(1) | JSON_REAL_PRECISION(10)) || rename(tmp, final)) {
		unlink(tmp);
		rc = error("%s: cannot write: %s", final, strerror(errno));
	}
	free(tmp);
	free(final);
	return rc;
}

static int parse_pct(const char *s, double *v)
{
	char *end;
	errno = 0;
	*v = strtod(s, &end);
	return !*s || *end || errno || !isfinite(*v) || *v < 0 ? -1 : 0;
}

int cmd_diff(int argc, char **argv)
{
	const char *paths[64], *format = "human", *output = NULL;
	size_t npaths = 0;
	double thr = 1, fail_pct = -1;
	int gate = 0, plot = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "-h") || !strcmp(a, "--help"))
			return fputs(diff_usage, stdout), 0;
		if (!strcmp(a, "--threshold") && i + 1 < argc) {
			if (parse_pct(argv[++i], &thr))
				return error("diff: --threshold must be a percentage >= 0, not '%s'", argv[i]), 2;
		} else if (!strcmp(a, "--fail-on") && i + 1 < argc) {
			const char *v = argv[++i];
			gate = 1;
			if (!strncmp(v, "regressed:", 10)) {
				if (parse_pct(v + 10, &fail_pct))
					return error("diff: --fail-on regressed:PCT needs a percentage >= 0, not '%s'", v + 10), 2;
			} else if (strcmp(v, "regressed")) {
				return error("diff: --fail-on takes regressed or regressed:PCT, not '%s'", v), 2;
			}
		} else if (!strcmp(a, "--format") && i + 1 < argc) {
			format = argv[++i];
			if (strcmp(format, "human") && strcmp(format, "json"))
				return error("diff: --format must be human or json, not '%s'", format), 2;
		} else if (!strcmp(a, "--plot")) {
			plot = 1;
		} else if (!strcmp(a, "--output") && i + 1 < argc) {
			output = argv[++i];
		} else if (a[0] == '-' && a[1]) {
			return error("diff: unknown option or missing value '%s' (daxperf diff --help)", a), 2;
		} else if (npaths == ARRAY_SIZE(paths)) {
			return error("diff: at most %zu result paths", ARRAY_SIZE(paths)), 2;
		} else {
			paths[npaths++] = a;
		}
	}
	if (npaths < 2)
		return error("diff: needs BASE and at least one NEW result (daxperf diff --help)"), 2;
	if (plot && !output)
		return error("diff: --plot needs --output DIR (the figures go beside diff.json)"), 2;
	if (fail_pct < 0)
		fail_pct = thr;
	struct diff_side *sides = xcalloc(npaths, sizeof(*sides));
	size_t loaded = 0;
	int rc = 0;
	for (; loaded < npaths && !rc; loaded++)
		rc = diff_side_load(paths[loaded], &sides[loaded]);
	if (rc) {
		for (size_t i = 0; i + 1 < loaded; i++)
			diff_side_free(&sides[i]);
		free(sides);
		/* under a bisection, a result that is not there cannot say good or bad: skip */
		return gate ? 125 : 2;
	}
	json_t *d = diff_compute(&sides[0], sides + 1, npaths - 1, thr);
	json_t *reasons = json_array();
	int status = diff_gate(d, fail_pct, reasons);
	if (gate)
		json_object_set_new(d, "gate", json_pack("{s:f, s:i, s:O}", "fail_on_regressed_pct", fail_pct, "exit",
							 status, "reasons", reasons));
	if (!strcmp(format, "json")) {
		json_dumpf(d, stdout, JSON_INDENT(1) | JSON_REAL_PRECISION(10));
		putchar('\n');
	} else {
		print_human(d);
		if (gate) {
			printf("gate (--fail-on regressed:%g): exit %d%s\n", fail_pct, status,
			       status == 125 ? ": nothing could be compared" : "");
			json_t *r;
			size_t i;
			json_array_foreach(reasons, i, r)
				printf("  %s\n", json_string_value(r));
		}
	}
	int wrc = output ? write_diff(d, output) : 0;
	if (!wrc && plot)
		wrc = plot_diff(d, output, "png");
	json_decref(reasons);
	json_decref(d);
	for (size_t i = 0; i < npaths; i++)
		diff_side_free(&sides[i]);
	free(sides);
	if (wrc)
		return gate ? 125 : 2;
	return gate ? status : 0;
}
