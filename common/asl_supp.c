/* SPDX-License-Identifier: MIT */
/* The suppressions parser and matcher (format: asl_supp.h). */
#define _GNU_SOURCE
#include "asl_supp.h"

#include "asl_kinds.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool asl_supp_known_kind(const char *kind)
{
	return strcmp(kind, "*") == 0 || asl_finding_kind_from_name(kind) >= 0;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static void trim(const char **s, const char **e)
{
	while (*s < *e && is_blank(**s))
		(*s)++;
	while (*e > *s && is_blank((*e)[-1]))
		(*e)--;
}

/* Reports "FILE:LINE: what", control bytes shown as '?' so that it stays one
 * printable line whatever the file holds. */
__attribute__((format(printf, 5, 6))) static void complain(asl_supp_error_fn err, void *ctx, const char *file,
                                                           unsigned line, const char *fmt, ...)
{
	char what[256], msg[1400];
	va_list ap;

	if (!err)
		return;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	snprintf(msg, sizeof(msg), "%.1024s:%u: %s", file, line, what);
	for (char *p = msg; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	err(msg, ctx);
}

static const struct {
	const char *word;
	int scope;
} scopes[] = {
	{ "any", ASL_SUPP_ANY },       { "top", ASL_SUPP_TOP },   { "created", ASL_SUPP_CREATED },
	{ "module", ASL_SUPP_MODULE }, { "name", ASL_SUPP_NAME },
};

/* The scope word at the start of [s, e), if one is there followed by a
 * single ':'; *s is moved past it. */
static int take_scope(const char **s, const char *e)
{
	for (size_t i = 0; i < sizeof(scopes) / sizeof(scopes[0]); i++) {
		size_t n = strlen(scopes[i].word);
		const char *p = *s;
		if ((size_t)(e - p) > n && memcmp(p, scopes[i].word, n) == 0 && p[n] == ':' &&
		    (p + n + 1 == e || p[n + 1] != ':')) {
			*s = p + n + 1;
			return scopes[i].scope;
		}
	}
	return ASL_SUPP_ANY;
}

/* Returns 1 for a rule added, 0 for nothing (blank, comment), -1 for a bad
 * line (reported), -2 when out of memory. */
static int parse_line(struct asl_supp_list *l, const char *s, const char *e, unsigned line, asl_supp_error_fn err,
                      void *ctx)
{
	const char *colon, *ks, *ke, *ps, *pe, *gs, *ge;
	int scope;

	trim(&s, &e);
	if (s == e || *s == '#')
		return 0;
	if (memchr(s, '\0', (size_t)(e - s))) {
		complain(err, ctx, l->file, line, "NUL byte in line");
		return -1;
	}
	colon = memchr(s, ':', (size_t)(e - s));
	if (!colon) {
		complain(err, ctx, l->file, line, "expected KIND:PATTERN, found no ':' in \"%.*s\"",
		         (int)(e - s > 60 ? 60 : e - s), s);
		return -1;
	}
	ks = s, ke = colon, ps = colon + 1, pe = e;
	trim(&ks, &ke);
	trim(&ps, &pe);
	if (ks == ke) {
		complain(err, ctx, l->file, line, "empty kind before ':'");
		return -1;
	}
	if (ps == pe) {
		complain(err, ctx, l->file, line, "empty pattern after ':'");
		return -1;
	}
	gs = ps, ge = pe;
	scope = take_scope(&gs, ge);
	trim(&gs, &ge);
	if (gs == ge) {
		complain(err, ctx, l->file, line, "empty pattern after '%.*s'", (int)(gs - ps), ps);
		return -1;
	}
	char *kind = strndup(ks, (size_t)(ke - ks));
	if (!kind)
		return -2;
	if (!asl_supp_known_kind(kind)) {
		char known[256] = "";
		for (int k = 0; k < ASL_F__COUNT; k++) {
			strcat(known, asl_finding_kind_name(k));
			strcat(known, k + 1 < ASL_F__COUNT ? ", " : " or *");
		}
		complain(err, ctx, l->file, line, "unknown kind \"%.40s\" (expected %s)", kind, known);
		free(kind);
		return -1;
	}
	struct asl_supp_rule *nr = realloc(l->rules, (l->n + 1) * sizeof(*nr));
	char *pattern = strndup(ps, (size_t)(pe - ps));
	if (nr)
		l->rules = nr;
	if (!nr || !pattern) {
		free(kind);
		free(pattern);
		return -2;
	}
	/* The glob is the pattern's tail (trailing blanks were trimmed from both). */
	l->rules[l->n++] = (struct asl_supp_rule){ kind, pattern, pattern + (gs - ps), scope, line, 0 };
	return 1;
}

int asl_supp_parse(const char *file, const char *text, size_t len, struct asl_supp_list *l, asl_supp_error_fn err,
                   void *ctx)
{
	const char *s = text, *end = text + len, *nl;
	unsigned line = 1;
	int bad = 0;

	memset(l, 0, sizeof(*l));
	l->file = strdup(file ? file : "?");
	if (!l->file)
		return -1;
	for (; s < end; s = nl + 1, line++) {
		nl = memchr(s, '\n', (size_t)(end - s));
		if (!nl)
			nl = end;
		int r = parse_line(l, s, nl, line, err, ctx);
		if (r == -1)
			bad++;
		if (r == -2) {
			asl_supp_free(l);
			return -1;
		}
	}
	return bad;
}

int asl_supp_load(const char *path, struct asl_supp_list *l, asl_supp_error_fn err, void *ctx)
{
	char *buf = NULL, msg[1200];
	size_t len = 0, cap = 0;
	FILE *f = fopen(path, "re");
	int r;

	memset(l, 0, sizeof(*l));
	if (!f)
		goto fail;
	for (;;) {
		if (cap - len < 4096) {
			char *nb = cap > (64u << 20) ? NULL : realloc(buf, cap + 65536);
			if (!nb) {
				errno = cap > (64u << 20) ? EFBIG : ENOMEM;
				fclose(f);
				goto fail;
			}
			buf = nb;
			cap += 65536;
		}
		size_t n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	r = ferror(f) ? -1 : 0;
	fclose(f);
	if (r < 0) {
		errno = EIO;
		goto fail;
	}
	r = asl_supp_parse(path, buf ? buf : "", len, l, err, ctx);
	free(buf);
	return r;
fail:
	free(buf);
	if (err) {
		snprintf(msg, sizeof(msg), "%.1024s: %s", path, strerror(errno));
		err(msg, ctx);
	}
	return -1;
}

void asl_supp_free(struct asl_supp_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->rules[i].kind);
		free(l->rules[i].pattern);
	}
	free(l->rules);
	free(l->file);
	memset(l, 0, sizeof(*l));
}

static bool glob(const char *pattern, const char *s)
{
	return s && fnmatch(pattern, s, 0) == 0;
}

/* fn without a trailing "+0x<hex>" offset, into buf; NULL when fn has none. */
static const char *strip_offset(const char *fn, char *buf, size_t len)
{
	const char *plus = strrchr(fn, '+');
	if (!plus || plus[1] != '0' || plus[2] != 'x' || !plus[3])
		return NULL;
	for (const char *p = plus + 3; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f') || (*p >= 'A' && *p <= 'F')))
			return NULL;
	if ((size_t)(plus - fn) >= len)
		return NULL;
	memcpy(buf, fn, (size_t)(plus - fn));
	buf[plus - fn] = '\0';
	return buf;
}

static bool path_matches(const char *pattern, const char *path)
{
	const char *slash;
	if (!path)
		return false;
	slash = strrchr(path, '/');
	return glob(pattern, path) || (slash && glob(pattern, slash + 1));
}

static bool frame_matches(const struct asl_supp_rule *r, const struct asl_supp_frame *f)
{
	char name[1024];
	if (r->scope == ASL_SUPP_MODULE)
		return path_matches(r->glob, f->module);
	if (!f->function)
		return false;
	return glob(r->glob, f->function) || glob(r->glob, strip_offset(f->function, name, sizeof name));
}

static bool frames_match(const struct asl_supp_rule *r, const struct asl_supp_frame *f, size_t n)
{
	for (size_t i = 0; f && i < n; i++)
		if (frame_matches(r, &f[i]))
			return true;
	return false;
}

static bool rule_matches(const struct asl_supp_rule *r, const struct asl_supp_subject *s)
{
	if (strcmp(r->kind, "*") != 0 && (!s->kind || strcmp(r->kind, s->kind) != 0))
		return false;
	if ((r->scope == ASL_SUPP_ANY || r->scope == ASL_SUPP_MODULE) && path_matches(r->glob, s->exe))
		return true;
	if ((r->scope == ASL_SUPP_ANY || r->scope == ASL_SUPP_MODULE) && s->site && frame_matches(r, s->site))
		return true;
	for (size_t i = 0; s->threads && i < s->nthreads; i++) {
		const struct asl_supp_thread *t = &s->threads[i];
		switch (r->scope) {
		case ASL_SUPP_TOP:
			if (t->nstack && frame_matches(r, &t->stack[0]))
				return true;
			break;
		case ASL_SUPP_CREATED:
			if (frames_match(r, t->created, t->ncreated))
				return true;
			break;
		case ASL_SUPP_NAME:
			if (t->name && glob(r->glob, t->name))
				return true;
			break;
		default:
			if (frames_match(r, t->stack, t->nstack) || frames_match(r, t->created, t->ncreated))
				return true;
		}
	}
	return false;
}

long asl_supp_match(const struct asl_supp_list *l, const struct asl_supp_subject *s)
{
	for (size_t i = 0; l && s && i < l->n; i++)
		if (rule_matches(&l->rules[i], s))
			return (long)i;
	return -1;
}
