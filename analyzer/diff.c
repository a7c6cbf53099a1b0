/* SPDX-License-Identifier: MIT */
/* Matching old and new groups by key: both sides sorted by key, merged. */
#include "diff.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "group.h"
#include "report_text.h"

enum change { GREW, APPEARED, SHRANK, GONE, N_CHANGES };

static const char *const change_titles[N_CHANGES] = { "grew", "new", "shrank", "gone" };

struct delta {
	const struct set_group *old, *new; /* either may be NULL */
	long long before, after;
};

static int by_key(const void *pa, const void *pb)
{
	const struct set_group *a = *(const struct set_group *const *)pa;
	const struct set_group *b = *(const struct set_group *const *)pb;

	return set_group_key_cmp(a, b);
}

/* Largest change first; ties keep key order (qsort is not stable, so
 * the merge position breaks them). */
struct ranked {
	struct delta d;
	size_t pos;
};

static int by_change(const void *pa, const void *pb)
{
	const struct ranked *a = pa, *b = pb;
	long long ca = llabs(a->d.after - a->d.before), cb = llabs(b->d.after - b->d.before);

	if (ca != cb)
		return ca < cb ? 1 : -1;
	return (a->pos > b->pos) - (a->pos < b->pos);
}

static const struct set_group **sorted_groups(const struct set_grouping *g)
{
	const struct set_group **p = calloc(g->n ? g->n : 1, sizeof(*p));
	size_t i;

	if (!p)
		return NULL;
	for (i = 0; i < g->n; i++)
		p[i] = &g->groups[i];
	qsort(p, g->n, sizeof(*p), by_key);
	return p;
}

static enum change classify(const struct delta *d, bool *unchanged)
{
	*unchanged = false;
	if (!d->old)
		return APPEARED;
	if (!d->new)
		return GONE;
	if (d->after > d->before)
		return GREW;
	*unchanged = d->after == d->before;
	return SHRANK;
}

/* Merges the two key-sorted sides into ranked lists, one per change. */
static int match(const struct set_grouping *og, const struct set_grouping *ng, struct ranked **lists, size_t *counts,
                 size_t *unchanged)
{
	const struct set_group **o = sorted_groups(og), **n = sorted_groups(ng);
	size_t i = 0, j = 0, pos = 0;
	struct delta d;
	enum change c;
	bool same;
	int k, r = -1;

	if (!o || !n)
		goto out;
	for (k = 0; k < N_CHANGES; k++) {
		lists[k] = calloc(og->n + ng->n + 1, sizeof(**lists));
		if (!lists[k])
			goto out;
	}
	while (i < og->n || j < ng->n) {
		int cmp = i == og->n ? 1 : j == ng->n ? -1 : set_group_key_cmp(o[i], n[j]);
		d.old = cmp <= 0 ? o[i++] : NULL;
		d.new = cmp >= 0 ? n[j++] : NULL;
		d.before = d.old ? (long long)d.old->g.n : 0;
		d.after = d.new ? (long long)d.new->g.n : 0;
		c = classify(&d, &same);
		if (same) {
			(*unchanged)++;
			continue;
		}
		lists[c][counts[c]++] = (struct ranked){ d, pos++ };
	}
	for (k = 0; k < N_CHANGES; k++)
		qsort(lists[k], counts[k], sizeof(**lists), by_change);
	r = 0;
out:
	free(o);
	free(n);
	return r;
}

static void print_side(FILE *out, const char *label, const struct diff_side *s, const struct set_grouping *g)
{
	fprintf(out, "  %s: ", label);
	print_escaped(out, s->name);
	fprintf(out, " (%zu dump%s", s->n, plural(s->n));
	if (g->n_latest == 1)
		fprintf(out, ", pid %lld", g->latest[0]->pid);
	else
		fprintf(out, ", %zu processes", g->n_latest);
	fprintf(out, "): %zu thread%s in %zu group%s\n", g->n_threads, plural(g->n_threads), g->n, plural(g->n));
}

struct kind_delta {
	const char *kind;
	long long before, after;
};

/* "findings: 0 -> 2 (deadlock +1, long-wait +1)", kinds in order of
 * first appearance; nothing when neither side has findings. */
static int print_findings_delta(FILE *out, const struct diff_side *o, const struct diff_side *n)
{
	const struct diff_side *sides[2] = { o, n };
	struct kind_delta *kd;
	size_t total = 0, nk = 0, s, i, j, k;
	long long sum[2] = { 0, 0 };

	for (s = 0; s < 2; s++)
		for (i = 0; i < sides[s]->n; i++)
			total += sides[s]->dumps[i]->n_findings;
	if (!total)
		return 0;
	kd = calloc(total, sizeof(*kd));
	if (!kd)
		return -1;
	for (s = 0; s < 2; s++) {
		for (i = 0; i < sides[s]->n; i++) {
			for (j = 0; j < sides[s]->dumps[i]->n_findings; j++) {
				const char *kind = sides[s]->dumps[i]->findings[j].kind;
				for (k = 0; k < nk && strcmp(kd[k].kind, kind) != 0; k++)
					;
				if (k == nk)
					kd[nk++].kind = kind;
				*(s ? &kd[k].after : &kd[k].before) += 1;
				sum[s]++;
			}
		}
	}
	fprintf(out, "  findings: %lld -> %lld", sum[0], sum[1]);
	for (k = 0, j = 0; k < nk; k++) {
		if (kd[k].after == kd[k].before)
			continue;
		fputs(j++ ? ", " : " (", out);
		print_escaped(out, kd[k].kind);
		fprintf(out, " %+lld", kd[k].after - kd[k].before);
	}
	fputs(j ? ")\n" : "\n", out);
	free(kd);
	return 0;
}

static void print_delta(FILE *out, const struct delta *d, const struct diff_opts *o)
{
	const struct set_group *g = d->new ? d->new : d->old;
	const struct dump_thread *t = g->g.members[0];
	long long change = d->after - d->before;

	fprintf(out, "  %+lld thread%s (%lld -> %lld), ", change, plural((size_t)llabs(change)), d->before, d->after);
	print_escaped(out, t->state);
	if (group_names_alike(&g->g)) {
		fputs(", named ", out);
		print_quoted(out, t->name);
	}
	if (g->dumps[0]->exe) {
		fputs(", in ", out);
		print_escaped(out, path_basename(g->dumps[0]->exe));
	}
	if (g->n_procs > 1)
		fprintf(out, " (%zu processes)", g->n_procs);
	putc('\n', out);
	report_text_group_body(out, g->dumps[0], &g->g, o->sym, o->max_frames);
}

int diff_report(FILE *out, const struct diff_side *old, const struct diff_side *new, const struct diff_opts *o)
{
	struct set_grouping og, ng;
	struct ranked *lists[N_CHANGES] = { 0 };
	size_t counts[N_CHANGES] = { 0 }, unchanged = 0, i;
	long long threads_delta;
	int k, r = -1;

	if (group_dump_set(old->dumps, old->n, &og) < 0)
		return -1;
	if (group_dump_set(new->dumps, new->n, &ng) < 0) {
		set_grouping_free(&og);
		return -1;
	}
	if (match(&og, &ng, lists, counts, &unchanged) < 0)
		goto out;

	threads_delta = (long long)ng.n_threads - (long long)og.n_threads;
	fputs("diff:\n", out);
	print_side(out, "old", old, &og);
	print_side(out, "new", new, &ng);
	fprintf(out,
	        "  threads: %zu -> %zu (%+lld); groups: %zu grew, %zu new, %zu shrank, "
	        "%zu gone, %zu unchanged\n",
	        og.n_threads, ng.n_threads, threads_delta, counts[GREW], counts[APPEARED], counts[SHRANK], counts[GONE],
	        unchanged);
	if (print_findings_delta(out, old, new) < 0)
		goto out;
	for (k = 0; k < N_CHANGES; k++) {
		if (!counts[k])
			continue;
		fprintf(out, "\n%s (%zu group%s):\n", change_titles[k], counts[k], plural(counts[k]));
		for (i = 0; i < counts[k]; i++)
			print_delta(out, &lists[k][i].d, o);
	}
	r = counts[GREW] || counts[APPEARED];
	fprintf(out, "\ndiff: %s\n", r ? "some thread groups grew or appeared" : "no thread group grew or appeared");
out:
	for (k = 0; k < N_CHANGES; k++)
		free(lists[k]);
	set_grouping_free(&og);
	set_grouping_free(&ng);
	return r;
}
