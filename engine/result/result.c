#include "result/result.h"
#include "result/pacing.h"
#include "result/groups.h"
#include "measure/host.h"
#include "measure/timer.h"
#include "lib/util.h"
#include "lib/cleanup.h"
#include "lib/version.h"
#include "measure/topo.h"
#include "measure/place.h"
#include "result/result_poison.h"
#include "workloads/workload.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const status_names[] = { "ok", "skipped", "failed" };

static double ns(double ticks)
{
	return timer_ticks_to_ns(ticks);
}

static void add_option(void *ctx, const char *name, const char *value)
{
	json_object_set_new(ctx, name, json_string(value));
}

static json_t *swept_json(const struct job_spec *s)
{
	json_t *o = json_object();
	char *copy = xstrdup(s->swept), *save = NULL;
	for (char *kv = strtok_r(copy, ",", &save); kv; kv = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(kv, '=');
		if (eq) {
			*eq = '\0';
			json_object_set_new(o, kv, json_string(eq + 1));
		}
	}
	free(copy);
	return o;
}

static json_t *latency_json(const struct job_result *r)
{
	const struct hist *h = &r->lat;
	json_t *p = json_object();
	for (unsigned i = 0; i < r->spec->o.percentiles.count; i++) {
		char key[32];
		snprintf(key, sizeof(key), "%g", r->spec->o.percentiles.p[i]);
		json_object_set_new(p, key, json_real(ns(hist_percentile(h, r->spec->o.percentiles.p[i]))));
	}
	return json_pack("{s:I, s:f, s:f, s:f, s:f, s:o}", "samples", (json_int_t)h->count, "min",
			 h->count ? ns((double)h->min) : 0.0, "mean", ns(hist_mean(h)), "stddev", ns(hist_stddev(h)),
			 "max", ns((double)h->max), "percentiles", p);
}

static json_t *histogram_json(const struct hist *h)
{
	json_t *b = json_array();
	for (unsigned i = 0; i < h->nbuckets; i++) {
		if (!h->buckets[i])
			continue;
		uint64_t lo, hi;
		hist_bucket_range(h->bits, i, &lo, &hi);
		json_array_append_new(b, json_pack("[f, f, I]", ns((double)lo), ns((double)hi), (json_int_t)h->buckets[i]));
	}
	return json_pack("{s:s, s:i, s:f, s:o}", "unit", "ns [lower, upper) count", "sub_bucket_bits", (int)h->bits,
			 "max_relative_error", 1.0 / (double)(2u << h->bits), "buckets", b);
}

static json_t *timeline_json(const struct job_result *r)
{
	json_t *w = json_array();
	double window_s = (double)r->spec->o.window_ns / 1e9;
	int truncated = 0;
	for (unsigned k = 0; k < r->nrounds; k++) {
		const struct timeline *tl = &r->rounds[k].tl;
		double round_s = (double)r->rounds[k].runtime_ns / 1e9;
		truncated |= tl->truncated;
		for (unsigned i = 0; i < tl->used; i++) {
			const struct tl_window *x = &tl->w[i];
			/* the last window is cut short by the end of the round: rates use its real length */
			double t = (double)i * window_s;
			double len = round_s - t < window_s ? round_s - t : window_s;
			if (len <= 0)
				continue;
			json_array_append_new(
				w, json_pack("{s:i, s:f, s:f, s:I, s:I, s:f, s:f, s:f, s:f}", "round", (int)k, "t_s", t,
					     "duration_s", len, "ops", (json_int_t)x->ops, "bytes", (json_int_t)x->bytes,
					     "ops_per_sec", (double)x->ops / len, "bytes_per_sec", (double)x->bytes / len,
					     "p50_ns", ns(hist_percentile(&x->lat, 50)), "p99_ns",
					     ns(hist_percentile(&x->lat, 99))));
		}
	}
	if (r->poison)
		poison_mark_windows(w, r->poison, window_s);
	return json_pack("{s:I, s:b, s:f, s:o}", "window_ns", (json_int_t)r->spec->o.window_ns, "truncated", truncated,
			 "percentile_max_relative_error", 1.0 / (double)(2u << HIST_COARSE_BITS), "windows", w);
}

static json_t *rounds_json(const struct job_result *r, uint64_t epoch, json_t **spread)
{
	json_t *a = json_array();
	double lo = 0, hi = 0, sum = 0, sumsq = 0;
	for (unsigned k = 0; k < r->nrounds; k++) {
		const struct round_result *x = &r->rounds[k];
		json_array_append_new(a, json_pack("{s:f, s:I, s:I, s:I, s:f, s:f, s:f, s:f, s:f, s:f}", "start_s",
						   x->start_mono_ns > epoch ? (double)(x->start_mono_ns - epoch) / 1e9 : 0.0,
						   "ops", (json_int_t)x->ops,
						   "bytes", (json_int_t)x->bytes, "runtime_ns", (json_int_t)x->runtime_ns,
						   "ops_per_sec", x->ops_per_sec, "bytes_per_sec", x->bytes_per_sec,
						   "mean_ns", x->mean_ns, "p50_ns", x->p50_ns, "p99_ns", x->p99_ns,
						   "p999_ns", x->p999_ns));
		lo = k == 0 || x->ops_per_sec < lo ? x->ops_per_sec : lo;
		hi = x->ops_per_sec > hi ? x->ops_per_sec : hi;
		sum += x->ops_per_sec;
		sumsq += x->ops_per_sec * x->ops_per_sec;
	}
	double mean = r->nrounds ? sum / r->nrounds : 0;
	double var = r->nrounds > 1 ? (sumsq - r->nrounds * mean * mean) / (r->nrounds - 1) : 0;
	*spread = json_pack("{s:f, s:f, s:f}", "ops_per_sec_min", lo, "ops_per_sec_max", hi, "ops_per_sec_rel_stddev",
			    mean > 0 && var > 0 ? sqrt(var) / mean : 0.0);
	return a;
}

static json_t *target_json(const struct job_result *r, const struct target *t)
{
	json_t *dax = r->dax_effective < 0 ? json_null() : json_boolean(r->dax_effective);
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o}", "path", r->shown_path, "dir", t->dir, "chosen",
			      t->why, "mountpoint", t->fs.mountpoint, "fstype", t->fs.fstype, "mount_options",
			      t->fs.options, "device", t->fs.device[0] ? t->fs.device : t->fs.source, "device_dax_capable",
			      t->fs.dax_capable < 0 ? json_null() : json_boolean(t->fs.dax_capable), "dax_effective", dax);
	if (r->dax_effective < 0 && r->dax_unknown_why[0])
		json_object_set_new(o, "dax_unknown_why", json_string(r->dax_unknown_why));
	json_object_set_new(o, "kind", json_string(t->devdax ? "devdax" : "file"));
	json_object_set_new(o, "devdax_align_bytes", t->devdax ? json_integer((json_int_t)t->devdax_align) : json_null());
	json_object_set_new(o, "dax_requested", json_string(dax_names[r->spec->o.dax]));
	json_object_set_new(o, "dax_mount_mode", json_string(dax_mount_mode(&t->fs)));
	json_object_set_new(o, "device_numa_node", t->fs.numa_node < 0 ? json_null() : json_integer(t->fs.numa_node));
	json_object_set_new(o, "device_numa_node_hwloc",
			    t->fs.numa_node_hwloc < 0 ? json_null() : json_integer(t->fs.numa_node_hwloc));
	json_object_set_new(o, "device_region", t->fs.region[0] ? json_string(t->fs.region) : json_null());
	json_object_set_new(o, "device_region_numa_node",
			    t->fs.region_numa_node < 0 ? json_null() : json_integer(t->fs.region_numa_node));
	json_object_set_new(o, "page_cache_bytes",
			    r->page_cache_bytes < 0 ? json_null() : json_integer((json_int_t)r->page_cache_bytes));
	if (r->has_toggle) {
		const struct dax_toggle *x = &r->toggle;
		json_object_set_new(o, "dax_toggle",
				    json_pack("{s:b, s:b, s:b, s:b, s:I, s:i}", "before", x->before == 1, "while_open",
					      x->while_open == 1, "after_close", x->after_close == 1, "effective",
					      x->effective, "after_close_ns", (json_int_t)x->after_close_ns, "polls",
					      (int)x->polls));
	}
	return o;
}

static json_t *threads_json(const struct job_result *r)
{
	json_t *a = json_array();
	for (unsigned i = 0; i < r->nthreads && r->nrounds; i++)
		json_array_append_new(a, json_pack("{s:i, s:i}", "cpu", r->cpu_pinned[i], "cpu_seen", r->cpu_seen[i]));
	return a;
}

/* What was asked (cpu_node, mem_node) against what happened: the CPUs workers ran on, and the nodes a
 * sample of the job file's pages were on (move_pages; DAX pages are the device's). */
static json_t *placement_json(const struct job_result *r, const struct target *t)
{
	const struct job_opts *o = &r->spec->o;
	json_t *pages = json_object();
	for (unsigned n = 0; n < 64; n++) {
		if (r->mem_counts[n]) {
			char k[16];
			snprintf(k, sizeof(k), "%u", n);
			json_object_set_new(pages, k, json_integer(r->mem_counts[n]));
		}
	}
	if (r->mem_unknown)
		json_object_set_new(pages, "unknown", json_integer(r->mem_unknown));
	int cpu_ok = 1, mem_ok = 1;
	char why[256] = "";
	if (o->cpu_node >= 0) {
		int cpus[1024];
		unsigned nc = place_node_cpus(o->cpu_node, cpus, 1024);
		for (unsigned i = 0; i < r->nthreads && r->nrounds; i++) {
			int in = 0;
			for (unsigned k = 0; k < nc; k++)
				in |= cpus[k] == r->cpu_seen[i];
			if (!in && cpu_ok) {
				cpu_ok = 0;
				fmt_into(why, sizeof(why), "thread %u ran on CPU %d, not on node %d", i, r->cpu_seen[i], o->cpu_node);
			}
		}
	}
	if (o->threads_per_node) {
		/* worker i belongs to the (i / threads_per_node)-th node with CPUs */
		int nodes[PLACE_MAX_NODES];
		unsigned nn = place_cpu_nodes(nodes, PLACE_MAX_NODES);
		for (unsigned i = 0; i < r->nthreads && r->nrounds && cpu_ok; i++) {
			unsigned k = i / (unsigned)o->threads_per_node;
			int want = k < nn ? nodes[k] : -1, got = place_cpu_node(r->cpu_seen[i]);
			if (got != want) {
				cpu_ok = 0;
				fmt_into(why, sizeof(why), "thread %u ran on CPU %d (node %d), not on node %d", i, r->cpu_seen[i],
					 got, want);
			}
		}
	}
	if (o->mem_node >= 0 && r->dax_effective == 1) {
		mem_ok = t->fs.numa_node == o->mem_node;
		if (!mem_ok && !why[0])
			fmt_into(why, sizeof(why), "DAX pages live on the device's node (%d), not on node %d", t->fs.numa_node,
				 o->mem_node);
	} else if (o->mem_node >= 0 && o->mem_policy == POLICY_BIND && r->mem_sampled) {
		mem_ok = r->mem_counts[o->mem_node] == r->mem_sampled;
		if (!mem_ok && !why[0])
			fmt_into(why, sizeof(why), "%u of %u sampled pages on node %d", r->mem_counts[o->mem_node], r->mem_sampled,
				 o->mem_node);
	}
	return json_pack("{s:i, s:I, s:i, s:s, s:I, s:o, s:b, s:o}", "cpu_node", o->cpu_node, "threads_per_node",
			 (json_int_t)o->threads_per_node, "mem_node", o->mem_node,
			 "mem_policy", policy_names[o->mem_policy],
			 "pages_sampled", (json_int_t)r->mem_sampled, "pages_by_node", pages, "honoured", cpu_ok && mem_ok,
			 "why_not", why[0] ? json_string(why) : json_null());
}

static json_t *job_json(const struct job_result *r, const struct target *t, uint64_t epoch)
{
	const struct job_spec *s = r->spec;
	json_t *opts = json_object();
	jobs_each_option(s, add_option, opts);
	double secs = (double)r->runtime_ns / 1e9;
	json_t *spread;
	json_t *rounds = rounds_json(r, epoch, &spread);
	char where[PATH_MAX + 16];
	snprintf(where, sizeof(where), "%s:%d", s->file, s->line);
	json_t *j = json_pack("{s:s, s:s, s:s, s:o, s:o, s:s, s:o, s:b}", "name", s->name, "workload", s->wl->name,
			      "section", where, "swept", swept_json(s), "options", opts, "status",
			      status_names[r->status], "reason", r->reason[0] ? json_string(r->reason) : json_null(),
			      "interrupted", r->interrupted);
	json_object_set_new(j, "detail", r->detail[0] ? json_string(r->detail) : json_null());
	json_object_set_new(j, "durable", r->durable < 0 ? json_null() : json_boolean(r->durable));
	struct pacing pace;
	if (pacing_of(r, &pace) == 0)
		json_object_set_new(j, "pacing", json_pack("{s:s, s:f, s:f, s:f, s:b}", "unit", pace.unit, "asked", pace.asked,
							   "reached", pace.reached, "reached_ratio", pace.reached / pace.asked,
							   "met", pace.met));
	json_object_set_new(j, "target", target_json(r, t));
	json_object_set_new(j, "ops", json_integer((json_int_t)r->ops));
	json_object_set_new(j, "bytes", json_integer((json_int_t)r->bytes));
	json_object_set_new(j, "runtime_ns", json_integer((json_int_t)r->runtime_ns));
	json_object_set_new(j, "ops_per_sec", json_real(secs > 0 ? (double)r->ops / secs : 0));
	json_object_set_new(j, "bytes_per_sec", json_real(secs > 0 ? (double)r->bytes / secs : 0));
	json_object_set_new(j, "latency_mode", json_string(r->latency_mode));
	json_object_set_new(j, "latency_ns", latency_json(r));
	json_object_set_new(j, "histogram", histogram_json(&r->lat));
	json_object_set_new(j, "rounds", rounds);
	json_object_set_new(j, "spread", spread);
	json_object_set_new(j, "timeline", timeline_json(r));
	json_object_set_new(j, "threads", threads_json(r));
	json_object_set_new(j, "placement", placement_json(r, t));
	if (r->ncls) {
		json_t *cls = json_array();
		for (unsigned k = 0; k < r->ncls; k++) {
			const struct hist *h = &r->cls[k];
			json_array_append_new(cls, json_pack("{s:s, s:I, s:f, s:f, s:f, s:f, s:f}", "name", s->wl->classes[k],
							     "samples", (json_int_t)h->count, "mean_ns", ns(hist_mean(h)),
							     "p50_ns", ns(hist_percentile(h, 50)), "p99_ns",
							     ns(hist_percentile(h, 99)), "min_ns", h->count ? ns((double)h->min) : 0.0,
							     "max_ns", ns((double)h->max)));
		}
		json_object_set_new(j, "classes", cls);
	}
	if (r->poison)
		json_object_set_new(j, "poison", poison_json(r->poison));
	if (r->verified)
		json_object_set_new(j, "verify",
				    json_pack("{s:b, s:I, s:I, s:I, s:i, s:I, s:s}", "ok", r->vr.bad_blocks == 0, "checked_blocks",
					      (json_int_t)r->vr.checked_blocks, "bad_blocks", (json_int_t)r->vr.bad_blocks,
					      "first_bad_offset", (json_int_t)r->vr.first_bad_offset, "expected_gen",
					      (int)r->vr.expected_gen, "found_gen", (json_int_t)r->vr.found_gen, "what",
					      r->vr.what));
	return j;
}

/* The runs of every group: members, the latency job's mean and p99 beside the others' load; NULL
 * when no job ran in a group. */
static json_t *groups_json(const struct job_result *rs, size_t n)
{
	struct group_run runs[256];
	size_t count = group_runs(rs, n, runs, 256);
	if (!count)
		return NULL;
	json_t *a = json_array();
	for (size_t i = 0; i < count; i++) {
		const struct group_run *g = &runs[i];
		json_t *members = json_array();
		for (unsigned k = 0; k < g->members; k++)
			json_array_append_new(members, json_string(g->specs[k]->name));
		json_t *lat = json_null();
		if (g->latency && g->lat.count)
			lat = json_pack("{s:s, s:f, s:f}", "job", g->latency->spec->name, "mean_ns",
					timer_ticks_to_ns(hist_mean(&g->lat)), "p99_ns",
					timer_ticks_to_ns(hist_percentile(&g->lat, 99)));
		json_t *idle = json_null();
		if (g->idle && g->idle_lat.count)
			idle = json_pack("{s:s, s:f, s:f}", "job", g->idle->spec->name, "mean_ns",
					 timer_ticks_to_ns(hist_mean(&g->idle_lat)), "p99_ns",
					 timer_ticks_to_ns(hist_percentile(&g->idle_lat, 99)));
		json_array_append_new(a, json_pack("{s:s, s:o, s:o, s:i, s:b, s:f, s:o, s:o, s:i, s:i}", "group", g->group, "series",
						   g->series[0] ? json_string(g->series) : json_null(), "jobs", members,
						   "rounds", (int)g->rounds, "ok", g->ok, "load_bytes_per_sec",
						   g->load_bytes_per_sec, "latency", lat, "idle", idle, "threads", (int)g->threads,
						   "cpus", (int)g->cpus));
	}
	group_runs_free(runs, count);
	return a;
}

json_t *result_to_json(const struct run_record *rec)
{
	const struct host_info *h = rec->host;
	json_t *jobs = json_array();
	for (size_t i = 0; i < rec->n; i++)
		json_array_append_new(jobs, job_json(&rec->results[i], rec->target, rec->started_mono_ns));
	json_t *root = json_pack("{s:i, s:{s:s, s:s}, s:s, s:s, s:b}", "schema", RESULT_SCHEMA, "daxperf", "version",
				 DAXPERF_VERSION, "git", DAXPERF_GIT, "command", rec->command, "started_utc",
				 rec->started_utc, "interrupted", rec->interrupted);
	json_object_set_new(root, "host",
			    json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:I, s:i}", "hostname", h->hostname, "kernel",
				      h->kernel, "kernel_version", h->kernel_version, "machine", h->machine, "cpu_model",
				      h->cpu_model, "cpus", (int)h->cpus, "memory_bytes", (json_int_t)h->memory_bytes,
				      "numa_nodes", (int)h->numa_nodes));
	/* the lab says so: its absolute timings are emulated and must be labelled as such */
	const char *emulated = host_emulated();
	json_object_set_new(json_object_get(root, "host"), "emulated", emulated ? json_string(emulated) : json_null());
	/* the lab's pmem medium: which kernel paths the DAX runs went through */
	struct lab_medium lm;
	json_object_set_new(json_object_get(root, "host"), "lab",
			    host_lab_medium(&lm)
				    ? json_pack("{s:s, s:o, s:o, s:s}", "medium", lm.name, "namespace_mode",
						lm.ns_mode[0] ? json_string(lm.ns_mode) : json_null(), "align_bytes",
						lm.align ? json_integer((json_int_t)lm.align) : json_null(), "description",
						lm.desc)
				    : json_null());
	/* the NUMA topology (hwloc) and the kernel's node distances, so a result says where it ran */
	struct topo_node nodes[64];
	unsigned nn = topo_nodes(nodes, 64);
	json_t *jn = json_array();
	for (unsigned i = 0; i < nn && i < 64; i++) {
		char path[96];
		snprintf(path, sizeof(path), "/sys/devices/system/node/node%u/distance", nodes[i].os_index);
		char *d = read_file(path, NULL);
		json_t *dist = json_array();
		for (char *tok = d ? strtok(d, " \n") : NULL; tok; tok = strtok(NULL, " \n"))
			json_array_append_new(dist, json_integer(atoi(tok)));
		free(d);
		json_array_append_new(jn, json_pack("{s:i, s:s, s:I, s:o}", "node", (int)nodes[i].os_index, "cpus",
						    nodes[i].cpus, "memory_bytes", (json_int_t)nodes[i].memory_bytes,
						    "distances", dist));
	}
	json_object_set_new(json_object_get(root, "host"), "numa", jn);
	json_object_set_new(root, "timer",
			    json_pack("{s:s, s:s, s:f, s:f, s:f, s:f, s:b}", "source", timer.source, "why", timer.why,
				      "ticks_per_ns", timer.ticks_per_ns, "resolution_ns", timer.resolution_ns,
				      "overhead_ns", timer.overhead_ns, "overhead_min_ns", timer.overhead_min_ns,
				      "overhead_subtracted", 0));
	json_object_set_new(root, "config",
			    json_pack("{s:s, s:s, s:s}", "name", rec->cfg->name, "path", rec->cfg->path, "text",
				      rec->cfg->text ? rec->cfg->text : ""));
	json_object_set_new(root, "jobs", jobs);
	json_t *groups = groups_json(rec->results, rec->n);
	if (groups)
		json_object_set_new(root, "groups", groups);
	return root;
}

int make_dirs(const char *path)
{
	char *p = xstrdup(path);
	int rc = 0;
	for (char *s = p + 1; ; s++) {
		if (*s == '/' || *s == '\0') {
			char c = *s;
			*s = '\0';
			if (mkdir(p, 0755) && errno != EEXIST)
				rc = -errno;
			*s = c;
			if (rc || c == '\0')
				break;
		}
	}
	free(p);
	return rc;
}

int result_write(json_t *root, const char *dir)
{
	return result_write_as(root, dir, RESULT_FILE);
}

int result_write_as(json_t *root, const char *dir, const char *name)
{
	int rc = make_dirs(dir);
	if (rc)
		return error("%s: cannot create result directory: %s", dir, strerror(-rc));
	char *tmp = xasprintf("%s/.%s.%d.tmp", dir, name, (int)getpid());
	char *final = xasprintf("%s/%s", dir, name);
	cleanup_add(tmp); /* a second signal while it is written must not leave a partial copy */
	rc = json_dump_file(root, tmp, JSON_INDENT(1) | JSON_REAL_PRECISION(10));
	int fd = rc == 0 ? open(tmp, O_RDONLY) : -1;
	if (rc || fd < 0 || fsync(fd) || rename(tmp, final)) {
		int e = errno;
		unlink(tmp);
		rc = error("%s: cannot write result: %s", final, strerror(e));
	}
	cleanup_forget(tmp);
	if (fd >= 0)
		close(fd);
	/* the rename is durable only once the directory is */
	int dfd = open(dir, O_RDONLY | O_DIRECTORY);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	free(tmp);
	free(final);
	return rc;
}
