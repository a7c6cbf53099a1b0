/* SPDX-License-Identifier: MIT */
/* The JSON dump (docs/dump.schema.json), written atomically: a temporary
 * file in the same directory, then rename(). */
#define _GNU_SOURCE
#include "asl_confirm.h"
#include "asl_owners.h"
#include "asl_dumpfile.h"
#include "asl_finding.h"
#include "asl_lockorder.h"
#include "asl_options.h"
#include "asl_proc.h"
#include "asl_suppress.h"
#include "asl_sites.h"
#include "asl_what.h"
#include "asl_sys.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static json_t *addr(uintptr_t a)
{
	char b[32];
	snprintf(b, sizeof b, "0x%lx", (unsigned long)a);
	return json_string(b);
}

static json_t *frame(const struct asl_modules *m, uintptr_t a)
{
	json_t *f = json_object();
	char fn[256];
	int mi = asl_module_index(m, a);
	json_object_set_new(f, "addr", addr(a));
	if (mi >= 0) {
		json_object_set_new(f, "module", json_integer(mi));
		json_object_set_new(f, "offset", addr(a - m->m[mi].base));
	}
	if (asl_symbolize(m, a, fn, sizeof fn) == 0 && fn[0])
		json_object_set_new(f, "function", json_string(fn));
	return f;
}

static json_t *stack(const struct asl_modules *m, const uintptr_t *st, int n)
{
	json_t *a = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(a, frame(m, st[i]));
	return a;
}

static json_t *tid_array(const pid_t *t, int n)
{
	json_t *a = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(a, json_integer(t[i]));
	return a;
}

static json_t *wait_json(const struct asl_report_ctx *r, int i)
{
	const struct asl_snapshot *s = r->s;
	const struct asl_wait *w = &s->t[i].wait;
	json_t *o = json_object();
	int owners[64];
	pid_t unknown, tids[65];
	int k = asl_snap_owners(s, i, owners, 64, &unknown);
	for (int j = 0; j < k; j++)
		tids[j] = s->t[owners[j]].tid;
	if (unknown)
		tids[k++] = unknown;
	char obj[48];
	if (w->kind == ASL_W_JOIN)
		snprintf(obj, sizeof obj, "thread %d", k ? tids[0] : 0);
	else if (asl_wait_on_fds(w->kind))
		snprintf(obj, sizeof obj, "fd %d", (int)w->obj);
	else if (w->kind == ASL_W_SLEEP)
		snprintf(obj, sizeof obj, "sleep");
	else
		snprintf(obj, sizeof obj, "0x%lx", (unsigned long)w->obj);
	json_object_set_new(o, "kind", json_string(asl_wait_kind_name(w->kind)));
	const char *what = asl_wait_what(r->mods, w);
	if (what)
		json_object_set_new(o, "what", json_string(what));
	json_object_set_new(o, "object", json_string(obj));
	json_object_set_new(o, "owners", tid_array(tids, k));
	if (w->kind == ASL_W_COND)
		json_object_set_new(o, "mutex", addr(w->aux));
	if (asl_wait_on_fds(w->kind)) {
		char peer[32];
		json_t *fds = json_array();
		for (int i = 0; i < w->nfds && i < ASL_WAIT_FDS; i++)
			json_array_append_new(fds, json_integer(w->fds[i]));
		json_object_set_new(o, "fds", fds);
		if (w->peer >= 0) {
			snprintf(peer, sizeof peer, "fd %d", w->peer);
			json_object_set_new(o, "peer", json_string(peer));
		}
	}
	uint64_t since = s->now_ns > w->since_ns ? s->now_ns - w->since_ns : 0;
	json_object_set_new(o, "since_ms", json_integer((json_int_t)(since / 1000000u)));
	json_object_set_new(o, "timed", json_boolean(w->timed));
	json_object_set_new(o, "shared", json_boolean(w->shared));
	return o;
}

static const char *life_name(const struct asl_tsnap *t)
{
	if (t->blocked)
		return "blocked";
	switch (t->life) {
	case ASL_STARTING:
		return "starting";
	case ASL_EXITING:
		return "exiting";
	case ASL_EXITED:
		return "exited";
	case ASL_FINISHED:
		return "finished";
	default:
		return "running";
	}
}

static json_t *thread_json(const struct asl_report_ctx *r, int i)
{
	const struct asl_tsnap *t = &r->s->t[i];
	json_t *o = json_object();
	char name[64];
	asl_tsnap_name(t, name, sizeof name);
	json_object_set_new(o, "tid", json_integer(t->tid));
	json_object_set_new(o, "name", json_string(name));
	json_object_set_new(o, "state", json_string(life_name(t)));
	json_object_set_new(o, "main", json_boolean(t->is_main));
	json_object_set_new(o, "detached", json_boolean(t->detached));
	if (t->blocked) {
		json_object_set_new(o, "wait", wait_json(r, i));
		json_object_set_new(o, "stack", stack(r->mods, t->wait.stack, t->wait.depth));
	}
	json_t *held = json_array();
	for (int h = 0; h < t->nheld; h++) {
		json_t *e = json_object();
		json_object_set_new(e, "kind", json_string(asl_lock_kind_name(asl_held_kind(&t->held[h]))));
		json_object_set_new(e, "object", addr(t->held[h].obj));
		if (t->held[h].site)
			json_object_set_new(e, "site", frame(r->mods, t->held[h].site));
		json_array_append_new(held, e);
	}
	json_object_set_new(o, "held", held);
	if (t->held_lost)
		json_object_set_new(o, "held_untracked", json_integer(t->held_lost));
	if (!t->is_main) {
		json_t *c = json_object();
		json_object_set_new(c, "tid", json_integer(t->parent_tid));
		json_object_set_new(c, "stack", stack(r->mods, t->create_stack, t->create_depth));
		json_object_set_new(o, "created_by", c);
	}
	return o;
}

/* lock-order-inversion: the cycle's locks and each edge's two stacks. */
static void lock_order_json(json_t *o, const struct asl_report_ctx *r, const struct asl_lo_cycle *c)
{
	json_t *objs = json_array(), *order = json_array();
	for (int k = 0; k < c->n; k++) {
		const struct asl_lo_step *st = &c->step[k];
		json_t *e = json_object(), *gates = json_array();
		json_array_append_new(objs, addr(st->held));
		json_object_set_new(e, "tid", json_integer(st->tid));
		json_object_set_new(e, "thread", json_string(st->name));
		json_object_set_new(e, "held", addr(st->held));
		json_object_set_new(e, "held_kind", json_string(asl_lock_kind_name(st->held_kind)));
		json_object_set_new(e, "acquired", addr(st->acquired));
		json_object_set_new(e, "acquired_kind", json_string(asl_lock_kind_name(st->acquired_kind)));
		json_object_set_new(e, "held_stack", stack(r->mods, st->held_stack, st->held_depth));
		if (st->held_inferred)
			json_object_set_new(e, "held_stack_inferred", json_true());
		json_object_set_new(e, "acquire_stack", stack(r->mods, st->acquired_stack, st->acquired_depth));
		for (int g = 0; g < st->ngates; g++)
			json_array_append_new(gates, addr(st->gates[g]));
		json_object_set_new(e, "gates", gates);
		json_array_append_new(order, e);
	}
	json_object_set_new(o, "objects", objs);
	json_object_set_new(o, "order", order);
	/* the group: cycles through the same call sites, and their lock pairs */
	json_t *pairs = json_array();
	for (int k = 0; k < c->npairs; k++) {
		json_t *p = json_array();
		json_array_append_new(p, addr(c->pairs[k][0]));
		json_array_append_new(p, addr(c->pairs[k][1]));
		json_array_append_new(pairs, p);
	}
	json_object_set_new(o, "cycles", json_integer((json_int_t)c->count));
	json_object_set_new(o, "pairs", pairs);
}

static json_t *finding_json(const struct asl_report_ctx *r, const struct asl_finding *f)
{
	json_t *o = json_object();
	json_object_set_new(o, "kind", json_string(asl_finding_kind_name(f->kind)));
	json_object_set_new(o, "message", json_string(f->message));
	json_t *tids = json_array();
	if (f->all_threads)
		for (int i = 0; i < r->s->n; i++)
			json_array_append_new(tids, json_integer(r->s->t[i].tid));
	else
		for (int i = 0; i < f->ntids; i++)
			json_array_append_new(tids, json_integer(f->tids[i]));
	json_object_set_new(o, "threads", tids);
	if (f->nobjs) {
		json_t *objs = json_array();
		for (int i = 0; i < f->nobjs; i++)
			json_array_append_new(objs, addr(f->objs[i]));
		json_object_set_new(o, "objects", objs);
	}
	if (f->ncycle) {
		json_t *cy = json_array();
		for (int k = 0; k < f->ncycle; k++) {
			const struct asl_cycle_step *c = &f->cycle[k];
			json_t *e = json_object();
			char obj[48];
			if (c->kind == ASL_W_JOIN)
				snprintf(obj, sizeof obj, "thread %d", c->owner);
			else
				snprintf(obj, sizeof obj, "0x%lx", (unsigned long)c->obj);
			json_object_set_new(e, "tid", json_integer(c->tid));
			json_object_set_new(e, "kind", json_string(asl_wait_kind_name(c->kind)));
			json_object_set_new(e, "object", json_string(obj));
			json_object_set_new(e, "owner", json_integer(c->owner));
			json_array_append_new(cy, e);
		}
		json_object_set_new(o, "cycle", cy);
	}
	if (f->site)
		json_object_set_new(o, "site", frame(r->mods, f->site));
	if (f->lo)
		lock_order_json(o, r, f->lo);
	return o;
}

/* Live threads grouped by (creation site, wait site), largest group first. */
static json_t *sites_json(const struct asl_report_ctx *r)
{
	const struct asl_snapshot *s = r->s;
	json_t *a = json_array();
	struct asl_site *g = malloc((size_t)(s->n > 0 ? s->n : 1) * sizeof *g);
	int ng = g ? asl_sites_group(s, g) : 0;
	for (int k = 0; k < ng; k++) {
		const struct asl_tsnap *t = &s->t[g[k].first];
		json_t *o = json_object();
		json_t *tids = json_array();
		for (int i = g[k].first; i < s->n; i++)
			if (asl_same_site(t, &s->t[i]))
				json_array_append_new(tids, json_integer(s->t[i].tid));
		json_object_set_new(o, "count", json_integer(g[k].count));
		json_object_set_new(o, "state",
		                    json_string(t->blocked                ? "blocked"
		                                : t->life == ASL_FINISHED ? "finished"
		                                                          : "running"));
		if (t->blocked)
			json_object_set_new(o, "wait_kind", json_string(asl_wait_kind_name(t->wait.kind)));
		if (!t->is_main)
			json_object_set_new(
			        o, "created_at",
			        stack(r->mods, t->create_stack,
			              t->create_depth < ASL_SITE_FRAMES ? t->create_depth : ASL_SITE_FRAMES));
		if (t->blocked)
			json_object_set_new(o, "waits_at",
			                    stack(r->mods, t->wait.stack,
			                          t->wait.depth < ASL_SITE_FRAMES ? t->wait.depth : ASL_SITE_FRAMES));
		json_object_set_new(o, "threads", tids);
		json_array_append_new(a, o);
	}
	free(g);
	return a;
}

static json_t *dump_json(const struct asl_report_ctx *r, int seq)
{
	json_t *d = json_object();
	char exe[1024];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	exe[n > 0 ? n : 0] = '\0';
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	json_object_set_new(d, "schema", json_string("asleep-dump/1"));
	json_object_set_new(d, "pid", json_integer(getpid()));
	json_object_set_new(d, "seq", json_integer(seq));
	json_object_set_new(d, "reason", json_string(r->reason));
	json_object_set_new(d, "exe", json_string(exe));
	json_object_set_new(d, "time_unix_ms", json_integer((json_int_t)now.tv_sec * 1000 + now.tv_nsec / 1000000));
	json_object_set_new(d, "uptime_ms", json_integer((json_int_t)((r->s->now_ns - asl_start_ns) / 1000000u)));
	json_object_set_new(d, "live_threads", json_integer(atomic_load(&asl_live_threads)));
	json_object_set_new(d, "peak_threads", json_integer(atomic_load(&asl_peak_threads)));
	if (asl_opts.lock_order) {
		struct asl_lo_stats lo;
		asl_lo_stats(&lo);
		json_t *g = json_object();
		json_object_set_new(g, "locks", json_integer((json_int_t)lo.locks));
		json_object_set_new(g, "edges", json_integer((json_int_t)lo.edges));
		json_object_set_new(g, "dropped", json_integer((json_int_t)lo.dropped));
		json_object_set_new(g, "bytes", json_integer((json_int_t)lo.bytes));
		json_object_set_new(d, "lock_order", g);
	}
	json_t *used = asl_suppress_used_json(); /* NULL: no suppressions file */
	if (used)
		json_object_set_new(d, "suppressions_used", used);
	struct asl_veto veto;
	if (asl_confirm_last_veto(&veto)) {
		json_t *v = json_object();
		json_object_set_new(v, "check", json_string(veto.check));
		json_object_set_new(v, "reason", json_string(veto.reason));
		if (veto.tid)
			json_object_set_new(v, "tid", json_integer(veto.tid));
		json_object_set_new(d, "vetoed_by", v);
	}
	json_object_set_new(d, "sites", sites_json(r));
	json_t *th = json_array();
	for (int i = 0; i < r->s->n; i++)
		json_array_append_new(th, thread_json(r, i));
	json_object_set_new(d, "threads", th);
	json_t *fs = json_array();
	for (int i = 0; i < r->nf; i++)
		json_array_append_new(fs, finding_json(r, &r->f[i]));
	json_object_set_new(d, "findings", fs);
	json_t *ms = json_array();
	for (int i = 0; i < r->mods->n; i++) {
		json_t *m = json_object();
		json_object_set_new(m, "path", json_string(r->mods->m[i].path));
		json_object_set_new(m, "base", addr(r->mods->m[i].base));
		json_object_set_new(m, "build_id", json_string(r->mods->m[i].build_id));
		json_array_append_new(ms, m);
	}
	json_object_set_new(d, "modules", ms);
	return d;
}

char *asl_dump_render(const struct asl_report_ctx *r, int seq)
{
	json_t *d = dump_json(r, seq);
	char *text = d ? json_dumps(d, JSON_INDENT(1) | JSON_PRESERVE_ORDER) : NULL;
	json_decref(d);
	return text;
}

int asl_dump_store(const char *dir, int seq, const char *text, char *path, size_t len)
{
	struct asl_dumpfile f;
	if (asl_dumpfile_open(&f, dir, seq) != 0)
		return -1;
	int rc = asl_dumpfile_commit(&f, asl_sys_write_all(f.fd, text, strlen(text)) == 0);
	snprintf(path, len, "%s", f.path);
	return rc;
}
