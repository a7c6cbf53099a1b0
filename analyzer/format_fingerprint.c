/* SPDX-License-Identifier: MIT */
/* finding_fingerprint (format_rules.h): what makes two findings "the
 * same bug" for SARIF partialFingerprints and the JSON summary. */
#define _GNU_SOURCE /* open_memstream */
#include "format_rules.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "format_frame.h"

/* Deep enough to tell call paths apart, shallow enough that a change
 * far down (main's caller) does not make a known bug look new. */
#define KEY_FRAMES 8

struct anchors {
	char **keys;
	size_t n, cap;
};

static int anchors_add(struct anchors *a, char *key)
{
	char **grown;

	if (!key)
		return -1;
	if (a->n == a->cap) {
		a->cap = a->cap ? 2 * a->cap : 8;
		grown = realloc(a->keys, a->cap * sizeof(*a->keys));
		if (!grown) {
			free(key);
			return -1;
		}
		a->keys = grown;
	}
	a->keys[a->n++] = key;
	return 0;
}

struct key_ctx {
	struct symbolizer *sym;
	const struct dump *d;
};

static void write_stack_key(FILE *out, const struct key_ctx *k, const struct dump_stack *s)
{
	struct frame_sym fs;
	size_t i;

	for (i = 0; i < s->n && i < KEY_FRAMES; i++) {
		frame_sym_get(k->sym, k->d, &s->frames[i], &fs);
		frame_key_write(out, &fs);
		putc(';', out);
	}
}

/* One anchor string, built by the callback into a memstream. */
static char *build_key(void (*fill)(FILE *, const struct key_ctx *, const void *), const struct key_ctx *k,
                       const void *arg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);

	if (!mem)
		return NULL;
	fill(mem, k, arg);
	if (fclose(mem) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

static void thread_key(FILE *out, const struct key_ctx *k, const void *arg)
{
	const struct dump_thread *t = arg;

	fputs("T:", out);
	write_stack_key(out, k, &t->stack);
	fputs("|C:", out);
	write_stack_key(out, k, &t->creator_stack);
}

static void site_key(FILE *out, const struct key_ctx *k, const void *arg)
{
	struct dump_stack one = { (struct dump_frame *)arg, 1 };

	fputs("S:", out);
	write_stack_key(out, k, &one);
}

static void edge_key(FILE *out, const struct key_ctx *k, const void *arg)
{
	const struct dump_order_edge *e = arg;

	fprintf(out, "E:%s>%s:", e->held_kind, e->acquired_kind);
	write_stack_key(out, k, &e->held_stack);
	putc('>', out);
	write_stack_key(out, k, &e->acquire_stack);
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* FNV-1a: tiny, stable across platforms, good enough to tell bugs apart. */
static uint64_t hash_bytes(uint64_t h, const void *p, size_t len)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= b[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

static int collect(const struct key_ctx *k, const struct dump_finding *f, struct anchors *a)
{
	const struct dump_thread *t;
	size_t i;
	int r = 0;

	for (i = 0; i < f->n_threads && r == 0; i++)
		if ((t = dump_find_thread(k->d, f->threads[i])))
			r = anchors_add(a, build_key(thread_key, k, t));
	if (r == 0 && f->has_site)
		r = anchors_add(a, build_key(site_key, k, &f->site));
	for (i = 0; r == 0 && i < f->n_order; i++)
		r = anchors_add(a, build_key(edge_key, k, &f->order[i]));
	return r;
}

int finding_fingerprint(struct symbolizer *sym, const struct dump *d, size_t fi, char out[FINGERPRINT_LEN])
{
	const struct key_ctx k = { sym, d };
	const char *kind = d->findings[fi].kind;
	struct anchors a = { 0 };
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;
	int r = collect(&k, &d->findings[fi], &a);

	if (r == 0) {
		/* Sorted: the shim may list a cycle's threads from any start.
		 * No keys (a finding without stacks): keys is NULL, which
		 * qsort must not get (found by scripts/fuzz). */
		if (a.n > 1)
			qsort(a.keys, a.n, sizeof(*a.keys), str_cmp);
		h = hash_bytes(h, kind, strlen(kind) + 1);
		for (i = 0; i < a.n; i++)
			h = hash_bytes(h, a.keys[i], strlen(a.keys[i]) + 1);
		snprintf(out, FINGERPRINT_LEN, "%016llx", (unsigned long long)h);
	}
	for (i = 0; i < a.n; i++)
		free(a.keys[i]);
	free(a.keys);
	return r;
}
