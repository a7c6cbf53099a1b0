/* SPDX-License-Identifier: MIT */
/* The shared suppressions parser and matcher (common/asl_supp.c): tables of
 * good and bad lines, scopes, and garbage that must never crash it. */
#include "asl_supp.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct errs {
	int n;
	char first[512];
	char all[4096];
};

static void collect(const char *msg, void *ctx)
{
	struct errs *e = ctx;
	if (e->n++ == 0)
		snprintf(e->first, sizeof e->first, "%s", msg);
	size_t used = strlen(e->all);
	snprintf(e->all + used, sizeof e->all - used, "%s\n", msg);
}

static int parse(const char *text, struct asl_supp_list *l, struct errs *e)
{
	memset(e, 0, sizeof *e);
	return asl_supp_parse("my.supp", text, strlen(text), l, collect, e);
}

struct good_case {
	const char *text;
	size_t n;
	const char *kind, *pattern, *glob; /* of the last rule */
	int scope;
	unsigned line;
};

static const struct good_case good[] = {
	{ "", 0, NULL, NULL, NULL, 0, 0 },
	{ "# comment\n  # another\n\n", 0, NULL, NULL, NULL, 0, 0 },
	{ "deadlock:worker", 1, "deadlock", "worker", "worker", ASL_SUPP_ANY, 1 },
	{ "leaked-thread:top:io_loop*\r\n", 1, "leaked-thread", "top:io_loop*", "io_loop*", ASL_SUPP_TOP, 1 },
	{ "\n\nleaked-thread : created: start_pool ", 1, "leaked-thread", "created: start_pool", "start_pool",
	  ASL_SUPP_CREATED, 3 },
	{ "*:module:libfoo.so*", 1, "*", "module:libfoo.so*", "libfoo.so*", ASL_SUPP_MODULE, 1 },
	{ "all-asleep:any:main", 1, "all-asleep", "any:main", "main", ASL_SUPP_ANY, 1 },
	/* A scope word followed by '::' is a C++ name, matched against any frame. */
	{ "deadlock:top::Cache::get", 1, "deadlock", "top::Cache::get", "top::Cache::get", ASL_SUPP_ANY, 1 },
	/* Unknown words before a ':' are part of the pattern, as before scopes. */
	{ "deadlock:ns::f:x", 1, "deadlock", "ns::f:x", "ns::f:x", ASL_SUPP_ANY, 1 },
	{ "thread-growth:pool_*\nshutdown-stall:created:x", 2, "shutdown-stall", "created:x", "x",
	  ASL_SUPP_CREATED, 2 },
	{ "long-wait:#hash", 1, "long-wait", "#hash", "#hash", ASL_SUPP_ANY, 1 },
};

Test(supp, good_lines)
{
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		const struct good_case *c = &good[i];
		struct asl_supp_list l;
		struct errs e;
		cr_assert_eq(parse(c->text, &l, &e), 0, "case %zu: %s", i, e.first);
		cr_expect_eq(e.n, 0);
		cr_expect_eq(l.n, c->n, "case %zu: %zu rules", i, l.n);
		cr_expect_str_eq(l.file, "my.supp");
		if (c->n && l.n == c->n) {
			const struct asl_supp_rule *r = &l.rules[l.n - 1];
			cr_expect_str_eq(r->kind, c->kind, "case %zu", i);
			cr_expect_str_eq(r->pattern, c->pattern, "case %zu", i);
			cr_expect_str_eq(r->glob, c->glob, "case %zu", i);
			cr_expect_eq(r->scope, c->scope, "case %zu", i);
			cr_expect_eq(r->line, c->line, "case %zu", i);
			cr_expect_eq(r->hits, 0);
		}
		asl_supp_free(&l);
	}
}

struct bad_case {
	const char *text;
	int nbad;
	size_t nkept;
	const char *first;
};

static const struct bad_case bad[] = {
	{ "deadlock", 1, 0, "my.supp:1: expected KIND:PATTERN, found no ':' in \"deadlock\"" },
	{ "deadlock:a\n:x\ndeadlock:b", 1, 2, "my.supp:2: empty kind before ':'" },
	{ "leaked-thread:   ", 1, 0, "my.supp:1: empty pattern after ':'" },
	{ "leaked-thread:top:", 1, 0, "my.supp:1: empty pattern after 'top:'" },
	{ "leaked-thread:created:  \t", 1, 0, "my.supp:1: empty pattern after 'created:'" },
	{ "# ok\n\nleak:x\ndeadlock:y\n", 1, 1,
	  "my.supp:3: unknown kind \"leak\" (expected deadlock, all-asleep, lock-order-inversion, "
	  "leaked-thread, abandoned-lock, long-wait, thread-growth, shutdown-stall or *)" },
	{ "a\nb:c\nc\n", 3, 0, "my.supp:1: expected KIND:PATTERN, found no ':' in \"a\"" },
	{ "\x1b[2J\n", 1, 0, "my.supp:1: expected KIND:PATTERN, found no ':' in \"?[2J\"" },
};

Test(supp, bad_lines_are_skipped_and_named)
{
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct asl_supp_list l;
		struct errs e;
		cr_expect_eq(parse(bad[i].text, &l, &e), bad[i].nbad, "case %zu", i);
		cr_expect_eq(e.n, bad[i].nbad, "case %zu: %s", i, e.all);
		cr_expect_str_eq(e.first, bad[i].first, "case %zu", i);
		cr_expect_eq(l.n, bad[i].nkept, "case %zu", i);
		asl_supp_free(&l);
	}
}

Test(supp, nul_byte_and_missing_file)
{
	static const char text[] = "deadlock:x\nlea\0ked-thread:y\n";
	struct asl_supp_list l;
	struct errs e = { 0 };
	cr_expect_eq(asl_supp_parse("my.supp", text, sizeof text - 1, &l, collect, &e), 1);
	cr_expect_str_eq(e.first, "my.supp:2: NUL byte in line");
	cr_expect_eq(l.n, 1);
	asl_supp_free(&l);

	memset(&e, 0, sizeof e);
	cr_expect_eq(asl_supp_load("/nonexistent/x.supp", &l, collect, &e), -1);
	cr_expect_str_eq(e.first, "/nonexistent/x.supp: No such file or directory");
	cr_expect_eq(l.n, 0);
}

Test(supp, load_reads_a_file)
{
	char path[] = "/tmp/asleep-supp-XXXXXX";
	int fd = mkstemp(path);
	const char *text = "# helper threads\nleaked-thread:created:start_helpers\nbogus\n";
	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	struct asl_supp_list l;
	struct errs e = { 0 };
	cr_expect_eq(asl_supp_load(path, &l, collect, &e), 1);
	char expect[128];
	snprintf(expect, sizeof expect, "%s:3: expected KIND:PATTERN, found no ':' in \"bogus\"", path);
	cr_expect_str_eq(e.first, expect);
	cr_expect_eq(l.n, 1);
	cr_expect_eq(l.rules[0].scope, ASL_SUPP_CREATED);
	asl_supp_free(&l);
	unlink(path);
}

/* One leaked thread blocked in io_wait (called from io_loop), made by
 * start_pool from main, in libpool.so; and a thread of the program. */
static const struct asl_supp_frame pool_stack[] = {
	{ "io_wait+0x1c", "/usr/lib/libpool.so.1" },
	{ "io_loop+0x40", "/usr/lib/libpool.so.1" },
	{ NULL, "/lib/libc.so.6" },
};
static const struct asl_supp_frame pool_created[] = {
	{ "start_pool+0x10", "/usr/lib/libpool.so.1" },
	{ "main+0x22", "/opt/app/server" },
};
static const struct asl_supp_thread pool_thread[] = {
	{ pool_stack, 3, pool_created, 2, "pool-worker" },
};
static const struct asl_supp_frame site = { "quit_early+0x8", "/opt/app/server" };

struct match_case {
	const char *rule;
	const char *kind;       /* the finding's */
	bool with_site;
	bool match;
};

static const struct match_case matches[] = {
	{ "leaked-thread:io_wait", "leaked-thread", false, true },
	{ "leaked-thread:io_wait+0x1c", "leaked-thread", false, true },
	{ "leaked-thread:io_wait+0x1d", "leaked-thread", false, false },
	{ "leaked-thread:io_loop", "leaked-thread", false, true },        /* any frame */
	{ "leaked-thread:start_pool", "leaked-thread", false, true },     /* creation stack too */
	{ "leaked-thread:server", "leaked-thread", false, true },         /* the exe's basename */
	{ "deadlock:io_wait", "leaked-thread", false, false },            /* another kind */
	{ "*:io_wait", "leaked-thread", false, true },
	{ "leaked-thread:top:io_wait", "leaked-thread", false, true },
	{ "leaked-thread:top:io_loop", "leaked-thread", false, false },   /* not the top frame */
	{ "leaked-thread:top:start_pool", "leaked-thread", false, false },
	{ "leaked-thread:top:server", "leaked-thread", false, false },    /* top: is no exe match */
	{ "leaked-thread:created:start_pool", "leaked-thread", false, true },
	{ "leaked-thread:created:main", "leaked-thread", false, true },
	{ "leaked-thread:created:io_wait", "leaked-thread", false, false },
	{ "leaked-thread:module:libpool.so*", "leaked-thread", false, true },
	{ "leaked-thread:module:/usr/lib/*", "leaked-thread", false, true },
	{ "leaked-thread:module:libc.so.6", "leaked-thread", false, true }, /* frames without names too */
	{ "leaked-thread:module:libz.so*", "leaked-thread", false, false },
	{ "leaked-thread:module:io_wait", "leaked-thread", false, false },  /* functions are not modules */
	{ "leaked-thread:libpool.so*", "leaked-thread", false, false },     /* nor modules functions */
	{ "abandoned-lock:quit_early", "abandoned-lock", true, true },      /* the site */
	{ "abandoned-lock:top:quit_early", "abandoned-lock", true, false },
	{ "leaked-thread:[", "leaked-thread", false, false },               /* a broken glob */
	{ "leaked-thread:name:pool-*", "leaked-thread", false, true },      /* the thread's name */
	{ "leaked-thread:name:pool-worker", "leaked-thread", false, true },
	{ "leaked-thread:name:pool", "leaked-thread", false, false },
	{ "leaked-thread:name:io_wait", "leaked-thread", false, false },    /* names are not frames */
	{ "leaked-thread:pool-worker", "leaked-thread", false, false },     /* nor frames names */
};

Test(supp, matcher_scopes)
{
	for (size_t i = 0; i < sizeof matches / sizeof matches[0]; i++) {
		const struct match_case *c = &matches[i];
		struct asl_supp_list l;
		struct errs e;
		cr_assert_eq(parse(c->rule, &l, &e), 0, "%s: %s", c->rule, e.first);
		struct asl_supp_subject s = { c->kind, "/opt/app/server", c->with_site ? &site : NULL,
					      pool_thread, 1 };
		cr_expect_eq(asl_supp_match(&l, &s) == 0, c->match, "rule %s: expected %s", c->rule,
			     c->match ? "a match" : "no match");
		asl_supp_free(&l);
	}
}

Test(supp, first_rule_wins_and_nothing_matches_nothing)
{
	struct asl_supp_list l;
	struct errs e;
	cr_assert_eq(parse("deadlock:io_wait\nleaked-thread:top:io_wait\n*:io_wait\n", &l, &e), 0);
	struct asl_supp_subject s = { "leaked-thread", NULL, NULL, pool_thread, 1 };
	cr_expect_eq(asl_supp_match(&l, &s), 1);
	s.kind = "all-asleep";
	cr_expect_eq(asl_supp_match(&l, &s), 2);
	s.nthreads = 0;
	cr_expect_eq(asl_supp_match(&l, &s), -1);
	cr_expect_eq(asl_supp_match(NULL, &s), -1);
	asl_supp_free(&l);
}

/* Garbage never crashes the parser, and every complaint names the file and
 * a line that exists. */
static void check_garbage(const char *text, size_t len)
{
	struct asl_supp_list l;
	struct errs e = { 0 };
	unsigned lines = 1;
	for (size_t i = 0; i < len; i++)
		lines += text[i] == '\n';
	int r = asl_supp_parse("fuzz.supp", text, len, &l, collect, &e);
	cr_assert_geq(r, 0);
	cr_assert_eq(r, e.n);
	for (char *p = e.all, *nl; *p; p = nl + 1) {
		unsigned line = 0;
		nl = strchr(p, '\n');
		cr_assert_not_null(nl);
		cr_assert_eq(sscanf(p, "fuzz.supp:%u: ", &line), 1, "%.*s", (int)(nl - p), p);
		cr_assert(line >= 1 && line <= lines, "line %u of %u", line, lines);
		for (char *q = p; q < nl; q++)
			cr_assert((unsigned char)*q >= 0x20 && *q != 0x7f, "control byte in a message");
	}
	for (size_t i = 0; i < l.n; i++) {
		cr_assert(asl_supp_known_kind(l.rules[i].kind));
		cr_assert(l.rules[i].glob[0] != '\0');
		struct asl_supp_subject s = { l.rules[i].kind, text, &site, pool_thread, 1 };
		(void)asl_supp_match(&l, &s);
	}
	asl_supp_free(&l);
}

Test(supp, garbage_never_crashes)
{
	static const char *const pieces[] = { "deadlock", "leaked-thread", "*", ":", "::", "top:", "created:",
					      "module:", "any:", "#", " ", "\t", "\r", "\n", "\0", "[", "]",
					      "*?", "\\", "+0x1f", "\xff", "\x1b", "worker" };
	char buf[512];
	srand(7);
	for (int round = 0; round < 20000; round++) {
		size_t len = 0;
		int npieces = rand() % 24;
		for (int k = 0; k < npieces; k++) {
			if (rand() % 4 == 0) {
				buf[len++] = (char)(rand() % 256);
				continue;
			}
			const char *p = pieces[rand() % (int)(sizeof pieces / sizeof pieces[0])];
			size_t n = p[0] ? strlen(p) : 1;
			memcpy(buf + len, p, n);
			len += n;
		}
		check_garbage(buf, len);
	}
}
