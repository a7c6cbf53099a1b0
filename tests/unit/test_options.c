/* SPDX-License-Identifier: MIT */
/* ASLEEP_OPTIONS parsing: every key, every kind of bad entry. */
#include "asl_options.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

struct errors {
	int n;
	char last[256];
};

static void collect(const char *msg, void *ctx)
{
	struct errors *e = ctx;
	e->n++;
	snprintf(e->last, sizeof e->last, "%s", msg);
}

static struct asl_options parse(const char *s, struct errors *e)
{
	struct asl_options o;
	asl_options_default(&o);
	memset(e, 0, sizeof *e);
	int bad = asl_options_parse(s, &o, collect, e);
	cr_assert_eq(bad, e->n, "return value counts the reported entries");
	return o;
}

Test(options, defaults_match_the_contract)
{
	struct errors e;
	struct asl_options o = parse(NULL, &e);
	cr_assert_eq(o.on_deadlock, ASL_ON_DEADLOCK_EXIT);
	cr_assert_eq(o.exitcode, 2);
	cr_assert_eq(o.leaks, 1);
	cr_assert_str_empty(o.dump_dir);
	cr_assert_eq(e.n, 0);
}

Test(options, every_key_is_applied)
{
	struct errors e;
	struct asl_options o = parse("dump_dir=/tmp/x y:on_deadlock=continue:exitcode=77:leaks=0:grace_ms=250:report=0", &e);
	cr_assert_eq(e.n, 0, "unexpected error: %s", e.last);
	cr_assert_str_eq(o.dump_dir, "/tmp/x y");
	cr_assert_eq(o.on_deadlock, ASL_ON_DEADLOCK_CONTINUE);
	cr_assert_eq(o.exitcode, 77);
	cr_assert_eq(o.leaks, 0);
	cr_assert_eq(o.grace_ms, 250);
	cr_assert_eq(o.report, 0);
	o = parse("on_deadlock=abort", &e);
	cr_assert_eq(o.on_deadlock, ASL_ON_DEADLOCK_ABORT);
	cr_assert_eq(o.lock_order, 1, "the lock-order check is on by default");
	o = parse("lock_order=0", &e);
	cr_assert_eq(o.lock_order, 0);
}

struct bad_case {
	const char *input;
	const char *must_name; /* the error line must contain this */
};

Test(options, bad_entries_are_named_and_keep_defaults)
{
	static const struct bad_case cases[] = {
		{ "no_such_key=1", "no_such_key" },
		{ "exitcode=256", "exitcode=256" },
		{ "exitcode=-1", "exitcode=-1" },
		{ "exitcode=", "exitcode=" },
		{ "exitcode=1x", "exitcode=1x" },
		{ "exitcode=99999999999", "exitcode" },
		{ "leaks=2", "leaks=2" },
		{ "lock_order=on", "lock_order=on" },
		{ "leaks=yes", "leaks=yes" },
		{ "on_deadlock=panic", "on_deadlock=panic" },
		{ "on_deadlock=", "on_deadlock" },
		{ "dump_dir=", "dump_dir" },
		{ "grace_ms=1", "grace_ms=1" },
		{ "justakey", "justakey" },
		{ "=5", "'=5'" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct errors e;
		struct asl_options o = parse(cases[i].input, &e);
		cr_assert_eq(e.n, 1, "%s: %d errors", cases[i].input, e.n);
		cr_assert(strstr(e.last, cases[i].must_name), "%s: message '%s'", cases[i].input, e.last);
		cr_assert(strstr(e.last, "ASLEEP_OPTIONS"), "message names the variable: %s", e.last);
		cr_assert_eq(o.exitcode, 2);
		cr_assert_eq(o.leaks, 1);
		cr_assert_eq(o.on_deadlock, ASL_ON_DEADLOCK_EXIT);
	}
}

Test(options, good_entries_survive_bad_neighbours)
{
	struct errors e;
	struct asl_options o = parse("exitcode=9:bogus=1::leaks=0:exitcode=x", &e);
	cr_assert_eq(e.n, 2);
	cr_assert_eq(o.exitcode, 9, "a bad later value keeps the earlier good one");
	cr_assert_eq(o.leaks, 0);
}

Test(options, long_values_do_not_overflow)
{
	char big[5000];
	struct errors e;
	memset(big, 'a', sizeof big);
	memcpy(big, "dump_dir=", 9);
	big[sizeof big - 1] = '\0';
	struct asl_options o = parse(big, &e);
	cr_assert_eq(e.n, 1);
	cr_assert_str_empty(o.dump_dir);
	cr_assert_lt(strlen(e.last), 256u);
}

Test(options, suppressions_file)
{
	struct errors e;
	struct asl_options o = parse(NULL, &e);
	cr_assert_str_empty(o.suppressions, "no suppressions by default");
	static const struct {
		const char *input;
		int nerr;
		const char *path;
	} cases[] = {
		{ "suppressions=/etc/asleep.supp", 0, "/etc/asleep.supp" },
		{ "leaks=0:suppressions=rel/ci.supp:report=0", 0, "rel/ci.supp" },
		{ "suppressions=", 1, "" },
		{ "suppressions=/a.supp:suppressions=", 1, "/a.supp" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		o = parse(cases[i].input, &e);
		cr_assert_eq(e.n, cases[i].nerr, "%s: %s", cases[i].input, e.last);
		cr_assert_str_eq(o.suppressions, cases[i].path, "%s", cases[i].input);
		if (cases[i].nerr)
			cr_assert(strstr(e.last, "'suppressions='"), "%s", e.last);
	}
}

Test(options, long_wait_interval_and_thread_limits)
{
	struct errors e;
	struct asl_options o = parse(NULL, &e);
	cr_assert_eq(o.long_wait_ms, 0, "long-wait is off by default (idle workers wait untimed)");
	cr_assert_eq(o.interval_ms, 0, "periodic dumps are off by default");
	cr_assert_eq(o.interval_keep, 10);
	cr_assert_eq(o.max_threads, 0, "no thread limit by default");
	o = parse("long_wait_ms=250:interval_ms=100:interval_keep=3:max_threads=64", &e);
	cr_assert_eq(e.n, 0, "unexpected error: %s", e.last);
	cr_assert_eq(o.long_wait_ms, 250);
	cr_assert_eq(o.interval_ms, 100);
	cr_assert_eq(o.interval_keep, 3);
	cr_assert_eq(o.max_threads, 64);
	o = parse("long_wait_ms=0:interval_ms=0:max_threads=0", &e);
	cr_assert_eq(e.n, 0, "0 turns each off: %s", e.last);
	cr_assert_eq(o.long_wait_ms, 0);
	static const struct bad_case bad[] = {
		{ "long_wait_ms=-5", "long_wait_ms=-5" },
		{ "long_wait_ms=86400001", "long_wait_ms=86400001" },
		{ "long_wait_ms=ten", "long_wait_ms=ten" },
		{ "interval_ms=50", "interval_ms=50" }, /* finer than the monitor's tick */
		{ "interval_ms=", "interval_ms=" },
		{ "interval_keep=0", "interval_keep=0" },
		{ "interval_keep=100001", "interval_keep=100001" },
		{ "max_threads=1000001", "max_threads=1000001" },
		{ "max_threads=many", "max_threads=many" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		o = parse(bad[i].input, &e);
		cr_assert_eq(e.n, 1, "%s", bad[i].input);
		cr_assert(strstr(e.last, bad[i].must_name), "%s: %s", bad[i].input, e.last);
		cr_assert_eq(o.long_wait_ms, 0, "%s keeps the defaults", bad[i].input);
		cr_assert_eq(o.interval_ms, 0);
		cr_assert_eq(o.interval_keep, 10);
		cr_assert_eq(o.max_threads, 0);
	}
}

Test(options, postmortem_keys)
{
	struct errors e;
	struct asl_options o = parse(NULL, &e);
	cr_assert_eq(o.fatal_dumps, 1, "dumps on fatal signals are on by default");
	cr_assert_eq(o.shutdown_grace_ms, 0, "no shutdown-stall check unless asked (a handled SIGTERM may mean anything)");
	o = parse("fatal_dumps=0:shutdown_grace_ms=50", &e);
	cr_assert_eq(e.n, 0, "unexpected error: %s", e.last);
	cr_assert_eq(o.fatal_dumps, 0);
	cr_assert_eq(o.shutdown_grace_ms, 50);
	o = parse("shutdown_grace_ms=3600000", &e);
	cr_assert_eq(e.n, 0, "an hour is allowed: %s", e.last);
	cr_assert_eq(o.shutdown_grace_ms, 3600000);
	static const struct bad_case bad[] = {
		{ "fatal_dumps=2", "fatal_dumps=2" },
		{ "fatal_dumps=", "fatal_dumps=" },
		{ "fatal_dumps=off", "fatal_dumps=off" },
		{ "shutdown_grace_ms=49", "shutdown_grace_ms=49" }, /* finer than the monitor can tell */
		{ "shutdown_grace_ms=1", "shutdown_grace_ms=1" },
		{ "shutdown_grace_ms=3600001", "shutdown_grace_ms=3600001" },
		{ "shutdown_grace_ms=5s", "shutdown_grace_ms=5s" },
		{ "shutdown_grace_ms=-1", "shutdown_grace_ms=-1" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		o = parse(bad[i].input, &e);
		cr_assert_eq(e.n, 1, "%s", bad[i].input);
		cr_assert(strstr(e.last, bad[i].must_name), "%s: %s", bad[i].input, e.last);
		cr_assert_eq(o.fatal_dumps, 1, "%s keeps the defaults", bad[i].input);
		cr_assert_eq(o.shutdown_grace_ms, 0, "%s keeps the defaults", bad[i].input);
	}
}

/* In a setuid process the caller's environment may not name files for the
 * shim to read or write: those options are refused with one line, the rest
 * apply. */
Test(options, secure_execution_refuses_paths)
{
	struct errors e;
	struct asl_options o;
	asl_options_default(&o);
	o.secure = 1;
	memset(&e, 0, sizeof e);
	int bad = asl_options_parse("dump_dir=/etc:suppressions=/etc/shadow:log_path=/tmp/x:exitcode=9", &o, collect, &e);
	cr_assert_eq(bad, 3, "each path option counts as refused");
	cr_assert_eq(e.n, 1, "one line says so, whatever the number of refused options");
	cr_assert(strstr(e.last, "secure-execution"), "%s", e.last);
	cr_assert_str_empty(o.dump_dir);
	cr_assert_str_empty(o.suppressions);
	cr_assert_str_empty(o.log_path);
	cr_assert_eq(o.exitcode, 9, "other options still apply");
}

/* Bytes that would make an error line unprintable are escaped. */
Test(options, control_bytes_in_errors_are_escaped)
{
	struct errors e;
	parse("exitcode=\x1b[31m\n:no\tkey=1", &e);
	cr_assert_eq(e.n, 2);
	cr_assert(strstr(e.last, "no\\x09key"), "%s", e.last);
	for (const char *p = e.last; *p; p++)
		cr_assert((unsigned char)*p >= 0x20 && (unsigned char)*p < 0x7f, "raw byte 0x%02x in: %s", *p, e.last);
}

static void count_line(const char *line, void *ctx)
{
	int *n = ctx;
	(*n)++;
	cr_assert(strchr(line, '\n') == NULL, "one line per call: %s", line);
}

/* help=1 lists every option: one header line and one line per option. */
Test(options, help_lists_every_option)
{
	struct errors e;
	struct asl_options o = parse(NULL, &e);
	int n = 0;
	asl_options_help(&o, count_line, &n);
	int rows = 0;
#define COUNT_ROW(name, type, def, lo, hi, desc) rows++;
	ASL_OPTION_TABLE(COUNT_ROW)
#undef COUNT_ROW
	cr_assert_eq(n, rows + 1);
	cr_assert_geq(rows, 18);
}
