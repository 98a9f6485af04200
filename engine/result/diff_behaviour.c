/*
 * Behaviour, not speed: what a kernel change made the jobs do differently. Status (with reasons),
 * crashes, verification, SIGBUS / EIO and their si_codes, poison outcomes, placement, PMD against
 * fallback faults, effective DAX, and kernel findings new on the new side. Items that mean the new
 * side is worse in kind (a job newly failed or crashed, a new verification failure, a new kernel
 * WARNING/BUG/Oops) carry gate: true, which `--fail-on` turns into exit 1.
 */
#include "result/diff.h"
#include "result/kernlog.h"
#include "lib/util.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static const char *jstr(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

static void item(json_t *out, const char *side, const char *job, const char *kind, int gate, json_t *text)
{
	json_t *o = json_pack("{s:s, s:o, s:s, s:b, s:o}", "side", side, "job", job ? json_string(job) : json_null(),
			      "kind", kind, "gate", gate, "text", text);
	json_array_append_new(out, o);
}

static int failed_rank(const char *st)
{
	return !strcmp(st, "failed") || !strcmp(st, "crashed");
}

static void status_change(const struct diff_job *b, const struct diff_job *n, const char *side, json_t *out)
{
	if (!strcmp(b->status, n->status) || !strcmp(n->status, "crashed"))
		return; /* a crash is said once, by the side */
	item(out, side, n->name, "status", failed_rank(n->status) && !failed_rank(b->status),
	     json_sprintf("status %s -> %s%s%s", b->status, n->status, n->reason ? ": " : "", n->reason ? n->reason : ""));
}

/* verify of every entry: -1 none ran, 0 one failed (first failing one in *bad), 1 all passed */
static int verify_state(const struct diff_job *j, json_t **bad)
{
	int state = -1;
	size_t i;
	json_t *e;
	json_array_foreach(j->entries, i, e) {
		json_t *v = json_object_get(e, "verify");
		if (!json_is_object(v))
			continue;
		if (json_is_false(json_object_get(v, "ok"))) {
			*bad = v;
			return 0;
		}
		state = 1;
	}
	return state;
}

static void verify_change(const struct diff_job *b, const struct diff_job *n, const char *side, json_t *out)
{
	json_t *bv = NULL, *nv = NULL;
	int bs = verify_state(b, &bv), ns = verify_state(n, &nv);
	if (ns == 0 && bs != 0)
		item(out, side, n->name, "verify", 1,
		     json_sprintf("verification failed: %lld of %lld blocks bad, first at offset %lld: %s",
				  (long long)json_integer_value(json_object_get(nv, "bad_blocks")),
				  (long long)json_integer_value(json_object_get(nv, "checked_blocks")),
				  (long long)json_integer_value(json_object_get(nv, "first_bad_offset")), jstr(nv, "what")));
	else if (bs == 0 && ns == 1)
		item(out, side, n->name, "verify", 0, json_string("verification passes now (failed on base)"));
}

static void add_count(json_t *sums, const char *key, json_t *v)
{
	if (json_is_integer(v))
		json_object_set_new(sums, key, json_integer(json_integer_value(json_object_get(sums, key)) +
							    json_integer_value(v)));
}

/* The poison counts of every entry summed, flat: {"SIGBUS": n, "EIO": n, "BUS_MCEERR_AR": n, ...}. */
static json_t *poison_sums(const struct diff_job *j)
{
	json_t *sums = json_object(), *e;
	size_t i;
	json_array_foreach(j->entries, i, e) {
		json_t *p = json_object_get(e, "poison"), *v;
		if (!json_is_object(p))
			continue;
		static const char *const top[][2] = { { "pages_injected", "pages injected" }, { "hits", "hits" },
			{ "recovered", "recovered" }, { "recovered_data_ok", "recovered with data intact" },
			{ "lost", "lost" }, { "threads_stopped", "threads stopped" }, { "left_poisoned", "left poisoned" } };
		for (size_t k = 0; k < ARRAY_SIZE(top); k++)
			add_count(sums, top[k][1], json_object_get(p, top[k][0]));
		add_count(sums, "SIGBUS", json_object_get(json_object_get(p, "hits_by"), "sigbus"));
		add_count(sums, "EIO", json_object_get(json_object_get(p, "hits_by"), "eio"));
		const char *code;
		json_object_foreach(json_object_get(p, "codes"), code, v) {
			if (strcmp(code, "EIO")) {
				char *k = xasprintf("si_code %s", code);
				add_count(sums, k, v);
				free(k);
			}
		}
	}
	return sums;
}

/* Said when a kind of outcome appears or disappears (a count leaves or reaches 0): the counts
 * themselves move with timing from run to run. */
static void poison_change(const struct diff_job *b, const struct diff_job *n, const char *side, json_t *out)
{
	json_t *bs = poison_sums(b), *ns = poison_sums(n), *v;
	const char *k;
	int kind_changed = 0;
	char text[1024] = "poison:";
	size_t used = strlen(text);
	json_t *keys = json_object();
	json_object_update(keys, bs);
	json_object_update(keys, ns);
	json_object_foreach(keys, k, v) {
		json_int_t x = json_integer_value(json_object_get(bs, k)), y = json_integer_value(json_object_get(ns, k));
		if (x == y)
			continue;
		kind_changed |= (x == 0) != (y == 0);
		int w = snprintf(text + used, sizeof(text) - used, "%s %s %lld -> %lld", used > 7 ? "," : "", k,
				 (long long)x, (long long)y);
		if (w > 0 && (size_t)w < sizeof(text) - used)
			used += (size_t)w;
	}
	if (kind_changed)
		item(out, side, n->name, "poison", 0, json_string(text));
	json_decref(keys);
	json_decref(bs);
	json_decref(ns);
}

/* -1 no placement asked/recorded, 0 one entry not honoured (its why_not in *why), 1 honoured */
static int placement_state(const struct diff_job *j, const char **why)
{
	int state = -1;
	size_t i;
	json_t *e;
	json_array_foreach(j->entries, i, e) {
		json_t *p = json_object_get(e, "placement");
		if (!json_is_object(p))
			continue;
		if (json_is_false(json_object_get(p, "honoured"))) {
			*why = jstr(p, "why_not");
			return 0;
		}
		state = 1;
	}
	return state;
}

static void placement_change(const struct diff_job *b, const struct diff_job *n, const char *side, json_t *out)
{
	const char *bw = "", *nw = "";
	int bs = placement_state(b, &bw), ns = placement_state(n, &nw);
	if (ns == 0 && bs == 1)
		item(out, side, n->name, "placement", 0, json_sprintf("placement not honoured: %s", nw));
	else if (bs == 0 && ns == 1)
		item(out, side, n->name, "placement", 0, json_sprintf("placement honoured now (base: %s)", bw));
}

/* The fault workload's detail: "... %ld mapped a PMD (NOPAGE), %ld fell back to 4 KiB (FALLBACK) ..." */
static int pmd_counts(const struct diff_job *j, long long *pmd, long long *fallback)
{
	int found = 0;
	*pmd = *fallback = 0;
	size_t i;
	json_t *e;
	json_array_foreach(j->entries, i, e) {
		const char *d = strstr(jstr(e, "detail"), "dax_pmd_fault_done: ");
		long long p, f;
		if (d && sscanf(d, "dax_pmd_fault_done: %lld mapped a PMD (NOPAGE), %lld fell back", &p, &f) == 2) {
			*pmd += p;
			*fallback += f;
			found = 1;
		}
	}
	return found;
}

static void pmd_change(const struct diff_job *b, const struct diff_job *n, const char *side, json_t *out)
{
	long long bp, bf, np, nf;
	if (pmd_counts(b, &bp, &bf) && pmd_counts(n, &np, &nf) && (bp != np || bf != nf))
		item(out, side, n->name, "pmd", 0,
		     json_sprintf("2 MiB faults: PMD mapped %lld -> %lld, fell back to 4 KiB %lld -> %lld", bp, np, bf, nf));
}

static void dax_change(const struct diff_job *b, const struct diff_job *n, const char *side, json_t *out)
{
	json_t *x = json_object_get(json_object_get(b->first, "target"), "dax_effective");
	json_t *y = json_object_get(json_object_get(n->first, "target"), "dax_effective");
	if (b->first && n->first && (x || y) && !json_equal(x, y)) {
		const char *bt = json_is_true(x) ? "on" : json_is_false(x) ? "off" : "unknown";
		const char *nt = json_is_true(y) ? "on" : json_is_false(y) ? "off" : "unknown";
		item(out, side, n->name, "dax", 0, json_sprintf("effective DAX %s -> %s", bt, nt));
	}
}

/* What makes two findings the same across boots and kernel versions: kind, function and source file
 * (not its line, which moves with any patch to the file); without those, the text with its numbers
 * (PIDs, addresses, times) taken out. */
static char *event_id(json_t *ev)
{
	const char *fn = jstr(ev, "function"), *loc = jstr(ev, "location");
	if (*fn || *loc)
		return xasprintf("%s|%s|%.*s", jstr(ev, "kind"), fn, (int)strcspn(loc, ":"), loc);
	char *t = xasprintf("%s|%s", jstr(ev, "kind"), jstr(ev, "text")), *w = t;
	for (const char *r = t; *r;) {
		/* a run of hex digits holding a decimal digit is a number: dropped */
		size_t run = 0, digits = 0;
		while (isxdigit((unsigned char)r[run]))
			digits += isdigit((unsigned char)r[run++]) != 0;
		if (run && digits) {
			r += run;
			continue;
		}
		size_t keep = run ? run : 1;
		memmove(w, r, keep);
		w += keep;
		r += keep;
	}
	*w = '\0';
	return t;
}

static void new_events(json_t *base, json_t *new, const char *side, const char *job, json_t *out)
{
	json_t *seen = json_object(), *ev;
	size_t i;
	json_array_foreach(base, i, ev) {
		char *id = event_id(ev);
		json_object_set_new(seen, id, json_true());
		free(id);
	}
	json_array_foreach(new, i, ev) {
		char *id = event_id(ev);
		if (!json_object_get(seen, id)) {
			json_object_set_new(seen, id, json_true());
			const char *kind = jstr(ev, "kind"), *loc = jstr(ev, "location"), *fn = jstr(ev, "function");
			char where[300] = "";
			if (*loc || *fn)
				fmt_into(where, sizeof(where), " at %s%s%s", loc, *loc && *fn ? " " : "", fn);
			int fault = kernlog_kind_is_fault(kind);
			item(out, side, job, "kernel", fault, json_sprintf("new kernel %s%s: %s", kind, where, jstr(ev, "text")));
			if (*jstr(ev, "source"))
				json_object_set(json_array_get(out, json_array_size(out) - 1), "source",
						json_object_get(ev, "source"));
		}
		free(id);
	}
	json_decref(seen);
}

void diff_job_behaviour(const struct diff_job *b, const struct diff_job *n, const char *side, json_t *out)
{
	status_change(b, n, side, out);
	if (n->interrupted && !b->interrupted)
		item(out, side, n->name, "interrupted", 0, json_string("interrupted: stopped by a signal, rounds cut short"));
	verify_change(b, n, side, out);
	poison_change(b, n, side, out);
	placement_change(b, n, side, out);
	pmd_change(b, n, side, out);
	dax_change(b, n, side, out);
	new_events(b->kernel_events, n->kernel_events, side, n->name, out);
}

void diff_side_behaviour(const struct diff_side *b, const struct diff_side *n, json_t *out)
{
	if (n->crashed_in && (!b->crashed_in || strcmp(b->crashed_in, n->crashed_in)))
		item(out, n->label, n->crashed_in, "crash", 1, json_sprintf("crashed in %s", n->crashed_in));
	if (n->interrupted && !b->interrupted)
		item(out, n->label, NULL, "interrupted", 0, json_string("the run was interrupted: later jobs are absent"));
	if (n->log_only)
		item(out, n->label, NULL, "no result", 0, json_string("no result.json: the run wrote nothing; only its kernel log"));
	new_events(b->log_events, n->log_events, n->label, NULL, out);
}
