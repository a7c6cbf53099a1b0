/* SPDX-License-Identifier: MIT */
#include "group.h"

#include <stdlib.h>
#include <string.h>

static int bool_cmp(bool a, bool b)
{
	return (int)a - (int)b;
}

int frame_key_cmp(const struct dump_frame *a, const struct dump_frame *b)
{
	int c = bool_cmp(a->function != NULL, b->function != NULL);

	if (c)
		return c;
	return a->function ? strcmp(a->function, b->function) : strcmp(a->addr, b->addr);
}

static int stack_cmp(const struct dump_stack *a, const struct dump_stack *b)
{
	size_t i;
	int c;

	for (i = 0; i < a->n && i < b->n; i++) {
		c = frame_key_cmp(&a->frames[i], &b->frames[i]);
		if (c)
			return c;
	}
	return (a->n > b->n) - (a->n < b->n);
}

int thread_key_cmp(const struct dump_thread *a, const struct dump_thread *b)
{
	int c;

	if ((c = strcmp(a->state, b->state)))
		return c;
	if ((c = bool_cmp(a->has_wait, b->has_wait)))
		return c;
	if (a->has_wait && (c = strcmp(a->wait.kind, b->wait.kind)))
		return c;
	if ((c = stack_cmp(&a->stack, &b->stack)))
		return c;
	if ((c = bool_cmp(a->has_created_by, b->has_created_by)))
		return c;
	return stack_cmp(&a->creator_stack, &b->creator_stack);
}

/* Members all point into one array, so address order is dump order and
 * makes the sort stable. */
static int member_cmp(const void *pa, const void *pb)
{
	const struct dump_thread *a = *(const struct dump_thread *const *)pa;
	const struct dump_thread *b = *(const struct dump_thread *const *)pb;
	int c = thread_key_cmp(a, b);

	return c ? c : (a > b) - (a < b);
}

static int group_cmp(const void *pa, const void *pb)
{
	const struct thread_group *a = pa, *b = pb;

	if (a->n != b->n)
		return a->n < b->n ? 1 : -1;
	return (a->members[0] > b->members[0]) - (a->members[0] < b->members[0]);
}

int group_threads(const struct dump *d, struct grouping *g)
{
	size_t i, start;

	memset(g, 0, sizeof(*g));
	if (d->n_threads == 0)
		return 0;
	g->storage = calloc(d->n_threads, sizeof(*g->storage));
	g->groups = calloc(d->n_threads, sizeof(*g->groups));
	if (!g->storage || !g->groups) {
		grouping_free(g);
		return -1;
	}
	for (i = 0; i < d->n_threads; i++)
		g->storage[i] = &d->threads[i];
	qsort(g->storage, d->n_threads, sizeof(*g->storage), member_cmp);

	for (start = 0, i = 1; i <= d->n_threads; i++) {
		if (i < d->n_threads && thread_key_cmp(g->storage[start], g->storage[i]) == 0)
			continue;
		g->groups[g->n].members = &g->storage[start];
		g->groups[g->n].n = i - start;
		g->n++;
		start = i;
	}
	qsort(g->groups, g->n, sizeof(*g->groups), group_cmp);
	return 0;
}

void grouping_free(struct grouping *g)
{
	free(g->storage);
	free(g->groups);
	memset(g, 0, sizeof(*g));
}

bool group_names_alike(const struct thread_group *g)
{
	size_t i;

	for (i = 1; i < g->n; i++)
		if (strcmp(g->members[i]->name, g->members[0]->name) != 0)
			return false;
	return true;
}
