#include "run/jobs.h"
#include "lib/util.h"
#include "measure/place.h"
#include "measure/timeline.h"
#include "workloads/workload.h"

#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define JOBS_MAX 100000

/* Where an entry came from, for messages: "configs/x.ini:7" or "--set bs=4k". */
static void where(const struct cfg_entry *e, char *buf, size_t len)
{
	if (e->line > 0)
		fmt_into(buf, len, "%s:%d", e->file, e->line);
	else
		fmt_into(buf, len, "--set %s=%s", e->key, e->value);
}

static int entry_error(const struct cfg_entry *e, const char *msg)
{
	char loc[300];
	where(e, loc, sizeof(loc));
	return error("%s: %s", loc, msg);
}

static int is_ignored(const struct workload *wl, const char *key)
{
	for (const char *const *k = wl->ignores; k && *k; k++)
		if (!strcmp(*k, key))
			return 1;
	return 0;
}

/* The workload, if any, whose own table has this option. */
static const struct workload *owner_of(const char *key)
{
	for (const struct workload *const *w = workloads; *w; w++)
		if (opt_find((*w)->opts, key))
			return *w;
	return NULL;
}

static void suggest(const char *key, char *buf, size_t len)
{
	const char *best = NULL;
	unsigned best_d = 3;
	for (const struct opt_def *d = job_opt_table; d->name; d++) {
		unsigned dist = edit_distance(key, d->name);
		if (dist < best_d)
			best_d = dist, best = d->name;
	}
	for (const struct workload *const *w = workloads; *w; w++) {
		for (const struct opt_def *d = (*w)->opts; d && d->name; d++) {
			unsigned dist = edit_distance(key, d->name);
			if (dist < best_d)
				best_d = dist, best = d->name;
		}
	}
	if (best)
		fmt_into(buf, len, " (did you mean '%s'?)", best);
	else
		buf[0] = '\0';
}

struct resolved {
	const struct cfg_entry *e;
	const struct opt_def *d;
	int workload_scope;    /* the option lives in the workload's struct */
	struct strlist values; /* sweep values, or the single value */
};

/* Decides which table an entry belongs to; 1 = use, 0 = not for this job, -1 = error printed. */
static int resolve_entry(const struct cfg_entry *e, int from_section, const struct workload *wl,
			 struct resolved *r)
{
	char msg[512], hint[64];
	r->e = e;
	r->workload_scope = 0;
	r->d = opt_find(job_opt_table, e->key);
	if (r->d && is_ignored(wl, e->key)) {
		if (!from_section)
			return 0;
		fmt_into(msg, sizeof(msg), "option '%s' does not apply to workload %s", e->key, wl->name);
		return entry_error(e, msg);
	}
	if (!r->d) {
		r->d = opt_find(wl->opts, e->key);
		r->workload_scope = 1;
	}
	if (r->d)
		return 1;
	const struct workload *other = owner_of(e->key);
	if (other && !from_section)
		return 0; /* a [global] or --set option for other workloads */
	if (other)
		fmt_into(msg, sizeof(msg), "option '%s' belongs to workload %s, not %s", e->key, other->name, wl->name);
	else {
		suggest(e->key, hint, sizeof(hint));
		fmt_into(msg, sizeof(msg), "unknown option '%s'%s", e->key, hint);
	}
	return entry_error(e, msg);
}

/* The last entry with this key wins; earlier ones are dropped. */
static int superseded(const struct cfg_entry *const *all, size_t n, size_t i)
{
	for (size_t k = i + 1; k < n; k++)
		if (!strcmp(all[k]->key, all[i]->key))
			return 1;
	return 0;
}

static int find_workload(const struct cfg_entry *const *all, size_t n, const struct workload **wl)
{
	const struct cfg_entry *e = NULL;
	for (size_t i = 0; i < n; i++)
		if (!strcmp(all[i]->key, "workload"))
			e = all[i];
	struct job_opts tmp;
	char err[512];
	const struct opt_def *d = opt_find(job_opt_table, "workload");
	if (!e) {
		opt_parse(d, d->def, &tmp, err, sizeof(err));
	} else if (strchr(e->value, ',')) {
		return entry_error(e, "workload cannot be swept; write one section per workload");
	} else if (opt_parse(d, e->value, &tmp, err, sizeof(err))) {
		return entry_error(e, err);
	}
	*wl = workloads[tmp.workload];
	return 0;
}

/* "poison works with the mmap and rw workloads, not NAME": the list from the workloads' own
 * declarations. */
static void poison_workloads_error(const char *name, char *err, size_t len)
{
	char list[256] = "";
	size_t n = 0, count = 0;
	for (const struct workload *const *w = workloads; *w; w++)
		count += (*w)->poison_path != WL_POISON_NONE;
	for (const struct workload *const *w = workloads; *w; w++) {
		if ((*w)->poison_path == WL_POISON_NONE)
			continue;
		n++;
		const char *sep = n == 1 ? "" : n == count ? " and " : ", ";
		fmt_into(list + strlen(list), sizeof(list) - strlen(list), "%s%s", sep, (*w)->name);
	}
	fmt_into(err, len, "poison works with the %s workloads, not %s", list, name);
}

/* Poison reaches into the job's own pages the way the workload declares (loads and stores of its
 * mapping, or pread / pwrite). */
static void check_poison(const struct job_spec *j, char *err, size_t len)
{
	const struct job_opts *o = &j->o;
	if (j->wl->poison_path == WL_POISON_NONE)
		poison_workloads_error(j->wl->name, err, len);
	else if (o->poison_at_ns >= o->runtime_ns)
		fmt_into(err, len, "poison_at %.3gs is not inside the timed phase (runtime %.3gs)",
			 (double)o->poison_at_ns / 1e9, (double)o->runtime_ns / 1e9);
	else if (o->poison_where.kind == WHERE_OFFSET &&
		 o->poison_where.offset / 4096 * 4096 + o->poison_pages * 4096 > o->size)
		fmt_into(err, len, "poison_where offset:%llu with %llu pages reaches past the job file's %llu bytes",
			 (unsigned long long)o->poison_where.offset, (unsigned long long)o->poison_pages,
			 (unsigned long long)o->size);
	else if (o->poison_pages * 4096 > o->size)
		fmt_into(err, len, "poison_pages %llu is more pages than the job file's %llu",
			 (unsigned long long)o->poison_pages, (unsigned long long)(o->size / 4096));
	else if (o->poison_every_ns && o->poison_every_ns < 1000000)
		fmt_into(err, len, "poison_every below 1ms would poison faster than pages can be recovered");
}

/* Pacing waits between single timed ops; a rate too small for one op a second per thread cannot be
 * paced, only stalled. */
static void check_pacing(const struct job_opts *o, char *err, size_t len)
{
	if (o->lat_batch > 1)
		fmt_into(err, len, "rate, rate_iops and delay pace single ops: they exclude lat_batch");
	else if (o->rate && o->rate_iops)
		fmt_into(err, len, "rate and rate_iops both pace the job: set one");
	else if (o->rate && o->rate < o->bs * o->threads)
		fmt_into(err, len, "rate %llu bytes/s is less than one op of bs %llu per second per thread (threads = %llu)",
			 (unsigned long long)o->rate, (unsigned long long)o->bs, (unsigned long long)o->threads);
	else if (o->rate_iops && o->rate_iops < o->threads)
		fmt_into(err, len, "rate_iops %llu is less than one op per second per thread (threads = %llu)",
			 (unsigned long long)o->rate_iops, (unsigned long long)o->threads);
}

/* threads_per_node: as many workers as it asks on every node with CPUs. */
static void resolve_threads_per_node(struct job_spec *j, char *err, size_t len)
{
	struct job_opts *o = &j->o;
	if (!o->threads_per_node)
		return;
	if (o->cpu_node >= 0 || o->cpus.count) {
		fmt_into(err, len, "threads_per_node places workers on every node: it excludes %s",
			 o->cpu_node >= 0 ? "cpu_node" : "cpus");
		return;
	}
	int nodes[PLACE_MAX_NODES];
	o->threads = o->threads_per_node * place_cpu_nodes(nodes, PLACE_MAX_NODES);
	if (o->threads > 1024)
		fmt_into(err, len, "threads_per_node %llu makes %llu threads, more than 1024",
			 (unsigned long long)o->threads_per_node, (unsigned long long)o->threads);
}

static int check_job(struct job_spec *j, const struct cfg_section *s)
{
	char err[512] = "";
	resolve_threads_per_node(j, err, sizeof(err));
	if (err[0])
		return error("%s:%d: [%s]: %s", s->file, s->line, j->name, err);
	const struct job_opts *o = &j->o;
	/* every worker and the round's merge hold a timeline while a round runs, and every worker a
	 * buffer of bs bytes, written once: more than the machine has would end in the OOM killer */
	unsigned nwin = timeline_windows_for(o->runtime_ns, o->window_ns);
	uint64_t tl_bytes = (o->threads + 1) * timeline_bytes(nwin), buf_bytes = o->threads * o->bs;
	long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
	uint64_t half_ram = pages > 0 && page > 0 ? (uint64_t)pages * (uint64_t)page / 2 : UINT64_MAX;
	if (tl_bytes > half_ram)
		fmt_into(err, sizeof(err), "%llu threads with a timeline of %u windows each need %llu MiB, more than half "
			 "this machine's memory: make window longer (runtime / window is the window count) or use fewer threads",
			 (unsigned long long)o->threads, nwin, (unsigned long long)(tl_bytes >> 20));
	else if (tl_bytes + buf_bytes > half_ram)
		fmt_into(err, sizeof(err), "%llu threads with a buffer of bs = %llu bytes each need %llu MiB, more than half "
			 "this machine's memory: use a smaller bs or fewer threads", (unsigned long long)o->threads,
			 (unsigned long long)o->bs, (unsigned long long)((tl_bytes + buf_bytes) >> 20));
	else if (o->lat_sample > 1 && o->lat_batch > 1)
		fmt_into(err, sizeof(err), "lat_sample and lat_batch exclude each other; set one");
	else if (o->ops && o->ops % (o->lat_batch > 1 ? o->lat_batch : o->lat_sample))
		/* ops are done in whole groups: ops = 1 with lat_batch = 1000 did 1000 */
		fmt_into(err, sizeof(err), "ops = %llu is not a multiple of %s = %llu: ops are done in whole timed groups",
			 (unsigned long long)o->ops, o->lat_batch > 1 ? "lat_batch" : "lat_sample",
			 (unsigned long long)(o->lat_batch > 1 ? o->lat_batch : o->lat_sample));
	else if (!is_ignored(j->wl, "bs") && o->size / o->threads < o->bs)
		fmt_into(err, sizeof(err), "size %llu split over %llu threads leaves slices smaller than bs %llu",
			 (unsigned long long)o->size, (unsigned long long)o->threads, (unsigned long long)o->bs);
	else if (o->pattern.kind == PATTERN_STRIDE && !is_ignored(j->wl, "pattern") &&
		 o->pattern.stride + o->bs > o->size / o->threads)
		fmt_into(err, sizeof(err), "stride %llu does not fit a thread's slice of %llu bytes",
			 (unsigned long long)o->pattern.stride, (unsigned long long)(o->size / o->threads));
	else if (o->poison != POISON_NONE)
		check_poison(j, err, sizeof(err));
	if (!err[0] && (o->rate || o->rate_iops || o->delay_ns))
		check_pacing(o, err, sizeof(err));
	if (!err[0] && j->wl->validate && j->wl->validate(o, j->wo, err, sizeof(err)) && !err[0])
		fmt_into(err, sizeof(err), "invalid option combination");
	if (!err[0])
		return 0;
	return error("%s:%d: [%s]: %s", s->file, s->line, j->name, err);
}

/* false when the list no longer fits: the name would be cut, and two jobs could share it */
static bool append_swept(struct job_spec *j, const char *key, const char *value)
{
	size_t used = strlen(j->swept);
	return fmt_into(j->swept + used, sizeof(j->swept) - used, "%s%s=%s", used ? "," : "", key, value);
}

/* compare and sweep append "/page-cache" or "[cpu_node=N,mem_node=M]" to a job's name */
#define JOB_NAME_ROOM 64

/* A CPU list naming CPUs this process cannot run on would be pinned silently to the others. */
static int check_cpus(const struct cfg_entry *e, const struct cpu_list *want)
{
	cpu_set_t allowed, missing;
	CPU_ZERO(&allowed); /* the kernel fills only the bytes of its own mask */
	if (!want->count || sched_getaffinity(0, sizeof(allowed), &allowed))
		return 0;
	CPU_XOR(&missing, &want->set, &allowed);
	CPU_AND(&missing, &missing, &want->set);
	if (!CPU_COUNT(&missing))
		return 0;
	/* spelled by the option's own formatter, which reads the list where a job keeps it */
	const struct opt_def *d = opt_find(job_opt_table, "cpus");
	struct job_opts m = { .cpus = { .count = (unsigned)CPU_COUNT(&missing), .set = missing } };
	struct job_opts a = { .cpus = { .count = (unsigned)CPU_COUNT(&allowed), .set = allowed } };
	char bad[256], ok[256], msg[600];
	opt_format(d, &m, bad, sizeof(bad));
	opt_format(d, &a, ok, sizeof(ok));
	fmt_into(msg, sizeof(msg), "cpus: CPU%s %s %s not online or not allowed to this process (it may use %s)",
		 m.cpus.count > 1 ? "s" : "", bad, m.cpus.count > 1 ? "are" : "is", ok);
	return entry_error(e, msg);
}

/* Expands one section into jobs appended to out; marks in set_used the --set entries a job took. */
static int build_section(struct cfg *c, const struct cfg_section *s, const struct strlist *sets,
			 struct cfg_entry *set_entries, int *set_used, struct job_list *out)
{
	const struct cfg_section *g = cfg_section(c, CFG_GLOBAL);
	size_t n = (g ? g->n : 0) + s->n + sets->n, nr = 0;
	const struct cfg_entry **all = xcalloc(n, sizeof(*all));
	int *from_section = xcalloc(n, sizeof(int));
	size_t k = 0;
	for (size_t i = 0; g && i < g->n; i++)
		all[k++] = &g->e[i];
	for (size_t i = 0; i < s->n; i++)
		from_section[k] = 1, all[k++] = &s->e[i];
	for (size_t i = 0; i < sets->n; i++)
		all[k++] = &set_entries[i];

	const struct workload *wl = NULL;
	struct resolved *r = xcalloc(n, sizeof(*r));
	int rc = find_workload(all, n, &wl);
	char err[512];
	for (size_t i = 0; i < n && !rc; i++) {
		if (superseded(all, n, i))
			continue;
		int use = resolve_entry(all[i], from_section[i], wl, &r[nr]);
		if (use > 0 && all[i] >= set_entries && all[i] < set_entries + sets->n)
			set_used[all[i] - set_entries] = 1;
		if (use < 0)
			rc = -1;
		else if (use && sweep_expand(r[nr].d, all[i]->value, &r[nr].values, err, sizeof(err))) {
			rc = entry_error(all[i], err);
			strlist_free(&r[nr].values); /* values made before the bad one */
		}
		else if (use)
			nr++;
	}
	/* the count first: a sweep of millions is refused before a single job is made */
	uint64_t total = 1;
	for (size_t i = 0; i < nr && !rc; i++)
		total = total > UINT64_MAX / r[i].values.n ? UINT64_MAX : total * r[i].values.n;
	if (!rc && total > JOBS_MAX)
		rc = error("%s:%d: [%s] expands to %llu jobs%s, more than %d", s->file, s->line, s->name,
			   (unsigned long long)total, total == UINT64_MAX ? " or more" : "", JOBS_MAX);
	else if (!rc && total > JOBS_MAX - out->n)
		rc = error("%s:%d: [%s]: the config makes more than %d jobs (%zu before this section, %llu in it)",
			   s->file, s->line, s->name, JOBS_MAX, out->n, (unsigned long long)total);
	/* odometer over the swept entries */
	size_t *idx = xcalloc(nr + 1, sizeof(size_t));
	int too_long = 0;
	while (!rc) {
		if (out->n >= JOBS_MAX) {
			rc = error("%s:%d: [%s] expands to more than %d jobs", s->file, s->line, s->name, JOBS_MAX);
			break;
		}
		if ((out->n & (out->n - 1)) == 0) /* doubled when full: 100,000 jobs are not copied 100,000 times */
			out->j = xrealloc(out->j, (out->n ? 2 * out->n : 1) * sizeof(*out->j));
		struct job_spec *j = &out->j[out->n];
		memset(j, 0, sizeof(*j));
		j->wl = wl;
		j->wo = wl->opts_size ? xcalloc(1, wl->opts_size) : NULL;
		j->file = s->file;
		j->line = s->line;
		out->n++;
		if (opt_set_defaults(job_opt_table, &j->o) || opt_set_defaults(wl->opts, j->wo))
			rc = -1;
		for (size_t i = 0; i < nr && !rc; i++) {
			const char *v = r[i].values.v[idx[i]];
			if (opt_parse(r[i].d, v, r[i].workload_scope ? j->wo : (void *)&j->o, err, sizeof(err)))
				rc = entry_error(r[i].e, err);
			else if (r[i].d->type == OPT_CPULIST && !r[i].workload_scope)
				rc = check_cpus(r[i].e, &j->o.cpus);
			else if (r[i].values.n > 1 && !append_swept(j, r[i].d->name, v))
				j->swept[0] = '\0', too_long = 1;
		}
		if (rc)
			break;
		if (j->swept[0])
			fmt_into(j->name, sizeof(j->name), "%s[%s]", s->name, j->swept);
		else
			fmt_into(j->name, sizeof(j->name), "%s", s->name);
		if (too_long || strlen(j->name) > sizeof(j->name) - JOB_NAME_ROOM) {
			rc = error("%s:%d: [%s]: the swept values make a job name longer than %zu characters "
				   "(it would be cut, and jobs could share a name): sweep fewer options in one section",
				   s->file, s->line, s->name, sizeof(j->name) - JOB_NAME_ROOM);
			break;
		}
		rc = check_job(j, s);
		size_t i = 0;
		while (i < nr && ++idx[i] == r[i].values.n)
			idx[i++] = 0;
		if (i == nr)
			break;
	}
	for (size_t i = 0; i < nr; i++)
		strlist_free(&r[i].values);
	free(idx);
	free(r);
	free(all);
	free(from_section);
	return rc;
}

/* A copy of a job, its workload options its own. */
static void copy_job(struct job_spec *dst, const struct job_spec *src)
{
	*dst = *src;
	if (src->wo) {
		dst->wo = xcalloc(1, src->wl->opts_size);
		memcpy(dst->wo, src->wo, src->wl->opts_size);
	}
}

/* Appends to `out` group G's run for the swept values `key` ("delay=1us"): the members swept that
 * way, and a copy of every unswept member, named NAME@KEY. The run's group is "G[KEY]". */
/* A new slot at the end of out, whose room (cap) doubles as it fills. */
static struct job_spec *append_job(struct job_list *out, size_t *cap)
{
	if (out->n == *cap) {
		*cap = *cap ? 2 * *cap : 16;
		out->j = xrealloc(out->j, *cap * sizeof(*out->j));
	}
	return &out->j[out->n++];
}

static void add_instance(const struct job_list *in, const char *group, const char *key, struct job_list *out,
			 size_t *cap)
{
	for (size_t i = 0; i < in->n; i++) {
		const struct job_spec *j = &in->j[i];
		if (strcmp(j->o.group, group) || (j->swept[0] && strcmp(j->swept, key)))
			continue;
		struct job_spec *c = append_job(out, cap);
		copy_job(c, j);
		if (!j->swept[0])
			fmt_into(c->name, sizeof(c->name), "%s@%s", j->name, key);
		fmt_into(c->o.group, sizeof(c->o.group), "%s[%s]", group, key);
	}
}

/* A group whose members are swept runs once per swept value (MLC's loaded latency: the load's delay
 * swept, the latency job beside each step), unswept members joining every run. Groups without a
 * swept member run once, as written. Jobs keep their order; a group's runs stand where it did. */
static void expand_groups(struct job_list *jobs)
{
	/* room as needed: a bound of every job in every run would be n^2 specs for a large config */
	size_t cap = 0;
	struct job_list out = { 0 };
	char *done = xcalloc(jobs->n + 1, 1);
	for (size_t i = 0; i < jobs->n; i++) {
		const struct job_spec *j = &jobs->j[i];
		int swept_group = 0;
		for (size_t k = i; k < jobs->n && j->o.group[0] && !done[i]; k++)
			swept_group |= !strcmp(jobs->j[k].o.group, j->o.group) && jobs->j[k].swept[0];
		if (!j->o.group[0] || !swept_group) {
			if (!done[i])
				copy_job(append_job(&out, &cap), j);
			continue;
		}
		/* each distinct swept key of the group, in order of appearance, is one run */
		for (size_t k = i; k < jobs->n; k++) {
			const struct job_spec *m = &jobs->j[k];
			if (strcmp(m->o.group, j->o.group))
				continue;
			done[k] = 1;
			int seen = 0;
			for (size_t p = i; p < k && !seen; p++)
				seen = !strcmp(jobs->j[p].o.group, j->o.group) && !strcmp(jobs->j[p].swept, m->swept);
			if (m->swept[0] && !seen)
				add_instance(jobs, j->o.group, m->swept, &out, &cap);
		}
	}
	free(done);
	jobs_free(jobs);
	*jobs = out;
}

/* The jobs of a group start and stop together: they share runtime, repeat and window, end by time
 * (not by an op count) and each has a file of its own. 0, or -1 after "file:line: [job]: why". */
static int check_groups(const struct job_list *jobs)
{
	for (size_t i = 0; i < jobs->n; i++) {
		const struct job_spec *a = &jobs->j[i];
		if (!a->o.group[0])
			continue;
		const char *why = NULL;
		const struct job_spec *b = NULL;
		if (a->o.ops)
			why = "a job of a group ends by its runtime, not by ops";
		for (size_t k = 0; k < i && !why; k++) {
			b = &jobs->j[k];
			if (strcmp(a->o.group, b->o.group))
				continue;
			if (a->o.runtime_ns != b->o.runtime_ns)
				why = "its runtime differs from";
			else if (a->o.repeat != b->o.repeat)
				why = "its repeat differs from";
			else if (a->o.window_ns != b->o.window_ns)
				why = "its window differs from";
			else if (a->o.file[0] && !strcmp(a->o.file, b->o.file))
				why = "it names the same file as";
		}
		if (why && a->o.ops)
			return error("%s:%d: [%s]: group %s: %s", a->file, a->line, a->name, a->o.group, why);
		if (why)
			return error("%s:%d: [%s]: group %s: %s [%s]; jobs of a group start and stop together", a->file,
				     a->line, a->name, a->o.group, why, b->name);
	}
	return 0;
}

static int set_unused_error(const struct cfg *c, const struct cfg_entry *e)
{
	char msg[512];
	const struct workload *other = owner_of(e->key);
	if (other)
		fmt_into(msg, sizeof(msg), "no job of %s has option '%s' (it belongs to workload %s)", c->name, e->key,
			 other->name);
	else
		fmt_into(msg, sizeof(msg), "no job of %s has option '%s' (its workloads ignore it)", c->name, e->key);
	return entry_error(e, msg);
}

int jobs_build(struct cfg *c, const struct strlist *sets, struct job_list *out)
{
	memset(out, 0, sizeof(*out));
	struct cfg_entry *set_entries = xcalloc(sets->n + 1, sizeof(*set_entries));
	int rc = 0;
	for (size_t i = 0; i < sets->n && !rc; i++) {
		char *eq = strchr(sets->v[i], '=');
		const char *bad = utf8_invalid(sets->v[i]);
		if (bad) {
			/* the result is JSON, whose strings are UTF-8: such a value would be dropped from it */
			rc = error("--set: argument %zu is not UTF-8 text (byte 0x%02x at offset %zu)", i + 1,
				   (unsigned char)*bad, (size_t)(bad - sets->v[i]));
			break;
		}
		if (!eq || eq == sets->v[i]) {
			rc = error("--set %s: expected KEY=VALUE", sets->v[i]);
			break;
		}
		set_entries[i].key = xstrdup(sets->v[i]);
		set_entries[i].key[eq - sets->v[i]] = '\0';
		set_entries[i].value = xstrdup(eq + 1);
		set_entries[i].file = "--set";
		for (size_t k = 0; k < i && !rc; k++)
			if (!strcmp(set_entries[k].key, set_entries[i].key))
				rc = error("--set %s: %s is set twice on the command line (the first was --set %s=%s); "
					   "a list such as %s=a,b sweeps", sets->v[i], set_entries[i].key, set_entries[k].key,
					   set_entries[k].value, set_entries[i].key);
	}
	/* an override that no job can use is a typo, not a no-op */
	for (size_t i = 0; i < sets->n && !rc; i++) {
		if (opt_find(job_opt_table, set_entries[i].key) || owner_of(set_entries[i].key))
			continue;
		char hint[64], msg[256];
		suggest(set_entries[i].key, hint, sizeof(hint));
		fmt_into(msg, sizeof(msg), "unknown option '%s'%s", set_entries[i].key, hint);
		rc = entry_error(&set_entries[i], msg);
	}
	int *set_used = xcalloc(sets->n + 1, sizeof(int));
	for (size_t i = 0; i < c->n && !rc; i++)
		if (strcmp(c->s[i].name, CFG_GLOBAL))
			rc = build_section(c, &c->s[i], sets, set_entries, set_used, out);
	if (!rc && out->n == 0)
		rc = error("%s: no job sections (%s)", c->path, c->n ? "only [global]" : "not one [section] in it");
	/* an override no job takes would change nothing while the result says it was asked */
	for (size_t i = 0; i < sets->n && !rc; i++)
		if (!set_used[i])
			rc = set_unused_error(c, &set_entries[i]);
	free(set_used);
	if (!rc)
		expand_groups(out);
	if (!rc)
		rc = check_groups(out);
	for (size_t i = 0; i < sets->n; i++) {
		free(set_entries[i].key);
		free(set_entries[i].value);
	}
	free(set_entries);
	if (rc)
		jobs_free(out);
	return rc;
}

void jobs_free(struct job_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->j[i].wo);
	free(l->j);
	memset(l, 0, sizeof(*l));
}

void jobs_each_option(const struct job_spec *j, void (*fn)(void *ctx, const char *name, const char *value),
		      void *ctx)
{
	char buf[512];
	for (const struct opt_def *d = job_opt_table; d->name; d++) {
		if (is_ignored(j->wl, d->name))
			continue;
		opt_format(d, &j->o, buf, sizeof(buf));
		fn(ctx, d->name, buf);
	}
	for (const struct opt_def *d = j->wl->opts; d && d->name; d++) {
		opt_format(d, j->wo, buf, sizeof(buf));
		fn(ctx, d->name, buf);
	}
}

int jobs_check_file(const char *path)
{
	struct cfg c;
	struct job_list jobs;
	struct strlist sets = { 0 };
	if (cfg_load(&c, path))
		return -1;
	int rc = jobs_build(&c, &sets, &jobs);
	if (rc == 0)
		jobs_free(&jobs);
	cfg_free(&c);
	return rc;
}

/* Seconds the jobs after index i are planned to take (op-bounded ones may end sooner). */
double jobs_after_s(const struct job_list *jobs, size_t i, unsigned times)
{
	double s = 0;
	for (size_t k = i + 1; k < jobs->n; k++)
		s += (double)(jobs->j[k].o.runtime_ns + jobs->j[k].o.warmup.ns) * (double)jobs->j[k].o.repeat / 1e9;
	return s * times;
}

