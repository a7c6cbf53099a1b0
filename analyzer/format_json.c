/* SPDX-License-Identifier: MIT */
/* --format json: a normalized summary for scripts, documented by
 * docs/summary.schema.json.  Keys always appear, in a fixed order (null
 * when unknown); addresses of frames are left out because they change
 * from run to run, wait objects are kept because they tie a cycle
 * together. */
#include <stdlib.h>
#include <string.h>

#include "frame.h"
#include "json_build.h"
#include "finding.h"
#include "format.h"
#include "group.h"

#define SUMMARY_SCHEMA "asleep-summary/1"

static json_t *str_list(struct jbuild *b, const char *const *s, size_t n)
{
	json_t *a = jb_arr(b);
	size_t i;

	for (i = 0; i < n; i++)
		jb_push(b, a, json_string(s[i]));
	return a;
}

static json_t *frame_or_null(struct jbuild *b, const struct dump *d, const struct dump_frame *f)
{
	return f ? jb_frame(b, d, f) : json_null();
}

static json_t *finding_threads(struct jbuild *b, const struct dump *d, const struct dump_finding *f)
{
	json_t *a = jb_arr(b), *o;
	const struct dump_thread *t;
	size_t i;

	for (i = 0; i < f->n_threads; i++) {
		t = dump_find_thread(d, f->threads[i]);
		o = jb_obj(b);
		jb_set(b, o, "tid", json_integer(f->threads[i]));
		jb_set(b, o, "name", jb_str_or_null(t ? t->name : NULL));
		jb_set(b, o, "state", jb_str_or_null(t ? t->state : NULL));
		jb_push(b, a, o);
	}
	return a;
}

static json_t *cycle_list(struct jbuild *b, const struct dump_finding *f)
{
	json_t *a = jb_arr(b), *o;
	size_t i;

	for (i = 0; i < f->n_cycle; i++) {
		o = jb_obj(b);
		jb_set(b, o, "tid", json_integer(f->cycle[i].tid));
		jb_set(b, o, "kind", json_string(f->cycle[i].kind));
		jb_set(b, o, "object", json_string(f->cycle[i].object));
		jb_set(b, o, "owner", json_integer(f->cycle[i].owner));
		jb_push(b, a, o);
	}
	return a;
}

static json_t *top_of(struct jbuild *b, const struct dump *d, const struct dump_stack *s)
{
	return s->n ? jb_frame(b, d, &s->frames[0]) : json_null();
}

static json_t *order_list(struct jbuild *b, const struct dump *d, const struct dump_finding *f)
{
	json_t *a = jb_arr(b), *o;
	size_t i;

	for (i = 0; i < f->n_order; i++) {
		const struct dump_order_edge *e = &f->order[i];
		o = jb_obj(b);
		jb_set(b, o, "tid", json_integer(e->tid));
		jb_set(b, o, "thread", jb_str_or_null(e->thread));
		jb_set(b, o, "held", json_string(e->held));
		jb_set(b, o, "held_kind", json_string(e->held_kind));
		jb_set(b, o, "acquired", json_string(e->acquired));
		jb_set(b, o, "acquired_kind", json_string(e->acquired_kind));
		jb_set(b, o, "held_at", top_of(b, d, &e->held_stack));
		jb_set(b, o, "acquired_at", top_of(b, d, &e->acquire_stack));
		jb_push(b, a, o);
	}
	return a;
}

static json_t *rule_ref(struct jbuild *b, const struct supp_list *l, const struct supp_rule *r)
{
	json_t *o;

	if (!r)
		return json_null();
	o = jb_obj(b);
	jb_set(b, o, "kind", json_string(r->kind));
	jb_set(b, o, "pattern", json_string(r->pattern));
	jb_set(b, o, "file", json_string(l->file));
	jb_set(b, o, "line", json_integer(r->line));
	return o;
}

static json_t *finding_json(struct jbuild *b, const struct format_input *in, size_t di, size_t fi)
{
	const struct dump *d = in->dumps[di];
	const struct dump_finding *f = &d->findings[fi];
	const struct finding_verdict *v = &in->verdicts[di][fi];
	char id[RULE_ID_MAX], fp[FINGERPRINT_LEN] = "";
	json_t *o = jb_obj(b);

	finding_rule_id(f->kind, id, sizeof(id));
	b->failed |= finding_fingerprint(b->sym, d, fi, fp) < 0;
	jb_set(b, o, "kind", json_string(f->kind));
	jb_set(b, o, "rule_id", json_string(id));
	jb_set(b, o, "fingerprint", json_string(fp));
	jb_set(b, o, "message", json_string(f->message));
	jb_set(b, o, "fails", json_boolean(v->fails));
	jb_set(b, o, "suppressed_by", rule_ref(b, in->supp, v->suppressed_by));
	jb_set(b, o, "threads", finding_threads(b, d, f));
	jb_set(b, o, "objects", str_list(b, f->objects, f->n_objects));
	jb_set(b, o, "cycle", cycle_list(b, f));
	jb_set(b, o, "order", order_list(b, d, f));
	jb_set(b, o, "site", f->has_site ? jb_frame(b, d, &f->site) : json_null());
	jb_set(b, o, "location", frame_or_null(b, d, finding_top_frame(b->sym, d, f)));
	return o;
}

/* The wait all members share, with what varies summarised. */
static json_t *group_wait(struct jbuild *b, const struct thread_group *g)
{
	const struct dump_wait *w = &g->members[0]->wait, *m;
	long long lo = w->since_ms, hi = w->since_ms;
	bool same_object = true;
	size_t i, timed = 0;
	json_t *o;

	if (!g->members[0]->has_wait)
		return json_null();
	for (i = 0; i < g->n; i++) {
		m = &g->members[i]->wait;
		same_object = same_object && strcmp(m->object, w->object) == 0;
		lo = m->since_ms < lo ? m->since_ms : lo;
		hi = m->since_ms > hi ? m->since_ms : hi;
		timed += m->timed;
	}
	o = jb_obj(b);
	jb_set(b, o, "kind", json_string(w->kind));
	jb_set(b, o, "object", same_object ? json_string(w->object) : json_null());
	jb_set(b, o, "since_ms_min", json_integer(lo));
	jb_set(b, o, "since_ms_max", json_integer(hi));
	jb_set(b, o, "timed", json_integer((json_int_t)timed));
	return o;
}

static json_t *group_json(struct jbuild *b, const struct dump *d, const struct thread_group *g)
{
	const struct dump_thread *t = g->members[0];
	json_t *o = jb_obj(b), *tids = jb_arr(b);
	bool one_name = true;
	size_t i;

	for (i = 0; i < g->n; i++) {
		jb_push(b, tids, json_integer(g->members[i]->tid));
		one_name = one_name && strcmp(g->members[i]->name, t->name) == 0;
	}
	jb_set(b, o, "count", json_integer((json_int_t)g->n));
	jb_set(b, o, "state", json_string(t->state));
	jb_set(b, o, "name", one_name ? json_string(t->name) : json_null());
	jb_set(b, o, "tids", tids);
	jb_set(b, o, "wait", group_wait(b, g));
	jb_set(b, o, "stack", jb_stack(b, d, &t->stack));
	jb_set(b, o, "created_by_stack", jb_stack(b, d, &t->creator_stack));
	return o;
}

static json_t *groups_json(struct jbuild *b, const struct dump *d)
{
	json_t *a = jb_arr(b);
	struct grouping gr;
	size_t i;

	if (group_threads(d, &gr) < 0) {
		b->failed = true;
		return a;
	}
	for (i = 0; i < gr.n; i++)
		jb_push(b, a, group_json(b, d, &gr.groups[i]));
	grouping_free(&gr);
	return a;
}

static json_t *dump_json(struct jbuild *b, const struct format_input *in, size_t di)
{
	const struct dump *d = in->dumps[di];
	json_t *o = jb_obj(b), *findings = jb_arr(b);
	size_t i;

	for (i = 0; i < d->n_findings; i++)
		jb_push(b, findings, finding_json(b, in, di, i));
	jb_set(b, o, "file", json_string(d->file));
	jb_set(b, o, "pid", json_integer(d->pid));
	jb_set(b, o, "seq", json_integer(d->seq));
	jb_set(b, o, "reason", json_string(d->reason));
	jb_set(b, o, "exe", jb_str_or_null(d->exe));
	jb_set(b, o, "time_unix_ms", jb_int_or_null(d->has_time_unix_ms, d->time_unix_ms));
	jb_set(b, o, "uptime_ms", jb_int_or_null(d->has_uptime_ms, d->uptime_ms));
	jb_set(b, o, "live_threads", jb_int_or_null(d->has_live_threads, d->live_threads));
	jb_set(b, o, "peak_threads", jb_int_or_null(d->has_peak_threads, d->peak_threads));
	jb_set(b, o, "thread_count", json_integer((json_int_t)d->n_threads));
	jb_set(b, o, "findings", findings);
	jb_set(b, o, "groups", groups_json(b, d));
	return o;
}

static int kind_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* {"deadlock": 1, ...} with kinds in name order, so the text is stable. */
static json_t *kind_counts(struct jbuild *b, const struct format_input *in, size_t total)
{
	const char **kinds = calloc(total + 1, sizeof(*kinds));
	json_t *o = jb_obj(b);
	size_t i, j, k = 0, run;

	if (!kinds) {
		b->failed = true;
		return o;
	}
	for (i = 0; i < in->n; i++)
		for (j = 0; j < in->dumps[i]->n_findings; j++)
			kinds[k++] = in->dumps[i]->findings[j].kind;
	qsort(kinds, total, sizeof(*kinds), kind_cmp);
	for (i = 0; i < total; i += run) {
		for (run = 1; i + run < total && strcmp(kinds[i], kinds[i + run]) == 0; run++)
			;
		jb_set(b, o, kinds[i], json_integer((json_int_t)run));
	}
	free(kinds);
	return o;
}

static size_t count_processes(const struct format_input *in)
{
	size_t i, j, n = 0;

	for (i = 0; i < in->n; i++) {
		for (j = 0; j < i && in->dumps[j]->pid != in->dumps[i]->pid; j++)
			;
		n += j == i;
	}
	return n;
}

static json_t *totals_json(struct jbuild *b, const struct format_input *in)
{
	json_t *o = jb_obj(b);
	size_t i, findings = 0;

	for (i = 0; i < in->n; i++)
		findings += in->dumps[i]->n_findings;
	jb_set(b, o, "dumps", json_integer((json_int_t)in->n));
	jb_set(b, o, "processes", json_integer((json_int_t)count_processes(in)));
	jb_set(b, o, "findings", json_integer((json_int_t)findings));
	jb_set(b, o, "failing", json_integer((json_int_t)in->failing));
	jb_set(b, o, "suppressed", json_integer((json_int_t)in->suppressed));
	jb_set(b, o, "by_kind", kind_counts(b, in, findings));
	return o;
}

static json_t *suppressions_used(struct jbuild *b, const struct format_input *in)
{
	json_t *a = jb_arr(b), *o;
	size_t i;

	for (i = 0; in->supp && i < in->supp->n; i++) {
		const struct supp_rule *r = &in->supp->rules[i];
		if (!r->hits)
			continue;
		o = rule_ref(b, in->supp, r);
		jb_set(b, o, "count", json_integer((json_int_t)r->hits));
		jb_push(b, a, o);
	}
	return a;
}

int format_json_write(FILE *out, const struct format_input *in)
{
	struct jbuild b = { .sym = in->sym };
	json_t *root = jb_obj(&b), *dumps = jb_arr(&b);
	size_t i;

	for (i = 0; i < in->n; i++)
		jb_push(&b, dumps, dump_json(&b, in, i));
	jb_set(&b, root, "schema", json_string(SUMMARY_SCHEMA));
	jb_set(&b, root, "command", json_string(in->gate ? "gate" : "report"));
	jb_set(&b, root, "exit_status", json_integer(in->failing ? 1 : 0));
	jb_set(&b, root, "totals", totals_json(&b, in));
	jb_set(&b, root, "suppressions_used", suppressions_used(&b, in));
	jb_set(&b, root, "empty_dirs", str_list(&b, in->empty_dirs, in->n_empty_dirs));
	jb_set(&b, root, "dumps", dumps);
	return jb_print(&b, out, root);
}
