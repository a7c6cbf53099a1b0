/* SPDX-License-Identifier: MIT */
#include "asl_options.h"

#include <stdio.h>
#include <string.h>

enum opt_type { T_BOOL, T_INT, T_MS, T_PATH, T_ON_DEADLOCK };

struct opt_desc {
	const char *name;
	int type;
	const char *def;
	long lo, hi;
	const char *desc;
	size_t offset;
};

#define ASL_OPT_ROW(name, type, def, lo, hi, desc) \
	{ #name, T_##type, def, lo, hi, desc, offsetof(struct asl_options, name) },
static const struct opt_desc table[] = { ASL_OPTION_TABLE(ASL_OPT_ROW) };
#undef ASL_OPT_ROW
#define NOPTS (sizeof table / sizeof table[0])

static const char *const on_deadlock_words[] = { "exit", "abort", "continue" };

/* A decimal integer in [lo, hi] spanning exactly len bytes. */
static int parse_int(const char *v, size_t len, long lo, long hi, int *out)
{
	long n = 0;
	if (len == 0 || len > 9)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (v[i] < '0' || v[i] > '9')
			return -1;
		n = n * 10 + (v[i] - '0');
	}
	if (n < lo || n > hi)
		return -1;
	*out = (int)n;
	return 0;
}

static int word_is(const char *v, size_t len, const char *w)
{
	return strlen(w) == len && memcmp(v, w, len) == 0;
}

static int parse_value(const struct opt_desc *d, const char *v, size_t len, struct asl_options *o)
{
	void *field = (char *)o + d->offset;
	int n;
	switch (d->type) {
	case T_BOOL:
	case T_INT:
		return parse_int(v, len, d->lo, d->hi, field);
	case T_MS:
		/* 0 (off) or a duration in [lo, hi] */
		if (parse_int(v, len, 0, d->hi, &n) != 0 || (n != 0 && n < d->lo))
			return -1;
		*(int *)field = n;
		return 0;
	case T_PATH:
		if (len == 0 || len >= ASL_PATH_MAX)
			return -1;
		memcpy(field, v, len);
		((char *)field)[len] = '\0';
		return 0;
	case T_ON_DEADLOCK:
		for (int i = 0; i < 3; i++)
			if (word_is(v, len, on_deadlock_words[i])) {
				*(int *)field = i;
				return 0;
			}
		return -1;
	}
	return -1;
}

void asl_options_default(struct asl_options *o)
{
	memset(o, 0, sizeof *o);
	for (size_t i = 0; i < NOPTS; i++)
		if (table[i].type != T_PATH || table[i].def[0])
			parse_value(&table[i], table[i].def, strlen(table[i].def), o);
}

/* Copies s into out with control bytes and non-ASCII escaped (\xNN), so that
 * an error line stays one printable line. */
static void escape(char *out, size_t cap, const char *s, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len && n + 5 < cap; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c >= 0x7f)
			n += (size_t)snprintf(out + n, cap - n, "\\x%02x", c);
		else
			out[n++] = (char)c;
	}
	out[n] = '\0';
}

static void complain(asl_options_error_fn err, void *ctx, const char *what, const char *k, size_t klen, const char *v,
                     size_t vlen)
{
	char msg[640], ek[280], ev[280];
	if (!err)
		return;
	escape(ek, sizeof ek, k, klen > 64 ? 64 : klen);
	escape(ev, sizeof ev, v ? v : "", v ? (vlen > 64 ? 64 : vlen) : 0);
	snprintf(msg, sizeof msg, "asleep: ASLEEP_OPTIONS: %s '%s%s%s' (ignored)", what, ek, v ? "=" : "", ev);
	err(msg, ctx);
}

/* One key=value entry; returns 0 when applied. */
static int apply(struct asl_options *o, const char *k, size_t klen, const char *v, size_t vlen,
                 asl_options_error_fn err, void *ctx, int *refused)
{
	for (size_t i = 0; i < NOPTS; i++) {
		if (!word_is(k, klen, table[i].name))
			continue;
		if (table[i].type == T_PATH && o->secure) {
			/* glibc and the sanitizers do the same: in a setuid process the
			 * caller's environment may not name files for us to write or read. */
			if (!(*refused)++ && err)
				err("asleep: ASLEEP_OPTIONS: options naming files (dump_dir, log_path, suppressions) "
				    "are ignored in a secure-execution (setuid) process",
				    ctx);
			return -1;
		}
		if (parse_value(&table[i], v, vlen, o) == 0)
			return 0;
		complain(err, ctx, "bad value", k, klen, v, vlen);
		return -1;
	}
	complain(err, ctx, "unknown key", k, klen, NULL, 0);
	return -1;
}

int asl_options_parse(const char *s, struct asl_options *o, asl_options_error_fn err, void *ctx)
{
	int bad = 0, refused = 0;
	if (!s)
		return 0;
	while (*s) {
		const char *end = strchr(s, ':');
		size_t len = end ? (size_t)(end - s) : strlen(s);
		const char *eq = memchr(s, '=', len);
		if (len == 0) {
			/* empty entry ("a=1::b=2"): tolerated */
		} else if (!eq || eq == s) {
			complain(err, ctx, eq ? "entry without a key" : "entry without '='", s, len, NULL, 0);
			bad++;
		} else if (apply(o, s, (size_t)(eq - s), eq + 1, len - (size_t)(eq - s) - 1, err, ctx, &refused)) {
			bad++;
		}
		s += len;
		if (*s == ':')
			s++;
	}
	return bad;
}

static const char *type_name(int type)
{
	static const char *const names[] = { "0|1", "integer", "milliseconds", "path", "exit|abort|continue" };
	return names[type];
}

static void value_text(const struct opt_desc *d, const struct asl_options *o, char *buf, size_t len)
{
	const void *field = (const char *)o + d->offset;
	if (d->type == T_PATH)
		snprintf(buf, len, "%s", ((const char *)field)[0] ? (const char *)field : "(unset)");
	else if (d->type == T_ON_DEADLOCK)
		snprintf(buf, len, "%s", on_deadlock_words[*(const int *)field]);
	else
		snprintf(buf, len, "%d", *(const int *)field);
}

void asl_options_help(const struct asl_options *o, void (*out)(const char *line, void *ctx), void *ctx)
{
	char line[2048], value[ASL_PATH_MAX + 16], range[48];
	out("asleep: options (ASLEEP_OPTIONS=key=value:key=value):", ctx);
	for (size_t i = 0; i < NOPTS; i++) {
		const struct opt_desc *d = &table[i];
		range[0] = '\0';
		if (d->type == T_INT)
			snprintf(range, sizeof range, ", %ld..%ld", d->lo, d->hi);
		else if (d->type == T_MS)
			snprintf(range, sizeof range, ", 0 or %ld..%ld", d->lo, d->hi);
		value_text(d, o, value, sizeof value);
		snprintf(line, sizeof line, "  %s (%s%s, default %s): %s; now %s", d->name, type_name(d->type), range,
		         d->def[0] ? d->def : "unset", d->desc, value);
		out(line, ctx);
	}
}

void asl_options_in_effect(const struct asl_options *o, char *buf, size_t len)
{
	struct asl_options def;
	char now[ASL_PATH_MAX + 16], was[ASL_PATH_MAX + 16];
	size_t n = 0;
	asl_options_default(&def);
	buf[0] = '\0';
	for (size_t i = 0; i < NOPTS && n < len; i++) {
		const struct opt_desc *d = &table[i];
		value_text(d, o, now, sizeof now);
		value_text(d, &def, was, sizeof was);
		if (strcmp(now, was) != 0)
			n += (size_t)snprintf(buf + n, len - n, "%s%s=%s", n ? ":" : "", d->name, now);
	}
	if (!buf[0])
		snprintf(buf, len, "defaults");
}
