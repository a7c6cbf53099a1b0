/* SPDX-License-Identifier: MIT */
#include "dump.h"

#include <stdlib.h>
#include <string.h>

#include "escape.h"

static void stack_free(struct dump_stack *s)
{
	free(s->frames);
}

void dump_free(struct dump *d)
{
	size_t i;

	if (!d)
		return;
	for (i = 0; i < d->n_threads; i++) {
		struct dump_thread *t = &d->threads[i];
		free(t->wait.owners);
		free(t->held);
		stack_free(&t->stack);
		stack_free(&t->creator_stack);
	}
	free(d->threads);
	for (i = 0; i < d->n_findings; i++) {
		struct dump_finding *f = &d->findings[i];
		free(f->threads);
		free(f->objects);
		free(f->cycle);
		for (size_t j = 0; j < f->n_order; j++) {
			stack_free(&f->order[j].held_stack);
			stack_free(&f->order[j].acquire_stack);
			free(f->order[j].gates);
		}
		free(f->order);
	}
	free(d->findings);
	free(d->modules);
	json_decref(d->root);
	free(d->file);
	free(d);
}

const struct dump_thread *dump_find_thread(const struct dump *d, long long tid)
{
	size_t i;

	for (i = 0; i < d->n_threads; i++)
		if (d->threads[i].tid == tid)
			return &d->threads[i];
	return NULL;
}

const char *path_basename(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static const struct dump_module *frame_module(const struct dump *d, const struct dump_frame *f)
{
	/* The loader checks the index; stay safe for hand-built dumps. */
	if (f->module < 0 || (size_t)f->module >= d->n_modules)
		return NULL;
	return &d->modules[f->module];
}

void dump_print_frame(FILE *out, const struct dump *d, const struct dump_frame *f)
{
	const struct dump_module *m = frame_module(d, f);

	if (f->function) {
		print_escaped(out, f->function);
		if (m && f->offset) {
			fputs(" (", out);
			print_escaped(out, path_basename(m->path));
			fprintf(out, "+%s)", f->offset);
		}
	} else if (m && f->offset) {
		print_escaped(out, path_basename(m->path));
		fprintf(out, "+%s", f->offset);
	} else {
		fputs(f->addr, out);
	}
}

static int by_tid_cmp(const void *pa, const void *pb)
{
	const struct dump_thread *a = *(const struct dump_thread *const *)pa;
	const struct dump_thread *b = *(const struct dump_thread *const *)pb;

	if (a->tid != b->tid)
		return a->tid < b->tid ? -1 : 1;
	return (a > b) - (a < b); /* a repeated tid: the first one wins */
}

int tid_index_build(const struct dump *d, struct tid_index *ix)
{
	size_t i;

	ix->n = d->n_threads;
	ix->by_tid = calloc(ix->n ? ix->n : 1, sizeof(*ix->by_tid));
	if (!ix->by_tid)
		return -1;
	for (i = 0; i < ix->n; i++)
		ix->by_tid[i] = &d->threads[i];
	qsort(ix->by_tid, ix->n, sizeof(*ix->by_tid), by_tid_cmp);
	return 0;
}

const struct dump_thread *tid_index_find(const struct tid_index *ix, long long tid)
{
	size_t lo = 0, hi = ix->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (ix->by_tid[mid]->tid < tid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < ix->n && ix->by_tid[lo]->tid == tid ? ix->by_tid[lo] : NULL;
}

void tid_index_free(struct tid_index *ix)
{
	free(ix->by_tid);
	ix->by_tid = NULL;
	ix->n = 0;
}
