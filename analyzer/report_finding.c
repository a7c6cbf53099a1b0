/* SPDX-License-Identifier: MIT */
#include "report_finding.h"
#include "asl_kinds.h"

#include <stdlib.h>
#include <string.h>

#include "asl_duration.h"
#include "finding.h"
#include "escape.h"
#include "frame.h"

/* Beyond this many alike-thread entries a finding says "... and N more". */
#define FINDING_GROUPS_SHOWN 8

int finding_ctx_init(struct finding_ctx *c, const struct dump *d, struct symbolizer *sym)
{
	size_t i, j;

	memset(c, 0, sizeof(*c));
	c->d = d;
	c->sym = sym;
	if (tid_index_build(d, &c->tids) < 0 || group_threads(d, &c->groups) < 0)
		goto oom;
	c->group_of = calloc(d->n_threads ? d->n_threads : 1, sizeof(*c->group_of));
	c->shown = calloc(c->groups.n ? c->groups.n : 1, sizeof(*c->shown));
	c->slot = calloc(c->groups.n ? c->groups.n : 1, sizeof(*c->slot));
	if (!c->group_of || !c->shown || !c->slot)
		goto oom;
	for (i = 0; i < c->groups.n; i++)
		for (j = 0; j < c->groups.groups[i].n; j++)
			c->group_of[c->groups.groups[i].members[j] - d->threads] = i;
	return 0;
oom:
	finding_ctx_free(c);
	return -1;
}

void finding_ctx_free(struct finding_ctx *c)
{
	tid_index_free(&c->tids);
	grouping_free(&c->groups);
	free(c->group_of);
	free(c->shown);
	free(c->slot);
	memset(c, 0, sizeof(*c));
}

/* 4101 "abba", or just 4101 when the dump does not list the thread. */
static void print_tid_name(FILE *out, struct finding_ctx *c, long long tid)
{
	const struct dump_thread *t = tid_index_find(&c->tids, tid);

	fprintf(out, "%lld", tid);
	if (t) {
		putc(' ', out);
		print_quoted(out, t->name);
	}
}

static void print_cycle_step(FILE *out, const struct dump_cycle_step *s)
{
	if (strcmp(s->kind, "join") == 0) {
		fprintf(out, "      tid %lld waits to join tid %lld", s->tid, s->owner);
	} else {
		fprintf(out, "      tid %lld waits for ", s->tid);
		print_escaped(out, s->kind);
		putc(' ', out);
		print_escaped(out, s->object);
		fprintf(out, asl_wait_kind_is_lock(s->kind) ? " held by tid %lld" : ", which needs tid %lld", s->owner);
	}
	if (s->tid == s->owner)
		fputs(" (itself)", out);
	putc('\n', out);
}

static void print_string_list(FILE *out, const char *label, const char *const *s, size_t n)
{
	size_t i;

	fputs(label, out);
	for (i = 0; i < n; i++) {
		if (i)
			fputs(", ", out);
		print_escaped(out, s[i]);
	}
	putc('\n', out);
}

/* "blocked, waiting on mutex 0x... held by tid 4102, for 588ms" */
static void print_thread_state(FILE *out, const struct dump_thread *t)
{
	const struct dump_wait *w = &t->wait;
	char buf[ASL_DURATION_MAX];
	size_t i;

	print_escaped(out, t->state);
	if (!t->has_wait)
		return;
	fputs(", waiting on ", out);
	print_escaped(out, w->kind);
	if (strcmp(w->object, w->kind) != 0) { /* not "sleep sleep" */
		putc(' ', out);
		print_escaped(out, w->object);
	}
	if (w->what) {
		fputs(" (", out);
		print_escaped(out, w->what);
		putc(')', out);
	}
	if (w->n_owners && strcmp(w->kind, "join") != 0) {
		fprintf(out, " %s tid%s ", asl_wait_kind_is_lock(w->kind) ? "held by" : "needing", plural(w->n_owners));
		for (i = 0; i < w->n_owners; i++)
			fprintf(out, "%s%lld", i ? ", " : "", w->owners[i]);
	}
	fprintf(out, ", for %s%s", asl_duration_format(w->since_ms, buf, sizeof(buf)), w->timed ? " (timed)" : "");
}

static void print_held_locks(FILE *out, struct finding_ctx *c, const struct dump_thread *t)
{
	size_t i;

	for (i = 0; i < t->n_held; i++) {
		fputs("      holds ", out);
		print_escaped(out, t->held[i].kind);
		putc(' ', out);
		print_escaped(out, t->held[i].object);
		if (t->held[i].has_site) {
			fputs(", taken at ", out);
			frame_text_print(out, c->d, &t->held[i].site, c->sym);
		}
		putc('\n', out);
	}
}

/* One entry: the first named thread of a group and how many alike. */
static void print_thread_entry(FILE *out, struct finding_ctx *c, const struct dump_thread *t, size_t alike)
{
	size_t g = c->group_of[t - c->d->threads];

	fprintf(out, "    tid %lld ", t->tid);
	print_quoted(out, t->name);
	if (alike)
		fprintf(out, " and %zu more alike", alike);
	fputs(": ", out);
	print_thread_state(out, t);
	putc('\n', out);
	print_held_locks(out, c, t);
	if (t->stack.n == 0)
		return;
	if (c->shown[g]) {
		fprintf(out, "      stack as shown above for tid %lld\n", c->shown[g]->tid);
		return;
	}
	frame_text_stack(out, c->d, &t->stack, c->sym, "      ", 0);
	c->shown[g] = t;
}

/* The named threads, one entry per group in order of first mention. */
static void print_named_threads(FILE *out, struct finding_ctx *c, const struct dump_finding *f)
{
	const struct dump_thread **first = calloc(f->n_threads ? f->n_threads : 1, sizeof(*first));
	size_t *count = calloc(f->n_threads ? f->n_threads : 1, sizeof(*count));
	size_t i, k, g, n = 0, missing = 0;
	const struct dump_thread *t;

	if (!first || !count) {
		free(first);
		free(count);
		return; /* evidence only; the finding itself was printed */
	}
	for (i = 0; i < f->n_threads; i++) {
		t = tid_index_find(&c->tids, f->threads[i]);
		if (!t) {
			missing++;
			continue;
		}
		g = c->group_of[t - c->d->threads];
		if (!c->slot[g]) {
			first[n] = t;
			c->slot[g] = ++n;
		} else if (first[c->slot[g] - 1] == t) {
			continue; /* named twice */
		}
		count[c->slot[g] - 1]++;
	}
	for (k = 0; k < n; k++)
		c->slot[c->group_of[first[k] - c->d->threads]] = 0;
	for (k = 0; k < n && k < FINDING_GROUPS_SHOWN; k++)
		print_thread_entry(out, c, first[k], count[k] - 1);
	if (n > FINDING_GROUPS_SHOWN)
		fprintf(out, "    ... and %zu more kinds of thread (see the threads below)\n",
		        n - FINDING_GROUPS_SHOWN);
	if (missing)
		fprintf(out, "    %zu named thread%s not in the dump's thread list (exited)\n", missing,
		        plural(missing));
	free(first);
	free(count);
}

static void print_edge_thread(FILE *out, const struct dump_order_edge *e)
{
	fprintf(out, "tid %lld", e->tid);
	if (e->thread) {
		putc(' ', out);
		print_quoted(out, e->thread);
	}
}

/* lockdep's "-> #N" chain: each edge, the thread that made it, where it
 * took the first lock and where it asked for the second. */
static void print_order_edges(FILE *out, struct finding_ctx *c, const struct dump_finding *f)
{
	const struct dump_order_edge *e;
	size_t i;

	fprintf(out, "    lock order cycle (%zu edge%s):\n", f->n_order, plural(f->n_order));
	for (i = 0; i < f->n_order; i++) {
		e = &f->order[i];
		fprintf(out, "    -> #%zu ", i);
		print_edge_thread(out, e);
		char *text = order_edge_text(e);
		putc(' ', out);
		print_escaped(out, text ? text : "?");
		free(text);
		putc('\n', out);
		if (e->n_gates)
			print_string_list(out, "       always while also holding: ", e->gates, e->n_gates);
		fputs("       ", out);
		print_escaped(out, e->held);
		fputs(" " ASL_ORDER_HELD_AT ":\n", out);
		frame_text_stack(out, c->d, &e->held_stack, c->sym, "         ", 0);
		fputs("       ", out);
		print_escaped(out, e->acquired);
		fputs(" " ASL_ORDER_ACQUIRED_AT ":\n", out);
		frame_text_stack(out, c->d, &e->acquire_stack, c->sym, "         ", 0);
	}
}

/* lockdep's "possible unsafe locking scenario", as steps: every thread
 * takes its first lock, then each asks for the one the next holds. */
static void print_order_scenario(FILE *out, const struct dump_finding *f)
{
	size_t i;

	fputs("    possible deadlock if these run interleaved:\n", out);
	for (i = 0; i < f->n_order; i++) {
		fputs("      ", out);
		print_edge_thread(out, &f->order[i]);
		fputs(": lock ", out);
		print_escaped(out, f->order[i].held);
		putc('\n', out);
	}
	for (i = 0; i < f->n_order; i++) {
		fputs("      ", out);
		print_edge_thread(out, &f->order[i]);
		fputs(": lock ", out);
		print_escaped(out, f->order[i].acquired);
		fputs(" (blocks)\n", out);
	}
}

void report_finding(FILE *out, struct finding_ctx *c, const struct dump_finding *f, const char *note)
{
	size_t i;

	fputs("  ", out);
	print_escaped(out, f->kind);
	fputs(": ", out);
	print_escaped(out, f->message);
	putc('\n', out);
	if (f->n_threads) {
		fputs("    threads: ", out);
		for (i = 0; i < f->n_threads; i++) {
			if (i)
				fputs(", ", out);
			print_tid_name(out, c, f->threads[i]);
		}
		putc('\n', out);
	}
	if (f->n_objects)
		print_string_list(out, "    objects: ", f->objects, f->n_objects);
	if (f->n_cycle) {
		fputs("    cycle:\n", out);
		for (i = 0; i < f->n_cycle; i++)
			print_cycle_step(out, &f->cycle[i]);
	}
	if (f->has_site) {
		fputs("    lock taken at ", out);
		frame_text_print(out, c->d, &f->site, c->sym);
		putc('\n', out);
	}
	if (note) {
		fputs("    ", out);
		print_escaped(out, note);
		putc('\n', out);
	}
	if (f->n_order) {
		print_order_edges(out, c, f);
		print_order_scenario(out, f);
	} else {
		print_named_threads(out, c, f);
	}
}
