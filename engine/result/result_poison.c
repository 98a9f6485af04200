/* The "poison" object of a job in result.json, and the poison events of each timeline window. */
#include "result/result_poison.h"
#include "measure/timer.h"

#include <signal.h>
#include <string.h>

static const char *const state_names[] = { "poisoned", "recovered", "lost", "cleared" };
static const char *const via_names[] = { "sigbus", "eio", "emulated" };

static const char *code_name(int code)
{
	switch (code) {
	case -5: return "EIO";
	case POISON_CODE_EMULATED: return "emulated";
	case BUS_ADRALN: return "BUS_ADRALN";
	case BUS_ADRERR: return "BUS_ADRERR";
	case BUS_OBJERR: return "BUS_OBJERR";
	case BUS_MCEERR_AR: return "BUS_MCEERR_AR";
	case BUS_MCEERR_AO: return "BUS_MCEERR_AO";
	default: return NULL;
	}
}

static double ns_of(double ticks)
{
	return timer_ticks_to_ns(ticks);
}

static json_t *pages_json(const struct poison_job *pj, json_t **first_hit)
{
	json_t *a = json_array();
	double lo = 0, hi = 0, sum = 0;
	unsigned n = 0;
	for (unsigned i = 0; i < pj->npages; i++) {
		const struct poison_page *p = &pj->pages[i];
		if (p->first_hit_ns) {
			double d = p->first_hit_ns > p->inject_ns ? (double)(p->first_hit_ns - p->inject_ns) : 0;
			lo = n && lo < d ? lo : d;
			hi = hi > d ? hi : d;
			sum += d;
			n++;
		}
		if (i < 256)
			json_array_append_new(
				a, json_pack("{s:I, s:I, s:I, s:f, s:o, s:I, s:s, s:o}", "offset", (json_int_t)p->off,
					     "sector", (json_int_t)p->sector, "pfn", (json_int_t)p->pfn, "inject_s",
					     (double)p->inject_ns / 1e9,
					     "first_hit_s", p->first_hit_ns ? json_real((double)p->first_hit_ns / 1e9) : json_null(),
					     "hits", (json_int_t)p->hits, "state", state_names[p->state], "data_ok",
					     p->state == PAGE_RECOVERED ? json_boolean(p->data_ok) : json_null()));
	}
	*first_hit = n ? json_pack("{s:i, s:f, s:f, s:f}", "pages", (int)n, "min_ns", lo, "mean_ns", sum / n, "max_ns", hi)
		       : json_null();
	return a;
}

static json_t *events_json(const struct poison_job *pj)
{
	json_t *a = json_array();
	for (unsigned i = 0; i < pj->nev; i++) {
		const struct poison_event *e = &pj->ev[i];
		json_t *o = json_pack("{s:i, s:f, s:s, s:I, s:i}", "round", (int)e->round, "t_s", (double)e->t_ns / 1e9,
				      "kind", poison_event_names[e->kind], "offset", (json_int_t)e->off, "thread", e->thread);
		if (e->kind == EV_HIT) {
			json_object_set_new(o, "code", code_name(e->code) ? json_string(code_name(e->code)) : json_integer(e->code));
			json_object_set_new(o, "addr_lsb", json_integer(e->lsb));
		}
		if (e->kind == EV_RECOVER)
			json_object_set_new(o, "latency_ns", json_integer((json_int_t)e->lat_ns));
		json_array_append_new(a, o);
	}
	return a;
}

json_t *poison_json(const struct poison_job *pj)
{
	const struct job_opts *o = pj->o;
	json_t *first_hit;
	json_t *pages = pages_json(pj, &first_hit);
	json_t *via = json_object(), *codes = json_object();
	for (int i = 0; i < 3; i++)
		json_object_set_new(via, via_names[i], json_integer((json_int_t)pj->hits_via[i]));
	for (int c = 0; c < 8; c++)
		if (pj->codes[c])
			json_object_set_new(codes, code_name(c) ? code_name(c) : "other", json_integer((json_int_t)pj->codes[c]));
	if (pj->hits_via[HIT_EIO])
		json_object_set_new(codes, "EIO", json_integer((json_int_t)pj->hits_via[HIT_EIO]));
	const struct hist *h = &pj->recovery;
	json_t *rec = json_pack("{s:I, s:f, s:f, s:f, s:f}", "count", (json_int_t)h->count, "mean_ns", ns_of(hist_mean(h)),
				"p50_ns", ns_of(hist_percentile(h, 50)), "p99_ns", ns_of(hist_percentile(h, 99)), "max_ns",
				h->count ? ns_of((double)h->max) : 0.0);
	unsigned never_hit = 0;
	for (unsigned i = 0; i < pj->npages; i++)
		never_hit += pj->pages[i].hits == 0;
	json_t *j = json_pack("{s:s, s:b, s:s, s:s, s:f, s:f, s:I}", "backend", poison_backend_names[pj->backend], "emulated",
			      pj->backend == POISON_EMULATED, "recover", poison_recover_names[o->recover], "device",
			      pj->dev.disk[0] ? pj->dev.disk : "", "poison_at_s", (double)o->poison_at_ns / 1e9,
			      "poison_every_s", (double)o->poison_every_ns / 1e9, "pages_per_injection",
			      (json_int_t)o->poison_pages);
	json_object_set_new(j, "pages_injected", json_integer(pj->npages));
	json_object_set_new(j, "hits", json_integer((json_int_t)pj->hits));
	json_object_set_new(j, "hits_by", via);
	json_object_set_new(j, "codes", codes);
	json_object_set_new(j, "hits_on_pages_not_injected", json_integer((json_int_t)pj->hits_unknown));
	json_object_set_new(j, "async_signals", json_integer((json_int_t)pj->async_signals));
	json_object_set_new(j, "first_hit_after_injection", first_hit);
	json_object_set_new(j, "pages_never_hit", json_integer(never_hit));
	json_object_set_new(j, "healed_by_workload_writes", json_integer((json_int_t)pj->healed_by_workload));
	json_object_set_new(j, "recovered", json_integer((json_int_t)pj->recovered));
	json_object_set_new(j, "recovered_data_ok", json_integer((json_int_t)pj->recovered_data_ok));
	json_object_set_new(j, "recovery", rec);
	json_object_set_new(j, "lost", json_integer((json_int_t)pj->lost));
	json_object_set_new(j, "skipped_ops", json_integer((json_int_t)pj->skipped_ops));
	json_object_set_new(j, "threads_stopped", json_integer(pj->threads_stopped));
	json_object_set_new(j, "left_poisoned", json_integer(pj->left_poisoned));
	json_object_set_new(j, "left_why", pj->left_why[0] ? json_string(pj->left_why) : json_null());
	json_object_set_new(j, "note", pj->note[0] ? json_string(pj->note) : json_null());
	json_object_set_new(j, "journal", json_string(journal_path()));
	json_object_set_new(j, "pages", pages);
	json_object_set_new(j, "events", events_json(pj));
	json_object_set_new(j, "events_dropped", json_integer((json_int_t)pj->ev_dropped));
	return j;
}

void poison_mark_windows(json_t *windows, const struct poison_job *pj, double window_s)
{
	size_t i;
	json_t *w;
	json_array_foreach(windows, i, w) {
		int round = (int)json_integer_value(json_object_get(w, "round"));
		double t = json_real_value(json_object_get(w, "t_s"));
		json_int_t n[EV_KINDS] = { 0 };
		for (unsigned k = 0; k < pj->nev; k++) {
			const struct poison_event *e = &pj->ev[k];
			double et = (double)e->t_ns / 1e9;
			if ((int)e->round == round && et >= t && et < t + window_s)
				n[e->kind]++;
		}
		json_object_set_new(w, "poison_injected", json_integer(n[EV_INJECT]));
		json_object_set_new(w, "poison_hits", json_integer(n[EV_HIT]));
		json_object_set_new(w, "poison_recovered", json_integer(n[EV_RECOVER]));
	}
}
