/* Applies the shared suppressions (common/asl_supp.c) to the shim's
 * findings before they are printed, dumped or acted on. */
#define _GNU_SOURCE
#include "asl_suppress.h"

#include "asl_supp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct asl_supp_list rules;
static int loaded;
static char exe[1024];

static void load_error(const char *msg, void *ctx)
{
	char line[1600];
	(void)ctx;
	int n = snprintf(line, sizeof line, "asleep: suppressions: %s (ignored)\n", msg);
	ssize_t r = write(2, line, n < (int)sizeof line ? (size_t)n : sizeof line - 1);
	(void)r;
}

void asl_suppress_load(const char *path)
{
	if (!path || !path[0] || loaded)
		return;
	if (asl_supp_load(path, &rules, load_error, NULL) < 0)
		return;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	exe[n > 0 ? n : 0] = '\0';
	loaded = 1;
}

int asl_suppress_active(void)
{
	return loaded && rules.n > 0;
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

static long match(const struct asl_finding *f, const struct asl_snapshot *s, const struct asl_modules *m)
{
	struct subject b;
	if (subject_make(&b, f, s, m) != 0)
		return -1; /* fail open: report it */
	long r = asl_supp_match(&rules, &b.s);
	subject_free(&b);
	return r;
}

int asl_suppress_filter(const struct asl_finding *f, int nf, const struct asl_snapshot *s,
			const struct asl_modules *mods, struct asl_finding *out)
{
	int kept = 0;
	for (int i = 0; i < nf; i++) {
		long r = asl_suppress_active() ? match(&f[i], s, mods) : -1;
		if (r >= 0)
			rules.rules[r].hits++;
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
	long r = match(f, s, &mods);
	asl_modules_free(&mods);
	return r >= 0;
}

/* Rules come from a file: not necessarily UTF-8. */
static json_t *text(const char *s)
{
	json_t *j = json_string(s);
	return j ? j : json_string("?");
}

json_t *asl_suppress_used_json(void)
{
	if (!loaded)
		return NULL;
	json_t *a = json_array();
	for (size_t i = 0; i < rules.n; i++) {
		const struct asl_supp_rule *r = &rules.rules[i];
		if (!r->hits)
			continue;
		json_t *o = json_object();
		json_object_set_new(o, "kind", text(r->kind));
		json_object_set_new(o, "pattern", text(r->pattern));
		json_object_set_new(o, "file", text(rules.file));
		json_object_set_new(o, "line", json_integer(r->line));
		json_object_set_new(o, "count", json_integer((json_int_t)r->hits));
		json_array_append_new(a, o);
	}
	return a;
}

void asl_suppress_report_used(int fd)
{
	int header = 0;
	for (size_t i = 0; loaded && i < rules.n; i++) {
		const struct asl_supp_rule *r = &rules.rules[i];
		if (!r->hits)
			continue;
		if (!header++)
			dprintf(fd, "asleep: suppressions used (%s):\n", rules.file);
		dprintf(fd, "  %lu x %s:%s (line %u)\n", r->hits, r->kind, r->pattern, r->line);
	}
}
