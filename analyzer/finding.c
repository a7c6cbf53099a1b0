/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE /* asprintf */
#include "finding.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asl_kinds.h"
#include "escape.h"
#include "frame.h"

#define RULE(e, kind, fails, id, name, summary) { kind, id, name, summary },
const struct finding_rule finding_rules[] = { ASL_FINDING_KINDS(RULE) };
#undef RULE
const size_t n_finding_rules = sizeof(finding_rules) / sizeof(finding_rules[0]);

const struct finding_rule *finding_rule_find(const char *kind)
{
	size_t i;

	for (i = 0; i < n_finding_rules; i++)
		if (strcmp(finding_rules[i].kind, kind) == 0)
			return &finding_rules[i];
	return NULL;
}

void finding_rule_id(const char *kind, char *buf, size_t len)
{
	const struct finding_rule *r = finding_rule_find(kind);
	size_t i = 0;

	if (r) {
		snprintf(buf, len, "%s", r->id);
		return;
	}
	i = (size_t)snprintf(buf, len, "ASLEEP-");
	for (; *kind && i + 1 < len; kind++)
		buf[i++] = isalnum((unsigned char)*kind) && (unsigned char)*kind < 0x80
		                   ? (char)toupper((unsigned char)*kind)
		                   : '-';
	buf[i < len ? i : len - 1] = '\0';
}

char *wait_step_text(const struct dump_cycle_step *c)
{
	char *s = NULL;
	int r;

	if (strcmp(c->kind, "join") == 0)
		r = asprintf(&s, "tid %lld waits to join tid %lld", c->tid, c->owner);
	else
		r = asprintf(&s, "tid %lld waits for %s %s%s tid %lld", c->tid, c->kind, c->object,
		             asl_wait_kind_is_lock(c->kind) ? " held by" : ", which needs", c->owner);
	return r < 0 ? NULL : s;
}

char *order_edge_text(const struct dump_order_edge *e)
{
	char *s = NULL;
	return asprintf(&s, ASL_ORDER_EDGE_FMT, e->held_kind, e->held, e->acquired_kind, e->acquired) < 0 ? NULL : s;
}

/* finding_fingerprint (finding.h): what makes two findings "the
 * same bug" for SARIF partialFingerprints and the JSON summary. */

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

static int print_frame(FILE *out, struct symbolizer *sym, const struct dump *d, const struct dump_frame *f)
{
	char *label = frame_label(sym, d, f);

	if (!label)
		return -1;
	fputs(label, out);
	free(label);
	return 0;
}

static int print_stack(FILE *out, struct symbolizer *sym, const struct dump *d, const struct dump_stack *s,
                       const char *indent)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		fprintf(out, "%s#%zu ", indent, i);
		if (print_frame(out, sym, d, &s->frames[i]) < 0)
			return -1;
		putc('\n', out);
	}
	return 0;
}

static int print_thread(FILE *out, struct symbolizer *sym, const struct dump *d, long long tid)
{
	const struct dump_thread *t = dump_find_thread(d, tid);

	fprintf(out, "tid %lld", tid);
	if (!t) {
		fputs(" (not listed in the dump)\n", out);
		return 0;
	}
	fputs(" \"", out);
	print_escaped(out, t->name);
	fputs("\", ", out);
	print_escaped(out, t->state);
	putc('\n', out);
	if (t->stack.n) {
		fputs("  stack:\n", out);
		if (print_stack(out, sym, d, &t->stack, "    ") < 0)
			return -1;
	}
	if (t->has_created_by) {
		fprintf(out, "  created by tid %lld%s\n", t->creator_tid, t->creator_stack.n ? " at:" : "");
		if (print_stack(out, sym, d, &t->creator_stack, "    ") < 0)
			return -1;
	}
	return 0;
}

static int print_edge(FILE *out, struct symbolizer *sym, const struct dump *d, const struct dump_order_edge *e)
{
	fprintf(out, "tid %lld", e->tid);
	if (e->thread) {
		fputs(" \"", out);
		print_escaped(out, e->thread);
		putc('"', out);
	}
	char *text = order_edge_text(e);
	if (!text)
		return -1;
	putc(' ', out);
	print_escaped(out, text);
	free(text);
	fputs("\n  ", out);
	print_escaped(out, e->held);
	fputs(" " ASL_ORDER_HELD_AT ":\n", out);
	if (print_stack(out, sym, d, &e->held_stack, "    ") < 0)
		return -1;
	fputs("  ", out);
	print_escaped(out, e->acquired);
	fputs(" " ASL_ORDER_ACQUIRED_AT ":\n", out);
	return print_stack(out, sym, d, &e->acquire_stack, "    ");
}

int format_finding_text(FILE *out, struct symbolizer *sym, const struct dump *d, const struct dump_finding *f)
{
	char *step;
	size_t i;

	print_escaped(out, f->kind);
	fputs(": ", out);
	print_escaped(out, f->message);
	putc('\n', out);
	for (i = 0; i < f->n_objects; i++) {
		fputs(i ? ", " : "objects: ", out);
		print_escaped(out, f->objects[i]);
	}
	if (f->n_objects)
		putc('\n', out);
	for (i = 0; i < f->n_cycle; i++) {
		if (!(step = wait_step_text(&f->cycle[i])))
			return -1;
		fputs(i ? "  " : "cycle:\n  ", out);
		print_escaped(out, step);
		putc('\n', out);
		free(step);
	}
	for (i = 0; i < f->n_order; i++)
		if (print_edge(out, sym, d, &f->order[i]) < 0)
			return -1;
	if (f->has_site) {
		fputs("lock taken at ", out);
		if (print_frame(out, sym, d, &f->site) < 0)
			return -1;
		putc('\n', out);
	}
	for (i = 0; i < f->n_threads; i++)
		if (print_thread(out, sym, d, f->threads[i]) < 0)
			return -1;
	return 0;
}
