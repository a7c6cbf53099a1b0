#include "asl_options.h"

#include <stdio.h>
#include <string.h>

void asl_options_default(struct asl_options *o)
{
	memset(o, 0, sizeof *o);
	o->on_deadlock = ASL_ON_DEADLOCK_EXIT;
	o->exitcode = 2; /* as Go's runtime does */
	o->leaks = 1;
	o->grace_ms = 500;
	o->report = 1;
	o->lock_order = 1;
	o->fatal_dumps = 1;
	o->shutdown_grace_ms = 5000;
	o->long_wait_ms = 0; /* off: an idle pool worker waits for work untimed, and that is no finding */
	o->interval_keep = 10;
}

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

static int parse_bool(const char *v, size_t len, int *out)
{
	return parse_int(v, len, 0, 1, out);
}

/* 0 (off) or a duration in [lo, hi] ms. */
static int parse_ms_or_off(const char *v, size_t len, int lo, int hi, int *out)
{
	int n;
	if (parse_int(v, len, 0, hi, &n) != 0 || (n != 0 && n < lo))
		return -1;
	*out = n;
	return 0;
}

static int word_is(const char *v, size_t len, const char *w)
{
	return strlen(w) == len && memcmp(v, w, len) == 0;
}

static int parse_on_deadlock(const char *v, size_t len, int *out)
{
	if (word_is(v, len, "exit"))
		*out = ASL_ON_DEADLOCK_EXIT;
	else if (word_is(v, len, "abort"))
		*out = ASL_ON_DEADLOCK_ABORT;
	else if (word_is(v, len, "continue"))
		*out = ASL_ON_DEADLOCK_CONTINUE;
	else
		return -1;
	return 0;
}

static int parse_path(const char *v, size_t len, char *out)
{
	if (len == 0 || len >= ASL_PATH_MAX)
		return -1;
	memcpy(out, v, len);
	out[len] = '\0';
	return 0;
}

static void complain(asl_options_error_fn err, void *ctx, const char *what,
		     const char *k, size_t klen, const char *v, size_t vlen)
{
	char msg[256];
	if (!err)
		return;
	snprintf(msg, sizeof msg, "asleep: ASLEEP_OPTIONS: %s '%.*s%s%.*s' (ignored)", what,
		 (int)(klen > 64 ? 64 : klen), k, v ? "=" : "", v ? (int)(vlen > 64 ? 64 : vlen) : 0,
		 v ? v : "");
	err(msg, ctx);
}

/* One key=value entry; returns 0 when applied. */
static int apply(struct asl_options *o, const char *k, size_t klen, const char *v, size_t vlen,
		 asl_options_error_fn err, void *ctx)
{
	int r;
	if (word_is(k, klen, "dump_dir"))
		r = parse_path(v, vlen, o->dump_dir);
	else if (word_is(k, klen, "on_deadlock"))
		r = parse_on_deadlock(v, vlen, &o->on_deadlock);
	else if (word_is(k, klen, "exitcode"))
		r = parse_int(v, vlen, 0, 255, &o->exitcode);
	else if (word_is(k, klen, "leaks"))
		r = parse_bool(v, vlen, &o->leaks);
	else if (word_is(k, klen, "grace_ms"))
		r = parse_int(v, vlen, 50, 600000, &o->grace_ms);
	else if (word_is(k, klen, "report"))
		r = parse_bool(v, vlen, &o->report);
	else if (word_is(k, klen, "lock_order"))
		r = parse_bool(v, vlen, &o->lock_order);
	else if (word_is(k, klen, "suppressions"))
		r = parse_path(v, vlen, o->suppressions);
	else if (word_is(k, klen, "fatal_dumps"))
		r = parse_bool(v, vlen, &o->fatal_dumps);
	else if (word_is(k, klen, "shutdown_grace_ms"))
		r = parse_int(v, vlen, 50, 3600000, &o->shutdown_grace_ms);
	else if (word_is(k, klen, "long_wait_ms"))
		r = parse_ms_or_off(v, vlen, 1, ASL_MS_MAX, &o->long_wait_ms);
	else if (word_is(k, klen, "interval_ms"))
		r = parse_ms_or_off(v, vlen, 100, ASL_MS_MAX, &o->interval_ms);
	else if (word_is(k, klen, "interval_keep"))
		r = parse_int(v, vlen, 1, 100000, &o->interval_keep);
	else if (word_is(k, klen, "max_threads"))
		r = parse_int(v, vlen, 0, 1000000, &o->max_threads);
	else {
		complain(err, ctx, "unknown key", k, klen, NULL, 0);
		return -1;
	}
	if (r)
		complain(err, ctx, "bad value", k, klen, v, vlen);
	return r;
}

int asl_options_parse(const char *s, struct asl_options *o, asl_options_error_fn err, void *ctx)
{
	int bad = 0;
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
		} else if (apply(o, s, (size_t)(eq - s), eq + 1, len - (size_t)(eq - s) - 1, err, ctx)) {
			bad++;
		}
		s += len;
		if (*s == ':')
			s++;
	}
	return bad;
}
