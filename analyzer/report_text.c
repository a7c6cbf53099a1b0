/* SPDX-License-Identifier: MIT */
#include "report_text.h"
#include "asl_kinds.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "asl_duration.h"
#include "escape.h"
#include "frame.h"
#include "report_finding.h"

/* Beyond this many tids a group lists "... and N more". */
#define LISTED_TIDS 8

void report_text_header(FILE *out, const struct dump *d)
{
	char buf[ASL_DURATION_MAX], when[64];
	struct tm tm;
	time_t secs;

	fputs("dump ", out);
	print_escaped(out, d->file);
	fprintf(out, ": pid %lld, reason ", d->pid);
	print_escaped(out, d->reason);
	if (d->exe) {
		fputs(", exe ", out);
		print_escaped(out, d->exe);
	}
	fprintf(out, "\n  seq %lld", d->seq);
	if (d->has_uptime_ms)
		fprintf(out, ", uptime %s", asl_duration_format(d->uptime_ms, buf, sizeof(buf)));
	if (d->has_live_threads)
		fprintf(out, ", %lld live thread%s", d->live_threads, d->live_threads == 1 ? "" : "s");
	if (d->has_peak_threads)
		fprintf(out, ", peak %lld", d->peak_threads);
	if (d->has_time_unix_ms) {
		secs = (time_t)(d->time_unix_ms / 1000);
		if (gmtime_r(&secs, &tm) && strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", &tm))
			fprintf(out, ", written %s", when);
	}
	putc('\n', out);
}

static void print_flags(FILE *out, const struct dump_thread *t)
{
	if (t->main == 1)
		fputs(" (main)", out);
	if (t->detached == 1)
		fputs(" (detached)", out);
}

/* "3 threads, blocked, named "w": tids 1, 2, 3" or, one by one,
 * "tid 4101 "abba", blocked (main)". */
static void print_group_head(FILE *out, const struct thread_group *g, bool per_thread)
{
	const struct dump_thread *t = g->members[0];
	bool one_name = g->n > 1 && group_names_alike(g);
	size_t i;

	if (per_thread) {
		fprintf(out, "  tid %lld ", t->tid);
		print_quoted(out, t->name);
		fputs(", ", out);
		print_escaped(out, t->state);
		print_flags(out, t);
		putc('\n', out);
		return;
	}
	fprintf(out, "  %zu thread%s, ", g->n, plural(g->n));
	print_escaped(out, t->state);
	if (one_name) {
		fputs(", named ", out);
		print_quoted(out, t->name);
	}
	fprintf(out, ": tid%s ", plural(g->n));
	for (i = 0; i < g->n && i < LISTED_TIDS; i++) {
		if (i)
			fputs(", ", out);
		fprintf(out, "%lld", g->members[i]->tid);
		if (!one_name) {
			putc(' ', out);
			print_quoted(out, g->members[i]->name);
		}
		print_flags(out, g->members[i]);
	}
	if (g->n > LISTED_TIDS)
		fprintf(out, " and %zu more", g->n - LISTED_TIDS);
	putc('\n', out);
}

static bool owners_equal(const struct dump_wait *a, const struct dump_wait *b)
{
	return a->n_owners == b->n_owners &&
	       (a->n_owners == 0 || memcmp(a->owners, b->owners, a->n_owners * sizeof(*a->owners)) == 0);
}

static bool opt_str_equal(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

/* One line for the wait all members share (same kind, by grouping);
 * the parts that differ between members are summarised. */
static void print_wait(FILE *out, const struct thread_group *g)
{
	const struct dump_wait *w = &g->members[0]->wait, *m;
	bool same_object = true, same_mutex = true, same_owners = true;
	long long lo = w->since_ms, hi = w->since_ms;
	size_t i, timed = 0, shared = 0;
	char a[ASL_DURATION_MAX], b[ASL_DURATION_MAX];

	for (i = 0; i < g->n; i++) {
		m = &g->members[i]->wait;
		same_object = same_object && strcmp(m->object, w->object) == 0;
		same_mutex = same_mutex && opt_str_equal(m->mutex, w->mutex);
		same_owners = same_owners && owners_equal(m, w);
		lo = m->since_ms < lo ? m->since_ms : lo;
		hi = m->since_ms > hi ? m->since_ms : hi;
		timed += m->timed;
		shared += m->shared == 1;
	}

	fputs("    waiting on ", out);
	print_escaped(out, w->kind);
	if (!same_object) {
		fputs(" (various objects)", out);
	} else if (strcmp(w->object, w->kind) != 0) { /* not "sleep sleep" */
		putc(' ', out);
		print_escaped(out, w->object);
	}
	if (w->what && same_object) {
		fputs(" (", out);
		print_escaped(out, w->what);
		putc(')', out);
	}
	if (w->mutex && same_mutex)
		fprintf(out, " with mutex %s", w->mutex);
	if (!same_owners) {
		fputs(", owners vary", out);
	} else if (w->n_owners) {
		fprintf(out, ", %s tid%s ", asl_wait_kind_is_lock(w->kind) ? "held by" : "needs", plural(w->n_owners));
		for (i = 0; i < w->n_owners; i++)
			fprintf(out, "%s%lld", i ? ", " : "", w->owners[i]);
	}
	if (lo == hi)
		fprintf(out, ", for %s", asl_duration_format(lo, a, sizeof(a)));
	else
		fprintf(out, ", for %s to %s", asl_duration_format(lo, a, sizeof(a)),
		        asl_duration_format(hi, b, sizeof(b)));
	if (timed == 0)
		fputs(", untimed", out);
	else if (timed == g->n)
		fputs(", timed", out);
	else
		fprintf(out, ", %zu of %zu timed", timed, g->n);
	if (shared == g->n)
		fputs(", process-shared", out);
	else if (shared)
		fprintf(out, ", %zu of %zu process-shared", shared, g->n);
	putc('\n', out);
}

static bool held_equal(const struct dump_thread *a, const struct dump_thread *b)
{
	size_t i;

	if (a->n_held != b->n_held)
		return false;
	for (i = 0; i < a->n_held; i++) {
		const struct dump_held *x = &a->held[i], *y = &b->held[i];
		if (strcmp(x->kind, y->kind) || strcmp(x->object, y->object) || x->has_site != y->has_site ||
		    (x->has_site && frame_key_cmp(&x->site, &y->site)))
			return false;
	}
	return true;
}

static void print_held(FILE *out, const struct dump *d, const struct thread_group *g, struct symbolizer *sym)
{
	const struct dump_thread *t = g->members[0];
	size_t i;

	for (i = 1; i < g->n; i++) {
		if (!held_equal(t, g->members[i])) {
			fputs("    holds locks that differ by thread (--threads shows each)\n", out);
			return;
		}
	}
	for (i = 0; i < t->n_held; i++) {
		fputs("    holds ", out);
		print_escaped(out, t->held[i].kind);
		fprintf(out, " %s", t->held[i].object);
		if (t->held[i].has_site) {
			fputs(", taken at ", out);
			frame_text_print(out, d, &t->held[i].site, sym);
		}
		putc('\n', out);
	}
}

static void print_creator(FILE *out, const struct dump *d, const struct thread_group *g, struct symbolizer *sym,
                          size_t max_frames)
{
	const struct dump_thread *t = g->members[0];
	bool same_creator = true;
	size_t i;

	for (i = 1; i < g->n; i++)
		same_creator = same_creator && g->members[i]->creator_tid == t->creator_tid;
	if (same_creator)
		fprintf(out, "    created by tid %lld", t->creator_tid);
	else
		fputs("    created by several threads", out);
	if (t->creator_stack.n) {
		fputs(" at:\n", out);
		frame_text_stack(out, d, &t->creator_stack, sym, "      ", max_frames);
	} else {
		putc('\n', out);
	}
}

void report_text_group_body(FILE *out, const struct dump *d, const struct thread_group *g, struct symbolizer *sym,
                            size_t max_frames)
{
	const struct dump_thread *t = g->members[0];

	if (t->has_wait)
		print_wait(out, g);
	print_held(out, d, g, sym);
	if (t->stack.n) {
		fputs("    stack:\n", out);
		frame_text_stack(out, d, &t->stack, sym, "      ", max_frames);
	}
	if (t->has_created_by)
		print_creator(out, d, g, sym, max_frames);
}

static void print_group(FILE *out, const struct dump *d, const struct thread_group *g, bool per_thread,
                        struct symbolizer *sym)
{
	print_group_head(out, g, per_thread);
	report_text_group_body(out, d, g, sym, 0);
}

static int print_threads(FILE *out, const struct dump *d, bool per_thread, struct symbolizer *sym)
{
	struct grouping gr;
	struct thread_group one;
	size_t i;

	if (d->n_threads == 0) {
		fputs("threads: none listed\n", out);
		return 0;
	}
	if (per_thread) {
		fprintf(out, "threads (%zu):\n", d->n_threads);
		for (i = 0; i < d->n_threads; i++) {
			const struct dump_thread *t = &d->threads[i];
			one.members = &t;
			one.n = 1;
			print_group(out, d, &one, true, sym);
		}
		return 0;
	}
	if (group_threads(d, &gr) < 0)
		return -1;
	fprintf(out, "threads (%zu in %zu group%s, largest first):\n", d->n_threads, gr.n, plural(gr.n));
	for (i = 0; i < gr.n; i++)
		print_group(out, d, &gr.groups[i], false, sym);
	grouping_free(&gr);
	return 0;
}

int report_text_findings(FILE *out, const struct dump *d, const struct report_opts *o)
{
	struct finding_ctx c;
	size_t i;

	if (d->n_findings == 0) {
		fputs("findings: none\n", out);
		return 0;
	}
	if (finding_ctx_init(&c, d, o->sym) < 0)
		return -1;
	fprintf(out, "findings (%zu):\n", d->n_findings);
	for (i = 0; i < d->n_findings; i++)
		report_finding(out, &c, &d->findings[i], o->finding_notes ? o->finding_notes[i] : NULL);
	finding_ctx_free(&c);
	return 0;
}

int report_text_dump(FILE *out, const struct dump *d, const struct report_opts *o)
{
	report_text_header(out, d);
	if (report_text_findings(out, d, o) < 0)
		return -1;
	return print_threads(out, d, o->per_thread, o->sym);
}

struct kind_count {
	const char *kind;
	size_t n;
};

void report_text_summary(FILE *out, struct dump *const *dumps, size_t n)
{
	struct kind_count *kc = NULL;
	size_t i, j, k, total = 0, nk = 0;

	for (i = 0; i < n; i++)
		total += dumps[i]->n_findings;
	fprintf(out, "summary: %zu dump%s, ", n, plural(n));
	if (total == 0) {
		fputs("no findings\n", out);
		return;
	}
	fprintf(out, "%zu finding%s", total, plural(total));
	kc = calloc(total, sizeof(*kc));
	if (!kc) {
		putc('\n', out);
		return;
	}
	/* Kinds in order of first appearance. */
	for (i = 0; i < n; i++) {
		for (j = 0; j < dumps[i]->n_findings; j++) {
			const char *kind = dumps[i]->findings[j].kind;
			for (k = 0; k < nk && strcmp(kc[k].kind, kind) != 0; k++)
				;
			if (k == nk)
				kc[nk++].kind = kind;
			kc[k].n++;
		}
	}
	fputs(" (", out);
	for (k = 0; k < nk; k++) {
		fprintf(out, "%s%zu ", k ? ", " : "", kc[k].n);
		print_escaped(out, kc[k].kind);
	}
	fputs(")\n", out);
	free(kc);
}
