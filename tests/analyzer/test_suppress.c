/* SPDX-License-Identifier: MIT */
/* Suppression file parser (good and bad lines) and matcher. */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include "load.h"
#include "suppress.h"

static char err[LOAD_ERR_MAX];

static int parse(const char *text, struct supp_list *l)
{
	err[0] = '\0';
	return supp_parse("ci.supp", text, strlen(text), l, err, sizeof(err));
}

struct good_case {
	const char *text;
	size_t n;
	const char *kind, *pattern;	/* of the last rule */
	unsigned line;			/* of the last rule */
};

static const struct good_case good[] = {
	{ "", 0, NULL, NULL, 0 },
	{ "\n\n   \n\t\n", 0, NULL, NULL, 0 },
	{ "# only a comment\n   # indented comment\n", 0, NULL, NULL, 0 },
	{ "deadlock:t1", 1, "deadlock", "t1", 1 },
	{ "deadlock:t1\n", 1, "deadlock", "t1", 1 },
	{ "deadlock:t1\r\n", 1, "deadlock", "t1", 1 },
	{ "  leaked-thread :  worker_*  \n", 1, "leaked-thread", "worker_*", 1 },
	{ "# c\n\nall-asleep:main\n*:/usr/bin/*\n", 2, "*", "/usr/bin/*", 4 },
	{ "lock-order-inversion:ns::Cache::get*", 1, "lock-order-inversion", "ns::Cache::get*", 1 },
	{ "abandoned-lock:#notacomment", 1, "abandoned-lock", "#notacomment", 1 },
	{ "long-wait:[a-z]*_poll", 1, "long-wait", "[a-z]*_poll", 1 },
};

Test(suppress, good_files)
{
	struct supp_list l;
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		const struct good_case *c = &good[i];
		cr_assert_eq(parse(c->text, &l), 0, "case %zu: %s", i, err);
		cr_expect_eq(l.n, c->n, "case %zu: %zu rules", i, l.n);
		cr_expect_str_eq(l.file, "ci.supp");
		if (c->n && l.n == c->n) {
			cr_expect_str_eq(l.rules[l.n - 1].kind, c->kind, "case %zu", i);
			cr_expect_str_eq(l.rules[l.n - 1].pattern, c->pattern, "case %zu", i);
			cr_expect_eq(l.rules[l.n - 1].line, c->line, "case %zu", i);
			cr_expect_eq(l.rules[l.n - 1].hits, 0);
		}
		supp_free(&l);
	}
}

struct bad_case {
	const char *text;
	const char *expect;
};

static const struct bad_case bad[] = {
	{ "deadlock", "ci.supp:1: expected KIND:PATTERN, found no ':' in \"deadlock\"" },
	{ "# fine\n\ndeadlock:x\nleaked-thread\n",
	  "ci.supp:4: expected KIND:PATTERN, found no ':' in \"leaked-thread\"" },
	{ ":main", "ci.supp:1: empty kind before ':'" },
	{ "  \t: main", "ci.supp:1: empty kind before ':'" },
	{ "deadlock:", "ci.supp:1: empty pattern after ':'" },
	{ "deadlock:x\ndeadlock:   \r\n", "ci.supp:2: empty pattern after ':'" },
	{ "deadlocks:t1",
	  "ci.supp:1: unknown kind \"deadlocks\" (expected deadlock, all-asleep, "
	  "lock-order-inversion, leaked-thread, abandoned-lock, long-wait, thread-growth, shutdown-stall or *)" },
	{ "DEADLOCK:t1",
	  "ci.supp:1: unknown kind \"DEADLOCK\" (expected deadlock, all-asleep, "
	  "lock-order-inversion, leaked-thread, abandoned-lock, long-wait, thread-growth, shutdown-stall or *)" },
	{ "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\n", "ci.supp:1: expected KIND:PATTERN, found no ':' in \"a\"" },
	{ "deadlock:ok\n\x1b[31m\n", "ci.supp:2: expected KIND:PATTERN, found no ':' in \"?[31m\"" },
};

Test(suppress, bad_lines_name_file_and_line)
{
	struct supp_list l;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_expect_eq(parse(bad[i].text, &l), -1, "case %zu accepted", i);
		cr_expect_str_eq(err, bad[i].expect, "case %zu", i);
		cr_expect_eq(l.n, 0, "a failed parse leaves no rules");
	}
}

Test(suppress, nul_byte_is_an_error)
{
	static const char text[] = "deadlock:x\ndead\0lock:y\n";
	struct supp_list l;

	cr_expect_eq(supp_parse("ci.supp", text, sizeof(text) - 1, &l, err, sizeof(err)), -1);
	cr_expect_str_eq(err, "ci.supp:2: NUL byte in line");
}

Test(suppress, load_file)
{
	char path[PATH_MAX], expect[PATH_MAX + 200];
	struct supp_list l;

	snprintf(path, sizeof(path), "%s/analyzer/ok.supp", FIXTURES_DIR);
	cr_assert_eq(supp_load(path, &l, err, sizeof(err)), 0, "%s", err);
	cr_expect_eq(l.n, 4);
	cr_expect_str_eq(l.file, path);
	cr_expect_str_eq(l.rules[1].kind, "deadlock");
	cr_expect_str_eq(l.rules[1].pattern, "consume");
	cr_expect_eq(l.rules[1].line, 4);
	supp_free(&l);

	snprintf(path, sizeof(path), "%s/analyzer/bad-kind.supp", FIXTURES_DIR);
	cr_expect_eq(supp_load(path, &l, err, sizeof(err)), -1);
	snprintf(expect, sizeof(expect), "%s:3: unknown kind \"deadlocks\"", path);
	cr_expect_eq(strncmp(err, expect, strlen(expect)), 0, "%s", err);

	cr_expect_eq(supp_load("/nonexistent/ci.supp", &l, err, sizeof(err)), -1);
	cr_expect_str_eq(err, "/nonexistent/ci.supp: No such file or directory");
}

static struct dump *fixture(const char *name)
{
	char path[PATH_MAX];
	struct dump *d;

	snprintf(path, sizeof(path), "%s/%s", FIXTURES_DIR, name);
	cr_assert_eq(dump_load_file(path, &d, err, sizeof(err)), 0, "%s", err);
	return d;
}

struct match_case {
	const char *dump;
	size_t finding;
	const char *rule;
	bool match;
};

static const struct match_case matches[] = {
	/* abba: finding 0 is the deadlock of 4101/4102, 1 all-asleep of all three. */
	{ "abba.json", 0, "deadlock:t1", true },		/* 4101's stack, offset stripped */
	{ "abba.json", 0, "deadlock:t1+0x30", true },		/* whole function string */
	{ "abba.json", 0, "deadlock:t1+0x31", false },
	{ "abba.json", 0, "deadlock:t?", true },
	{ "abba.json", 0, "deadlock:main", true },		/* 4101's creation stack */
	{ "abba.json", 0, "deadlock:pthread_join", false },	/* 4100 is not in the cycle */
	{ "abba.json", 1, "all-asleep:pthread_join", true },
	{ "abba.json", 0, "all-asleep:t1", false },		/* kind differs */
	{ "abba.json", 0, "*:t2", true },
	{ "abba.json", 0, "deadlock:/tmp/abba", true },	/* exe path */
	{ "abba.json", 0, "deadlock:/tmp/*", true },
	{ "abba.json", 0, "deadlock:abba", true },		/* exe basename */
	{ "abba.json", 0, "deadlock:/tmp", false },
	{ "abba.json", 0, "deadlock:t1+0x10", false },		/* held-lock sites are not searched */
	{ "abba.json", 0, "deadlock:0x555555555230", false },	/* addresses are not names */
	{ "abba.json", 0, "deadlock:[", false },		/* a broken glob just never matches */
	{ "leak.json", 0, "leaked-thread:main", true },	/* creation stack of 4201 */
	{ "leak.json", 0, "leaked-thread:reader", false },	/* thread names are not frames */
	{ "leak.json", 0, "leaked-thread:*", true },		/* exe matches anything */
	{ "clean.json", 0, NULL, false },
	{ "analyzer/abandoned.json", 0, "abandoned-lock:quit_early", true },	/* the site */
	{ "analyzer/abandoned.json", 0, "abandoned-lock:spawn_quitter", true },
	{ "analyzer/full.json", 0, "deadlock:pthread_cond_wait", true },
	{ "analyzer/full.json", 0, "deadlock:produce", true },
	{ "analyzer/full.json", 0, "deadlock:server+0x1230", false },	/* frames without function */
};

Test(suppress, matcher)
{
	struct supp_list l;
	size_t i;

	for (i = 0; i < sizeof(matches) / sizeof(matches[0]); i++) {
		const struct match_case *c = &matches[i];
		struct dump *d = fixture(c->dump);
		if (!c->rule) {
			cr_expect_eq(d->n_findings, 0);
			dump_free(d);
			continue;
		}
		cr_assert_eq(parse(c->rule, &l), 0, "%s", err);
		cr_assert_lt(c->finding, d->n_findings);
		cr_expect_eq(supp_match(&l, d, &d->findings[c->finding]) != NULL, c->match,
			     "%s finding %zu, rule %s: expected %s", c->dump, c->finding, c->rule,
			     c->match ? "a match" : "no match");
		supp_free(&l);
		dump_free(d);
	}
}

Test(suppress, first_matching_rule_wins_and_null_list_matches_nothing)
{
	struct dump *d = fixture("abba.json");
	struct supp_list l;
	struct supp_rule *r;

	cr_assert_eq(parse("leaked-thread:t1\ndeadlock:t2\n*:t1\n", &l), 0, "%s", err);
	r = supp_match(&l, d, &d->findings[0]);
	cr_assert_not_null(r);
	cr_expect_eq(r->line, 2);
	r = supp_match(&l, d, &d->findings[1]);
	cr_assert_not_null(r);
	cr_expect_eq(r->line, 3);
	cr_expect_null(supp_match(NULL, d, &d->findings[0]));
	supp_free(&l);
	dump_free(d);
}
