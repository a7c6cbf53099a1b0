/* SPDX-License-Identifier: MIT */
/* Grouping across dumps: the latest dump of each process, then one sort
 * of all their threads by (program, thread key). */
#include "group.h"

#include <stdlib.h>
#include <string.h>

static int opt_strcmp(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

static const char *exe_base(const struct dump *d)
{
	return d->exe ? path_basename(d->exe) : NULL;
}

/* ---- the latest dump of each process ---- */

struct dump_ref {
	const struct dump *d;
	size_t pos; /* input order */
};

static int process_cmp(const void *pa, const void *pb)
{
	const struct dump_ref *a = pa, *b = pb;
	int c;

	if (a->d->pid != b->d->pid)
		return a->d->pid < b->d->pid ? -1 : 1;
	if ((c = opt_strcmp(a->d->exe, b->d->exe)))
		return c;
	if (a->d->seq != b->d->seq)
		return a->d->seq < b->d->seq ? -1 : 1;
	return (a->pos > b->pos) - (a->pos < b->pos);
}

static int pos_cmp(const void *pa, const void *pb)
{
	const struct dump_ref *a = pa, *b = pb;

	return (a->pos > b->pos) - (a->pos < b->pos);
}

static int pick_latest(struct dump *const *dumps, size_t n, struct set_grouping *g)
{
	struct dump_ref *r = calloc(n ? n : 1, sizeof(*r));
	size_t i, k = 0;

	g->latest = calloc(n ? n : 1, sizeof(*g->latest));
	if (!r || !g->latest) {
		free(r);
		return -1;
	}
	for (i = 0; i < n; i++)
		r[i] = (struct dump_ref){ dumps[i], i };
	qsort(r, n, sizeof(*r), process_cmp);
	for (i = 0; i < n; i++) {
		bool last =
		        i + 1 == n || r[i + 1].d->pid != r[i].d->pid || opt_strcmp(r[i + 1].d->exe, r[i].d->exe) != 0;
		if (last)
			r[k++] = r[i];
	}
	qsort(r, k, sizeof(*r), pos_cmp);
	for (i = 0; i < k; i++)
		g->latest[i] = r[i].d;
	g->n_latest = k;
	free(r);
	return 0;
}

/* ---- keys across dumps ---- */

static const char *frame_module_base(const struct dump *d, const struct dump_frame *f)
{
	if (f->module < 0 || (size_t)f->module >= d->n_modules || !f->offset)
		return NULL;
	return path_basename(d->modules[f->module].path);
}

static int xframe_cmp(const struct dump *da, const struct dump_frame *a, const struct dump *db,
                      const struct dump_frame *b)
{
	const char *ma, *mb;
	int c;

	if (a->function || b->function)
		return opt_strcmp(a->function, b->function);
	ma = frame_module_base(da, a);
	mb = frame_module_base(db, b);
	if (ma || mb) {
		if ((c = opt_strcmp(ma, mb)))
			return c;
		return strcmp(a->offset, b->offset);
	}
	return strcmp(a->addr, b->addr);
}

static int xstack_cmp(const struct dump *da, const struct dump_stack *a, const struct dump *db,
                      const struct dump_stack *b)
{
	size_t i;
	int c;

	for (i = 0; i < a->n && i < b->n; i++)
		if ((c = xframe_cmp(da, &a->frames[i], db, &b->frames[i])))
			return c;
	return (a->n > b->n) - (a->n < b->n);
}

static int xthread_cmp(const struct dump *da, const struct dump_thread *a, const struct dump *db,
                       const struct dump_thread *b)
{
	int c;

	if ((c = opt_strcmp(exe_base(da), exe_base(db))))
		return c;
	if ((c = strcmp(a->state, b->state)))
		return c;
	if ((c = (int)a->has_wait - (int)b->has_wait))
		return c;
	if (a->has_wait && (c = strcmp(a->wait.kind, b->wait.kind)))
		return c;
	if ((c = xstack_cmp(da, &a->stack, db, &b->stack)))
		return c;
	if ((c = (int)a->has_created_by - (int)b->has_created_by))
		return c;
	return xstack_cmp(da, &a->creator_stack, db, &b->creator_stack);
}

int set_group_key_cmp(const struct set_group *a, const struct set_group *b)
{
	return xthread_cmp(a->dumps[0], a->g.members[0], b->dumps[0], b->g.members[0]);
}

/* ---- grouping ---- */

struct member {
	const struct dump *d;
	const struct dump_thread *t;
	size_t pos; /* input order: dump, then thread */
};

static int member_cmp(const void *pa, const void *pb)
{
	const struct member *a = pa, *b = pb;
	int c = xthread_cmp(a->d, a->t, b->d, b->t);

	return c ? c : (a->pos > b->pos) - (a->pos < b->pos);
}

static int set_group_cmp(const void *pa, const void *pb)
{
	const struct set_group *a = pa, *b = pb;

	if (a->g.n != b->g.n)
		return a->g.n < b->g.n ? 1 : -1;
	return (a->first > b->first) - (a->first < b->first);
}

static void fill_groups(struct set_grouping *g, const struct member *m)
{
	size_t i, j, start;
	struct set_group *sg;

	for (i = 0; i < g->n_threads; i++) {
		g->threads[i] = m[i].t;
		g->owners[i] = m[i].d;
	}
	for (start = 0, i = 1; i <= g->n_threads; i++) {
		if (i < g->n_threads && xthread_cmp(m[start].d, m[start].t, m[i].d, m[i].t) == 0)
			continue;
		sg = &g->groups[g->n++];
		sg->g.members = &g->threads[start];
		sg->g.n = i - start;
		sg->dumps = &g->owners[start];
		sg->first = m[start].pos;
		/* Members are in input order, so a process's are adjacent. */
		for (j = start; j < i; j++)
			sg->n_procs += j == start || m[j].d != m[j - 1].d;
		start = i;
	}
}

int group_dump_set(struct dump *const *dumps, size_t n, struct set_grouping *g)
{
	struct member *m = NULL;
	size_t i, j, k = 0;

	memset(g, 0, sizeof(*g));
	if (pick_latest(dumps, n, g) < 0)
		goto oom;
	for (i = 0; i < g->n_latest; i++)
		g->n_threads += g->latest[i]->n_threads;
	if (g->n_threads == 0)
		return 0;
	m = calloc(g->n_threads, sizeof(*m));
	g->threads = calloc(g->n_threads, sizeof(*g->threads));
	g->owners = calloc(g->n_threads, sizeof(*g->owners));
	g->groups = calloc(g->n_threads, sizeof(*g->groups));
	if (!m || !g->threads || !g->owners || !g->groups)
		goto oom;
	for (i = 0; i < g->n_latest; i++)
		for (j = 0; j < g->latest[i]->n_threads; j++, k++)
			m[k] = (struct member){ g->latest[i], &g->latest[i]->threads[j], k };
	qsort(m, g->n_threads, sizeof(*m), member_cmp);
	fill_groups(g, m);
	qsort(g->groups, g->n, sizeof(*g->groups), set_group_cmp);
	free(m);
	return 0;
oom:
	free(m);
	set_grouping_free(g);
	return -1;
}

void set_grouping_free(struct set_grouping *g)
{
	free(g->groups);
	free(g->latest);
	free(g->threads);
	free(g->owners);
	memset(g, 0, sizeof(*g));
}
