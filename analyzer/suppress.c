/* SPDX-License-Identifier: MIT */
/* The gate's side of the shared suppressions (common/asl_supp.c): a strict
 * parse, and the dump's findings turned into match subjects. */
#include "suppress.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "readfile.h"

bool supp_known_kind(const char *kind)
{
	return asl_supp_known_kind(kind);
}

struct first_error {
	char *buf;
	size_t len;
	bool seen;
};

static void keep_first(const char *msg, void *ctx)
{
	struct first_error *e = ctx;
	if (e->seen)
		return;
	e->seen = true;
	snprintf(e->buf, e->len, "%s", msg);
}

static int strict(int r, struct supp_list *l, struct first_error *e, const char *file)
{
	if (r == 0)
		return 0;
	if (r > 0)
		asl_supp_free(l);
	else if (!e->seen)
		snprintf(e->buf, e->len, "%s: out of memory", file);
	return -1;
}

int supp_parse(const char *file, const char *text, size_t len, struct supp_list *l, char *err, size_t errlen)
{
	struct first_error e = { err, errlen, false };
	return strict(asl_supp_parse(file, text, len, l, keep_first, &e), l, &e, file);
}

int supp_load(const char *path, struct supp_list *l, char *err, size_t errlen)
{
	size_t len;
	char *buf;
	int r;

	memset(l, 0, sizeof(*l));
	if (read_whole_file(path, &buf, &len, err, errlen) < 0)
		return -1;
	r = supp_parse(path, buf, len, l, err, errlen);
	free(buf);
	return r;
}

void supp_free(struct supp_list *l)
{
	asl_supp_free(l);
}

static const char *module_path(const struct dump *d, const struct dump_frame *f)
{
	return f->module >= 0 && (size_t)f->module < d->n_modules ? d->modules[f->module].path : NULL;
}

static struct asl_supp_frame *frames(const struct dump *d, const struct dump_stack *s)
{
	struct asl_supp_frame *out = calloc(s->n ? s->n : 1, sizeof(*out));
	for (size_t i = 0; out && i < s->n; i++)
		out[i] = (struct asl_supp_frame){ s->frames[i].function, module_path(d, &s->frames[i]) };
	return out;
}

struct supp_rule *supp_match(const struct supp_list *l, const struct dump *d, const struct dump_finding *f)
{
	struct asl_supp_thread *ts;
	struct asl_supp_frame site;
	struct asl_supp_subject s = { f->kind, d->exe, NULL, NULL, 0 };
	long hit = -1;
	size_t i, n = 0;

	if (!l || !l->n)
		return NULL;
	ts = calloc(f->n_threads ? f->n_threads : 1, sizeof(*ts));
	if (!ts)
		return NULL;
	for (i = 0; i < f->n_threads; i++) {
		const struct dump_thread *t = dump_find_thread(d, f->threads[i]);
		if (!t)
			continue;
		ts[n].name = t->name;
		ts[n].stack = frames(d, &t->stack);
		ts[n].nstack = ts[n].stack ? t->stack.n : 0;
		ts[n].created = frames(d, &t->creator_stack);
		ts[n].ncreated = ts[n].created ? t->creator_stack.n : 0;
		n++;
	}
	if (f->has_site) {
		site = (struct asl_supp_frame){ f->site.function, module_path(d, &f->site) };
		s.site = &site;
	}
	s.threads = ts;
	s.nthreads = n;
	hit = asl_supp_match(l, &s);
	for (i = 0; i < n; i++) {
		free((void *)ts[i].stack);
		free((void *)ts[i].created);
	}
	free(ts);
	return hit >= 0 ? &l->rules[hit] : NULL;
}
