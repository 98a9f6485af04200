/*
 * Reading the sides of a diff. Rule for a directory without result.json: each immediate subdirectory
 * that has one is a result of the same side (per-boot results, boot-1/ boot-2/ ...), in name order;
 * entries of the same job name (in one result, as `compare` writes them, or across results) are one
 * job whose rounds are pooled as samples. Kernel findings come from the results' kernel_events (top
 * level and per job) or kernel_log; where a result carries none, from the lab's kernel_events.json
 * beside it (each finding with the job running then), else from dmesg.txt beside it. A run that died
 * (a kernel oops killed it) left result.partial.json with the jobs it finished and running.json naming
 * the job it died in: that side says "crashed in JOB".
 */
#include "result/diff.h"
#include "result/kernlog.h"
#include "lib/util.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const struct diff_figure diff_figures[DIFF_FIGURES] = {
	{ "ops_per_sec", "ops/s", 0 }, { "bytes_per_sec", "MB/s", 0 }, { "mean_ns", "mean", 1 },
	{ "p50_ns", "p50", 1 },        { "p99_ns", "p99", 1 },          { "p999_ns", "p99.9", 1 },
};

static const char *jstr(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

static int is_file(const char *path, int dir)
{
	struct stat st;
	return !stat(path, &st) && (dir ? S_ISDIR(st.st_mode) : S_ISREG(st.st_mode));
}

static int load_one(struct diff_side *s, const char *file)
{
	json_error_t jerr;
	json_t *root = json_load_file(file, 0, &jerr);
	if (!root)
		return error("%s:%d: not valid JSON: %s", file, jerr.line, jerr.text);
	if (!json_is_integer(json_object_get(root, "schema")) || !json_is_array(json_object_get(root, "jobs"))) {
		json_decref(root);
		return error("%s: not a daxperf result (no schema or jobs)", file);
	}
	s->roots = xrealloc(s->roots, (s->nroots + 1) * sizeof(*s->roots));
	s->paths = xrealloc(s->paths, (s->nroots + 1) * sizeof(*s->paths));
	s->roots[s->nroots] = root;
	s->paths[s->nroots++] = xstrdup(file);
	return 0;
}

/* A run's directory: its result.json, else the partial result of a run that died, marked with the
 * job running.json names as the one it crashed in. 1 when dir held neither, 0 loaded, -1 error. */
static int load_run_dir(struct diff_side *s, const char *dir)
{
	char *file = xasprintf("%s/result.json", dir), *partial = xasprintf("%s/result.partial.json", dir);
	int rc = 1;
	if (is_file(file, 0)) {
		rc = load_one(s, file);
	} else if (is_file(partial, 0) && (rc = load_one(s, partial)) == 0) {
		char *marker = xasprintf("%s/running.json", dir);
		json_t *running = json_load_file(marker, 0, NULL);
		const char *job = json_string_value(json_object_get(running, "job"));
		if (job && !json_object_get(s->roots[s->nroots - 1], "crashed_in"))
			json_object_set_new(s->roots[s->nroots - 1], "crashed_in", json_string(job));
		json_decref(running);
		free(marker);
	}
	free(file);
	free(partial);
	return rc;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/* Every subdirectory of dir holding a result.json; 0 or -1 when there is none. */
static int load_subdirs(struct diff_side *s, const char *dir)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, by_name);
	if (n < 0)
		return error("%s: %s", dir, strerror(errno));
	int rc = 0;
	for (int i = 0; i < n; i++) {
		char *sub = xasprintf("%s/%s", dir, names[i]->d_name);
		if (!rc && names[i]->d_name[0] != '.' && is_file(sub, 1) && load_run_dir(s, sub) < 0)
			rc = -1;
		free(sub);
		free(names[i]);
	}
	free(names);
	if (!rc && !s->nroots) {
		/* a run that died before writing anything may still have left the kernel's log */
		char *log = xasprintf("%s/dmesg.txt", dir);
		char *text = read_file(log, NULL);
		if (text) {
			json_t *found = kernlog_events_json(text), *x;
			size_t i;
			json_array_foreach(found, i, x) {
				json_object_set_new(x, "source", json_string(log));
				json_array_append(s->log_events, x);
			}
			json_decref(found);
			s->log_only = 1;
		}
		free(text);
		free(log);
		if (!s->log_only)
			return error("%s: no result.json there nor in its subdirectories", dir);
	}
	return rc;
}

static struct diff_job *job_get(struct diff_side *s, const char *name)
{
	for (size_t i = 0; i < s->njobs; i++)
		if (!strcmp(s->jobs[i].name, name))
			return &s->jobs[i];
	s->jobs = xrealloc(s->jobs, (s->njobs + 1) * sizeof(*s->jobs));
	struct diff_job *j = &s->jobs[s->njobs++];
	memset(j, 0, sizeof(*j));
	j->name = name;
	j->status = "ok";
	j->kernel_events = json_array();
	j->entries = json_array();
	return j;
}

/* Worse ranks higher; a status daxperf does not write counts as failed (its figures are not used). */
static int status_rank(const char *st)
{
	return !strcmp(st, "crashed") ? 3 : !strcmp(st, "ok") ? 0 : !strcmp(st, "skipped") ? 1 : 2;
}

/* The first option whose value differs between two option objects ("repeat" is the sample count, not
 * a condition of the measurement), or NULL. */
static const char *option_differs(json_t *a, json_t *b)
{
	const char *k;
	json_t *v;
	json_object_foreach(a, k, v) {
		if (strcmp(k, "repeat") && !json_equal(v, json_object_get(b, k)))
			return k;
	}
	json_object_foreach(b, k, v) {
		if (strcmp(k, "repeat") && !json_object_get(a, k))
			return k;
	}
	return NULL;
}

static void add_entry(struct diff_side *s, json_t *e, const char *file)
{
	const char *name = json_string_value(json_object_get(e, "name"));
	if (!name)
		return;
	struct diff_job *j = job_get(s, name);
	json_t *opts = json_object_get(e, "options");
	if (!j->nentries) {
		j->first = e;
		j->options = json_is_object(opts) ? opts : NULL;
	} else if (!j->inconsistent) {
		const char *k = j->options && json_is_object(opts) ? option_differs(j->options, opts) : NULL;
		if (k)
			j->inconsistent = xasprintf("option %s differs between entries of this side (%s)", k, file);
	}
	j->nentries++;
	json_array_append(j->entries, e);
	const char *st = *jstr(e, "status") ? jstr(e, "status") : "unknown";
	if (status_rank(st) > status_rank(j->status)) {
		j->status = st;
		j->reason = json_string_value(json_object_get(e, "reason"));
	}
	j->interrupted |= json_is_true(json_object_get(e, "interrupted"));
	json_t *ke = json_object_get(e, "kernel_events");
	if (json_is_array(ke))
		json_array_extend(j->kernel_events, ke);
	if (strcmp(st, "ok"))
		return;
	json_t *rounds = json_object_get(e, "rounds"), *r;
	size_t k;
	json_array_foreach(rounds, k, r) {
		for (unsigned f = 0; f < DIFF_FIGURES; f++) {
			json_t *v = json_object_get(r, diff_figures[f].key);
			if (!json_is_number(v))
				continue;
			j->fig[f] = xrealloc(j->fig[f], (j->nfig[f] + 1) * sizeof(double));
			j->fig[f][j->nfig[f]++] = json_number_value(v);
		}
	}
}

/* Findings not tied to a job: the result's own, else dmesg.txt beside it. */
static void add_log(struct diff_side *s, json_t *root, const char *file)
{
	json_t *ev = json_object_get(root, "kernel_events"), *x;
	json_t *kl = json_object_get(root, "kernel_log");
	if (!json_is_array(ev) && json_is_object(kl))
		ev = json_object_get(kl, "events");
	if (!json_is_array(ev) && json_is_array(kl))
		ev = kl;
	int carried = json_is_array(ev) || json_is_object(kl);
	size_t i;
	json_array_foreach(json_object_get(root, "jobs"), i, x)
		carried |= json_is_array(json_object_get(x, "kernel_events"));
	json_t *found = NULL;
	char *source = NULL;
	if (json_is_array(ev)) {
		found = json_incref(ev);
		source = xstrdup(file);
	} else if (!carried) {
		char *dir = xstrdup(file), *slash = strrchr(dir, '/');
		if (slash)
			*slash = '\0';
		/* the lab's own reading of the log carries the job each finding came in */
		source = xasprintf("%s/kernel_events.json", slash ? dir : ".");
		found = json_load_file(source, 0, NULL);
		if (!json_is_array(found)) {
			json_decref(found);
			found = NULL;
			free(source);
			source = xasprintf("%s/dmesg.txt", slash ? dir : ".");
			char *text = read_file(source, NULL);
			if (text)
				found = kernlog_events_json(text);
			free(text);
		}
		free(dir);
	}
	json_array_foreach(found, i, x) {
		json_t *c = json_deep_copy(x);
		json_object_set_new(c, "source", json_string(source));
		json_array_append_new(s->log_events, c);
	}
	json_decref(found);
	free(source);
}

int diff_side_load(const char *path, struct diff_side *s)
{
	memset(s, 0, sizeof(*s));
	s->label = xstrdup(path);
	s->log_events = json_array();
	int rc;
	if (is_file(path, 0))
		rc = load_one(s, path);
	else if (!is_file(path, 1))
		rc = error("%s: no such result file or directory", path);
	else if ((rc = load_run_dir(s, path)) == 1)
		rc = load_subdirs(s, path);
	for (size_t r = 0; !rc && r < s->nroots; r++) {
		json_t *root = s->roots[r], *host = json_object_get(root, "host"), *e;
		if (!s->kernel)
			s->kernel = jstr(host, "kernel");
		if (!s->emulated)
			s->emulated = json_string_value(json_object_get(host, "emulated"));
		s->interrupted |= json_is_true(json_object_get(root, "interrupted"));
		size_t i;
		json_array_foreach(json_object_get(root, "jobs"), i, e)
			add_entry(s, e, s->paths[r]);
		const char *crashed = json_string_value(json_object_get(root, "crashed_in"));
		if (crashed) {
			/* the job the run died in was never written: it exists here only by that name */
			struct diff_job *j = job_get(s, crashed);
			j->status = "crashed";
			j->reason = "the run died in this job";
			s->crashed_in = crashed;
		}
		add_log(s, root, s->paths[r]);
	}
	if (rc)
		diff_side_free(s);
	return rc;
}

const struct diff_job *diff_side_job(const struct diff_side *s, const char *name)
{
	for (size_t i = 0; i < s->njobs; i++)
		if (!strcmp(s->jobs[i].name, name))
			return &s->jobs[i];
	return NULL;
}

void diff_side_free(struct diff_side *s)
{
	for (size_t i = 0; i < s->njobs; i++) {
		for (unsigned f = 0; f < DIFF_FIGURES; f++)
			free(s->jobs[i].fig[f]);
		free(s->jobs[i].inconsistent);
		json_decref(s->jobs[i].kernel_events);
		json_decref(s->jobs[i].entries);
	}
	for (size_t r = 0; r < s->nroots; r++) {
		json_decref(s->roots[r]);
		free(s->paths[r]);
	}
	free(s->jobs);
	free(s->roots);
	free(s->paths);
	json_decref(s->log_events);
	free(s->label);
	memset(s, 0, sizeof(*s));
}
