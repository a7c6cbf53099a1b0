#include "suppress.h"

#include <fnmatch.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "readfile.h"

static const char *const known_kinds[] = {
	"deadlock", "all-asleep", "lock-order-inversion", "leaked-thread",
	"abandoned-lock", "long-wait", "*",
};

bool supp_known_kind(const char *kind)
{
	size_t i;

	for (i = 0; i < sizeof(known_kinds) / sizeof(known_kinds[0]); i++)
		if (strcmp(kind, known_kinds[i]) == 0)
			return true;
	return false;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Trims [*s, *e) in place. */
static void trim(const char **s, const char **e)
{
	while (*s < *e && is_blank(**s))
		(*s)++;
	while (*e > *s && is_blank((*e)[-1]))
		(*e)--;
}

__attribute__((format(printf, 5, 6)))
static int fail(const char *file, unsigned line, char *err, size_t errlen, const char *fmt, ...)
{
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	snprintf(err, errlen, "%s:%u: %s", file, line, what);
	sanitize_line(err);
	return -1;
}

static int add_rule(struct supp_list *l, const char *ks, const char *ke, const char *ps,
		    const char *pe, unsigned line)
{
	struct supp_rule *nr = realloc(l->rules, (l->n + 1) * sizeof(*nr));
	struct supp_rule *r;

	if (!nr)
		return -1;
	l->rules = nr;
	r = &l->rules[l->n];
	r->kind = strndup(ks, (size_t)(ke - ks));
	r->pattern = strndup(ps, (size_t)(pe - ps));
	r->line = line;
	r->hits = 0;
	l->n++;	/* counted even when strndup failed, so supp_free sees it */
	return r->kind && r->pattern ? 0 : -1;
}

static int parse_line(struct supp_list *l, const char *s, const char *e, unsigned line,
		      char *err, size_t errlen)
{
	const char *colon, *ks, *ke, *ps, *pe;

	trim(&s, &e);
	if (s == e || *s == '#')
		return 0;
	if (memchr(s, '\0', (size_t)(e - s)))
		return fail(l->file, line, err, errlen, "NUL byte in line");
	colon = memchr(s, ':', (size_t)(e - s));
	if (!colon)
		return fail(l->file, line, err, errlen,
			    "expected KIND:PATTERN, found no ':' in \"%.*s\"",
			    (int)(e - s > 60 ? 60 : e - s), s);
	ks = s, ke = colon, ps = colon + 1, pe = e;
	trim(&ks, &ke);
	trim(&ps, &pe);
	if (ks == ke)
		return fail(l->file, line, err, errlen, "empty kind before ':'");
	if (ps == pe)
		return fail(l->file, line, err, errlen, "empty pattern after ':'");
	if (add_rule(l, ks, ke, ps, pe, line) < 0)
		return fail(l->file, line, err, errlen, "out of memory");
	if (!supp_known_kind(l->rules[l->n - 1].kind))
		return fail(l->file, line, err, errlen,
			    "unknown kind \"%.40s\" (expected deadlock, all-asleep, "
			    "lock-order-inversion, leaked-thread, abandoned-lock, long-wait or *)",
			    l->rules[l->n - 1].kind);
	return 0;
}

int supp_parse(const char *file, const char *text, size_t len, struct supp_list *l,
	       char *err, size_t errlen)
{
	const char *s = text, *end = text + len, *nl;
	unsigned line = 1;

	memset(l, 0, sizeof(*l));
	l->file = strdup(file);
	if (!l->file) {
		snprintf(err, errlen, "%s: out of memory", file);
		return -1;
	}
	for (; s < end; s = nl + 1, line++) {
		nl = memchr(s, '\n', (size_t)(end - s));
		if (!nl)
			nl = end;
		if (parse_line(l, s, nl, line, err, errlen) < 0) {
			supp_free(l);
			return -1;
		}
	}
	return 0;
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
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->rules[i].kind);
		free(l->rules[i].pattern);
	}
	free(l->rules);
	free(l->file);
	memset(l, 0, sizeof(*l));
}

/* Length of fn without a trailing "+0x<hex>" offset. */
static size_t function_name_len(const char *fn)
{
	const char *plus = strrchr(fn, '+');
	const char *p;

	if (!plus || plus[1] != '0' || plus[2] != 'x' || !plus[3])
		return strlen(fn);
	for (p = plus + 3; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f') ||
		      (*p >= 'A' && *p <= 'F')))
			return strlen(fn);
	return (size_t)(plus - fn);
}

static bool glob(const char *pattern, const char *s)
{
	return fnmatch(pattern, s, 0) == 0;
}

static bool function_matches(const char *pattern, const char *fn)
{
	size_t n;
	char *name;
	bool hit;

	if (glob(pattern, fn))
		return true;
	n = function_name_len(fn);
	if (n == strlen(fn))
		return false;
	name = strndup(fn, n);
	hit = name && glob(pattern, name);
	free(name);
	return hit;
}

static bool frame_matches(const char *pattern, const struct dump_frame *f)
{
	return f->function && function_matches(pattern, f->function);
}

static bool stack_matches(const char *pattern, const struct dump_stack *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (frame_matches(pattern, &s->frames[i]))
			return true;
	return false;
}

static bool rule_matches(const struct supp_rule *r, const struct dump *d,
			 const struct dump_finding *f)
{
	const struct dump_thread *t;
	size_t i;

	if (strcmp(r->kind, "*") != 0 && strcmp(r->kind, f->kind) != 0)
		return false;
	if (d->exe && (glob(r->pattern, d->exe) || glob(r->pattern, path_basename(d->exe))))
		return true;
	if (f->has_site && frame_matches(r->pattern, &f->site))
		return true;
	for (i = 0; i < f->n_threads; i++) {
		t = dump_find_thread(d, f->threads[i]);
		if (t && (stack_matches(r->pattern, &t->stack) ||
			  stack_matches(r->pattern, &t->creator_stack)))
			return true;
	}
	return false;
}

struct supp_rule *supp_match(const struct supp_list *l, const struct dump *d,
			     const struct dump_finding *f)
{
	size_t i;

	for (i = 0; l && i < l->n; i++)
		if (rule_matches(&l->rules[i], d, f))
			return &l->rules[i];
	return NULL;
}
