/* The comparison itself: jobs matched by name, refused where their conditions differ, figures judged
 * by stats_compare; the outcome as one JSON document that the report, --format json and the gate read. */
#include "result/diff.h"
#include "result/stats.h"
#include "lib/util.h"

#include <math.h>
#include <string.h>

static json_t *num(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static const char *jstr(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

/* Text of a JSON value for a message: strings as they are, others as JSON, absent as "absent". */
static char *value_text(json_t *v)
{
	if (!v)
		return xstrdup("absent");
	if (json_is_string(v))
		return xasprintf("'%s'", json_string_value(v));
	char *d = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
	char *t = xstrdup(d ? d : "?");
	free(d);
	return t;
}

static void differs(json_t *why, const char *what, json_t *b, json_t *n)
{
	char *bt = value_text(b), *nt = value_text(n);
	json_array_append_new(why, json_sprintf("%s: %s (base) vs %s (new)", what, bt, nt));
	free(bt);
	free(nt);
}

/* Every reason the two jobs' figures cannot be set side by side; empty when they can. */
static json_t *not_comparable(const struct diff_job *b, const struct diff_job *n)
{
	json_t *why = json_array();
	if (b->inconsistent)
		json_array_append_new(why, json_sprintf("base: %s", b->inconsistent));
	if (n->inconsistent)
		json_array_append_new(why, json_sprintf("new: %s", n->inconsistent));
	if (strcmp(b->status, "ok") || strcmp(n->status, "ok")) {
		json_array_append_new(why, json_sprintf("status: %s (base) vs %s (new)", b->status, n->status));
		return why;
	}
	const char *k;
	json_t *v;
	json_object_foreach(b->options, k, v) {
		if (strcmp(k, "repeat") && !json_equal(v, json_object_get(n->options, k))) {
			char *what = xasprintf("option %s", k);
			differs(why, what, v, json_object_get(n->options, k));
			free(what);
		}
	}
	json_object_foreach(n->options, k, v) {
		if (strcmp(k, "repeat") && !json_object_get(b->options, k)) {
			char *what = xasprintf("option %s", k);
			differs(why, what, NULL, v);
			free(what);
		}
	}
	static const char *const medium[][2] = {
		{ "fstype", "filesystem" },
		{ "device_dax_capable", "DAX-capable device" },
		{ "dax_mount_mode", "DAX mount mode" },
		{ "dax_effective", "effective DAX mode" },
	};
	json_t *bt = json_object_get(b->first, "target"), *nt = json_object_get(n->first, "target");
	for (size_t i = 0; i < ARRAY_SIZE(medium); i++) {
		json_t *x = json_object_get(bt, medium[i][0]), *y = json_object_get(nt, medium[i][0]);
		if (!json_equal(x, y) && (x || y))
			differs(why, medium[i][1], x, y);
	}
	return why;
}

static json_t *summary_json(const struct stats_summary *s)
{
	return json_pack("{s:i, s:o, s:o, s:o, s:o, s:o}", "n", (int)s->n, "mean", num(s->mean), "sd", num(s->sd), "min",
			 num(s->min), "median", num(s->median), "max", num(s->max));
}

static json_t *figure_json(const struct diff_job *b, const struct diff_job *n, unsigned f, double thr,
			   enum stats_verdict *verdict)
{
	struct stats_compare c;
	stats_compare(b->fig[f], b->nfig[f], n->fig[f], n->nfig[f], diff_figures[f].lower_is_better, thr, &c);
	*verdict = c.verdict;
	json_t *o = json_pack("{s:s, s:s, s:s, s:o, s:o, s:o}", "figure", diff_figures[f].label, "key",
			      diff_figures[f].key, "better", diff_figures[f].lower_is_better ? "lower" : "higher", "base",
			      summary_json(&c.base), "new", summary_json(&c.new), "change_pct", num(c.change_pct));
	int judged = c.verdict != STATS_TOO_FEW && c.verdict != STATS_NO_BASELINE;
	json_object_set_new(o, "ci95_pct", judged ? json_pack("[o, o]", num(c.ci_lo_pct), num(c.ci_hi_pct)) : json_null());
	if (judged)
		json_object_set_new(o, "tests", json_pack("{s:b, s:b, s:b, s:b, s:f}", "welch_ci_excludes_0", c.welch,
							  "sd196_apart", c.sd_apart, "lkp_apart", c.lkp, "above_threshold",
							  c.floor, "welch_df", c.df));
	json_object_set_new(o, "verdict", json_string(stats_verdict_name(c.verdict)));
	unsigned fewest = c.base.n < c.new.n ? c.base.n : c.new.n;
	if (c.verdict == STATS_TOO_FEW)
		json_object_set_new(o, "why", json_sprintf("too few rounds (%u): cannot tell", fewest));
	else if (c.verdict == STATS_NO_BASELINE)
		json_object_set_new(o, "why", json_string("the base figure is 0: no percentage"));
	return o;
}

struct tally {
	unsigned regressed, improved, unchanged, cannot_tell, compared, not_comparable;
};

static json_t *pair_json(const struct diff_job *b, const struct diff_job *n, const char *side, double thr,
			 struct tally *t)
{
	json_t *o = json_pack("{s:s, s:b}", "side", side, "present", 1);
	json_t *why = not_comparable(b, n);
	if (json_array_size(why)) {
		t->not_comparable++;
		json_object_set_new(o, "comparable", json_false());
		json_object_set_new(o, "not_comparable", why);
		json_object_set_new(o, "verdict", json_string("not comparable"));
		return o;
	}
	json_decref(why);
	t->compared++;
	json_t *figs = json_array();
	int any_reg = 0, any_imp = 0, any_judged = 0;
	for (unsigned f = 0; f < DIFF_FIGURES; f++) {
		if (!b->nfig[f] && !n->nfig[f])
			continue; /* a figure neither side measured (p99.9 in older results) */
		enum stats_verdict v;
		json_array_append_new(figs, figure_json(b, n, f, thr, &v));
		any_reg |= v == STATS_REGRESSED;
		any_imp |= v == STATS_IMPROVED;
		any_judged |= v == STATS_NO_CHANGE || v == STATS_REGRESSED || v == STATS_IMPROVED;
		t->regressed += v == STATS_REGRESSED;
		t->improved += v == STATS_IMPROVED;
		t->unchanged += v == STATS_NO_CHANGE;
		t->cannot_tell += v == STATS_TOO_FEW || v == STATS_NO_BASELINE;
	}
	json_object_set_new(o, "comparable", json_true());
	json_object_set_new(o, "verdict", json_string(any_reg ? "regressed" : any_imp ? "improved"
						       : any_judged ? "no significant change" : "cannot tell"));
	json_object_set_new(o, "figures", figs);
	return o;
}

static json_t *side_json(const struct diff_side *s)
{
	json_t *paths = json_array();
	for (size_t i = 0; i < s->nroots; i++)
		json_array_append_new(paths, json_string(s->paths[i]));
	return json_pack("{s:s, s:o, s:s, s:o, s:o, s:b, s:b}", "label", s->label, "results", paths, "kernel",
			 s->kernel ? s->kernel : "", "emulated", s->emulated ? json_string(s->emulated) : json_null(),
			 "crashed_in", s->crashed_in ? json_string(s->crashed_in) : json_null(), "interrupted",
			 s->interrupted, "no_result", s->log_only);
}

json_t *diff_compute(const struct diff_side *base, const struct diff_side *news, size_t nnew, double thr)
{
	const char *emulated = base->emulated;
	json_t *sides = json_array(), *behaviour = json_array(), *jobs = json_array(), *summary = json_array();
	json_t *only_base = json_array(), *only_new = json_array();
	for (size_t i = 0; i < nnew; i++) {
		json_array_append_new(sides, side_json(&news[i]));
		emulated = emulated ? emulated : news[i].emulated;
		diff_side_behaviour(base, &news[i], behaviour);
	}
	struct tally *t = xcalloc(nnew ? nnew : 1, sizeof(*t));
	for (size_t j = 0; j < base->njobs; j++) {
		const struct diff_job *b = &base->jobs[j];
		json_t *per = json_array();
		for (size_t i = 0; i < nnew; i++) {
			const struct diff_job *n = diff_side_job(&news[i], b->name);
			if (!n) {
				json_array_append_new(per, json_pack("{s:s, s:b}", "side", news[i].label, "present", 0));
				continue;
			}
			diff_job_behaviour(b, n, news[i].label, behaviour);
			json_array_append_new(per, pair_json(b, n, news[i].label, thr, &t[i]));
		}
		json_array_append_new(jobs, json_pack("{s:s, s:o}", "name", b->name, "sides", per));
	}
	for (size_t i = 0; i < nnew; i++) {
		json_t *ob = json_array(), *on = json_array();
		for (size_t j = 0; j < base->njobs; j++)
			if (!diff_side_job(&news[i], base->jobs[j].name))
				json_array_append_new(ob, json_string(base->jobs[j].name));
		for (size_t j = 0; j < news[i].njobs; j++)
			if (!diff_side_job(base, news[i].jobs[j].name))
				json_array_append_new(on, json_string(news[i].jobs[j].name));
		json_array_append_new(only_base, json_pack("{s:s, s:o}", "side", news[i].label, "jobs", ob));
		json_array_append_new(only_new, json_pack("{s:s, s:o}", "side", news[i].label, "jobs", on));
		json_array_append_new(summary, json_pack("{s:s, s:i, s:i, s:i, s:i, s:i, s:i}", "side", news[i].label,
							 "jobs_compared", t[i].compared, "jobs_not_comparable",
							 t[i].not_comparable, "figures_regressed", t[i].regressed,
							 "figures_improved", t[i].improved, "figures_unchanged", t[i].unchanged,
							 "figures_cannot_tell", t[i].cannot_tell));
	}
	free(t);
	json_t *d = json_pack("{s:s, s:f, s:i, s:o}", "method", stats_method, "threshold_pct", thr, "min_rounds",
			      STATS_MIN_SAMPLES, "emulated", emulated ? json_string(emulated) : json_null());
	json_object_set_new(d, "base", side_json(base));
	json_object_set_new(d, "sides", sides);
	json_object_set_new(d, "behaviour", behaviour);
	json_object_set_new(d, "jobs", jobs);
	json_object_set_new(d, "only_in_base", only_base);
	json_object_set_new(d, "only_in_new", only_new);
	json_object_set_new(d, "summary", summary);
	return d;
}

int diff_gate(json_t *d, double fail_pct, json_t *reasons)
{
	size_t i, k, f;
	json_t *x, *s, *fig;
	json_array_foreach(json_object_get(d, "behaviour"), i, x) {
		if (json_is_true(json_object_get(x, "gate")))
			json_array_append_new(reasons, json_sprintf("%s: %s%s%s", jstr(x, "side"), jstr(x, "job"),
								    *jstr(x, "job") ? ": " : "", jstr(x, "text")));
	}
	json_array_foreach(json_object_get(d, "jobs"), i, x) {
		json_array_foreach(json_object_get(x, "sides"), k, s) {
			json_array_foreach(json_object_get(s, "figures"), f, fig) {
				double c = json_number_value(json_object_get(fig, "change_pct"));
				if (!strcmp(jstr(fig, "verdict"), "regressed") && fabs(c) >= fail_pct)
					json_array_append_new(reasons, json_sprintf("%s: %s: %s regressed %+.1f%%", jstr(s, "side"),
										    jstr(x, "name"), jstr(fig, "figure"), c));
			}
		}
	}
	if (json_array_size(reasons))
		return 1;
	int compared = 0;
	json_array_foreach(json_object_get(d, "summary"), i, x)
		compared += (int)json_integer_value(json_object_get(x, "jobs_compared"));
	return compared ? 0 : 125;
}
