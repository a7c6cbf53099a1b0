/* SPDX-License-Identifier: MIT */
#include "report_util.h"

#include <stdlib.h>
#include <string.h>

#include "escape.h"

const char *plural(size_t n)
{
	return n == 1 ? "" : "s";
}

void print_quoted(FILE *out, const char *s)
{
	putc('"', out);
	print_escaped(out, s);
	putc('"', out);
}

bool is_lock_kind(const char *kind)
{
	return strcmp(kind, "mutex") == 0 || strcmp(kind, "spin") == 0 || strncmp(kind, "rwlock-", 7) == 0;
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
