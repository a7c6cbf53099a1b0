/* SPDX-License-Identifier: MIT */
/* Applies the shared suppressions (common/asl_supp.c) to the shim's
 * findings before they are printed, dumped or acted on. */
#define _GNU_SOURCE
#include "asl_suppress.h"
#include "asl_owners.h"

#include "asl_diag.h"
#include "asl_proc.h"
#include "asl_supp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The user's file, then the built-in rules: written once at start-up. */
static struct asl_supp_list lists[2]; /* the constructor; read-only after (hit counts are atomic) */
static int nlists;
static char exe[1024];

/* Runtimes' own helper threads, alive at exit by design (default_suppressions=0
 * turns these off; help=1 and the README list them). */
static const char builtin[] = "# GLib: the worker context's thread, GDBus's worker, thread-pool threads\n"
                              "leaked-thread:name:gmain\n"
                              "leaked-thread:name:gdbus\n"
                              "leaked-thread:name:pool-*\n"
                              "# CPython: threads still alive at exit are daemon threads (the others are joined)\n"
                              "leaked-thread:created:PyThread_start_new_thread\n";

static void load_error(const char *msg, void *ctx)
{
	char line[1600];
	(void)ctx;
	int n = snprintf(line, sizeof line, "asleep: suppressions: %s (ignored)\n", msg);
	asl_write_diag(line, n < (int)sizeof line ? (size_t)n : sizeof line - 1);
}

void asl_suppress_load(const char *path, int defaults)
{
	if (nlists)
		return;
	if (path && path[0] && asl_supp_load(path, &lists[nlists], load_error, NULL) >= 0)
		nlists++;
	if (defaults &&
	    asl_supp_parse("(built-in)", builtin, sizeof builtin - 1, &lists[nlists], load_error, NULL) >= 0)
		nlists++;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	exe[n > 0 ? n : 0] = '\0';
}

void asl_suppress_help(void (*out)(const char *line, void *ctx), void *ctx)
{
	char line[256];
	const char *p = builtin;
	out("asleep: built-in suppressions (default_suppressions=1):", ctx);
	while (*p) {
		size_t n = strcspn(p, "\n");
		snprintf(line, sizeof line, "  %.*s", (int)n, p);
		out(line, ctx);
		p += n + (p[n] == '\n');
	}
}

int asl_suppress_active(void)
{
	for (int i = 0; i < nlists; i++)
		if (lists[i].n > 0)
			return 1;
	return 0;
}

/* One finding's frames, symbolized: what the shared matcher looks at.
 * Function names are strdup'ed and freed with the subject. */
struct subject {
	struct asl_supp_subject s;
	struct asl_supp_thread *threads;
	struct asl_supp_frame site;
};

static void frame_of(const struct asl_modules *m, uintptr_t a, struct asl_supp_frame *out)
{
	char name[256];
	int mi = asl_module_index(m, a);
	out->module = mi >= 0 ? m->m[mi].path : NULL;
	out->function = asl_symbolize(m, a, name, sizeof name) == 0 && name[0] ? strdup(name) : NULL;
}

static struct asl_supp_frame *frames_of(const struct asl_modules *m, const uintptr_t *st, int n)
{
	struct asl_supp_frame *f = calloc(n > 0 ? (size_t)n : 1, sizeof *f);
	for (int i = 0; f && i < n; i++)
		frame_of(m, st[i], &f[i]);
	return f;
}

static void frames_free(const struct asl_supp_frame *f, size_t n)
{
	for (size_t i = 0; f && i < n; i++)
		free((void *)f[i].function);
	free((void *)f);
}

static void subject_free(struct subject *b)
{
	for (size_t i = 0; b->threads && i < b->s.nthreads; i++) {
		free((void *)b->threads[i].name);
		frames_free(b->threads[i].stack, b->threads[i].nstack);
		frames_free(b->threads[i].created, b->threads[i].ncreated);
	}
	free(b->threads);
	free((void *)b->site.function);
}

/* Fills b from finding f; returns -1 when out of memory. */
static int subject_make(struct subject *b, const struct asl_finding *f, const struct asl_snapshot *s,
                        const struct asl_modules *m)
{
	int n = f->all_threads ? s->n : f->ntids;
	int nlo = f->lo ? 2 * f->lo->n : 0;
	memset(b, 0, sizeof *b);
	b->s.kind = asl_finding_kind_name(f->kind);
	b->s.exe = exe[0] ? exe : NULL;
	b->threads = calloc(n + nlo > 0 ? (size_t)(n + nlo) : 1, sizeof *b->threads);
	if (!b->threads)
		return -1;
	b->s.threads = b->threads;
	/* lock-order-inversion: each edge's two stacks stand for the threads
	 * (which may be long gone); `top:` is the function taking the lock. */
	for (int k = 0; k < nlo; k++) {
		const struct asl_lo_step *st = &f->lo->step[k / 2];
		const uintptr_t *a = k % 2 ? st->held_stack : st->acquired_stack;
		int depth = k % 2 ? st->held_depth : st->acquired_depth;
		struct asl_supp_thread *o = &b->threads[b->s.nthreads++];
		o->stack = frames_of(m, a, depth);
		o->nstack = o->stack ? (size_t)depth : 0;
	}
	for (int k = 0; k < n; k++) {
		int i = f->all_threads ? k : asl_snap_find_tid(s, f->tids[k]);
		if (i < 0)
			continue;
		const struct asl_tsnap *t = &s->t[i];
		struct asl_supp_thread *o = &b->threads[b->s.nthreads++];
		char name[64];
		asl_tsnap_name(t, name, sizeof name);
		o->name = strdup(name);
		if (t->blocked) {
			o->stack = frames_of(m, t->wait.stack, t->wait.depth);
			o->nstack = o->stack ? (size_t)t->wait.depth : 0;
		}
		o->created = frames_of(m, t->create_stack, t->create_depth);
		o->ncreated = o->created ? (size_t)t->create_depth : 0;
	}
	if (f->site) {
		frame_of(m, f->site, &b->site);
		b->s.site = &b->site;
	}
	return 0;
}

/* The matching rule, or NULL (also when out of memory: fail open, report). */
static struct asl_supp_rule *match(const struct asl_finding *f, const struct asl_snapshot *s,
                                   const struct asl_modules *m)
{
	struct subject b;
	struct asl_supp_rule *hit = NULL;
	if (subject_make(&b, f, s, m) != 0)
		return NULL;
	for (int i = 0; i < nlists && !hit; i++) {
		long r = asl_supp_match(&lists[i], &b.s);
		if (r >= 0)
			hit = &lists[i].rules[r];
	}
	subject_free(&b);
	return hit;
}

int asl_suppress_filter(const struct asl_finding *f, int nf, const struct asl_snapshot *s,
                        const struct asl_modules *mods, struct asl_finding *out)
{
	int kept = 0;
	for (int i = 0; i < nf; i++) {
		struct asl_supp_rule *r = asl_suppress_active() ? match(&f[i], s, mods) : NULL;
		if (r) /* publishers may run at once (monitor, exit) */
			__atomic_fetch_add(&r->hits, 1, __ATOMIC_RELAXED);
		else
			out[kept++] = f[i];
	}
	return kept;
}

int asl_suppress_matches(const struct asl_finding *f, const struct asl_snapshot *s)
{
	struct asl_modules mods;
	if (!asl_suppress_active())
		return 0;
	asl_modules_collect(&mods);
	struct asl_supp_rule *r = match(f, s, &mods);
	asl_modules_free(&mods);
	return r != NULL;
}

/* Rules come from a file: not necessarily UTF-8. */
static json_t *text(const char *s)
{
	json_t *j = json_string(s);
	return j ? j : json_string("?");
}

json_t *asl_suppress_used_json(void)
{
	if (!nlists)
		return NULL;
	json_t *a = json_array();
	for (int l = 0; l < nlists; l++)
		for (size_t i = 0; i < lists[l].n; i++) {
			const struct asl_supp_rule *r = &lists[l].rules[i];
			unsigned long hits = __atomic_load_n(&r->hits, __ATOMIC_RELAXED);
			if (!hits)
				continue;
			json_t *o = json_object();
			json_object_set_new(o, "kind", text(r->kind));
			json_object_set_new(o, "pattern", text(r->pattern));
			json_object_set_new(o, "file", text(lists[l].file));
			json_object_set_new(o, "line", json_integer(r->line));
			json_object_set_new(o, "count", json_integer((json_int_t)hits));
			json_array_append_new(a, o);
		}
	return a;
}

/* Only the user's own file is worth a line on stderr: built-in rules
 * work silently (the dump lists them). */
char *asl_suppress_used_text(void)
{
	char *buf = NULL;
	size_t len = 0;
	int header = 0;
	const struct asl_supp_list *l = nlists && strcmp(lists[0].file, "(built-in)") != 0 ? &lists[0] : NULL;
	FILE *f = l ? open_memstream(&buf, &len) : NULL;
	for (size_t i = 0; f && i < l->n; i++) {
		const struct asl_supp_rule *r = &l->rules[i];
		unsigned long hits = __atomic_load_n(&r->hits, __ATOMIC_RELAXED);
		if (!hits)
			continue;
		if (!header++)
			fprintf(f, "asleep: suppressions used (%s):\n", l->file);
		fprintf(f, "  %lu x %s:%s (line %u)\n", hits, r->kind, r->pattern, r->line);
	}
	if (f && fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	if (buf && !buf[0]) {
		free(buf);
		return NULL;
	}
	return buf;
}
