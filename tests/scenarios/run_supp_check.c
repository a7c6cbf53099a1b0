/* SPDX-License-Identifier: MIT */
/* Suppressions in the shim (ASLEEP_OPTIONS suppressions=FILE) and the
 * asleep.h leak checks, run under the shim and without it.  Each run gets a
 * fresh directory with the suppressions file, dumps/ and the captured
 * stdout/stderr; every dump is validated against docs/dump.schema.json. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define MAX_DUMPS 32
#define RUN_LIMIT_MS 20000

struct run {
	char dir[256], dumps[300];
	int status;     /* exit status, or -1 */
	int sig;        /* terminating signal, or 0 */
	int killed;     /* still running at the deadline (then killed) */
	char *out, *err;
	int ndumps;
	json_t *dump[MAX_DUMPS];
};

static const char *env_or_die(const char *key)
{
	const char *v = getenv(key);
	cr_assert(v && *v, "%s is not set (run through meson test)", key);
	return v;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "re");
	char *buf = NULL;
	size_t len = 0;
	if (!f)
		return strdup("");
	FILE *m = open_memstream(&buf, &len);
	int c;
	while ((c = fgetc(f)) != EOF)
		fputc(c, m);
	fclose(f);
	fclose(m);
	return buf;
}

static int rm_one(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	(void)sb, (void)type, (void)ftw;
	return remove(path);
}

static void validate(struct run *r)
{
	char cmd[2048];
	if (r->ndumps == 0)
		return;
	snprintf(cmd, sizeof cmd, "'%s' '%s' '%s' '%s'/*.json >'%s/validate.txt' 2>&1",
		 env_or_die("ASLEEP_TEST_PYTHON"), env_or_die("ASLEEP_TEST_VALIDATOR"),
		 env_or_die("ASLEEP_TEST_SCHEMA"), r->dumps, r->dir);
	int st = system(cmd);
	char path[400];
	snprintf(path, sizeof path, "%s/validate.txt", r->dir);
	char *why = slurp(path);
	cr_expect_eq(st, 0, "dumps in %s do not validate:\n%s", r->dumps, why);
	free(why);
}

static void load_dumps(struct run *r)
{
	DIR *d = opendir(r->dumps);
	struct dirent *e;
	cr_assert_not_null(d);
	while ((e = readdir(d)) != NULL) {
		char path[600];
		if (e->d_name[0] == '.')
			continue;
		cr_assert(strncmp(e->d_name, "asleep.", 7) == 0, "stray file %s", e->d_name);
		snprintf(path, sizeof path, "%s/%s", r->dumps, e->d_name);
		json_error_t je;
		cr_assert_lt(r->ndumps, MAX_DUMPS);
		r->dump[r->ndumps] = json_load_file(path, 0, &je);
		cr_assert_not_null(r->dump[r->ndumps], "%s: %s", path, je.text);
		r->ndumps++;
	}
	closedir(d);
	validate(r);
}

/* Runs prog (a path) with args, under the shim when shim is set, with
 * ASLEEP_OPTIONS dump_dir plus opts, and a suppressions file holding supp
 * when it is not NULL.  Kills the process group after limit_ms. */
static void run(struct run *r, const char *prog, const char *const *args, int shim, const char *opts,
		const char *supp, int limit_ms)
{
	memset(r, 0, sizeof *r);
	snprintf(r->dir, sizeof r->dir, "%s/asleep-supp-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	cr_assert_not_null(mkdtemp(r->dir));
	snprintf(r->dumps, sizeof r->dumps, "%s/dumps", r->dir);
	cr_assert_eq(mkdir(r->dumps, 0700), 0);

	char options[2048], supp_path[300], out_path[300], err_path[300];
	int n = snprintf(options, sizeof options, "ASLEEP_OPTIONS=dump_dir=%s", r->dumps);
	if (supp) {
		snprintf(supp_path, sizeof supp_path, "%s/test.supp", r->dir);
		FILE *f = fopen(supp_path, "we");
		cr_assert_not_null(f);
		fputs(supp, f);
		fclose(f);
		n += snprintf(options + n, sizeof options - (size_t)n, ":suppressions=%s", supp_path);
	}
	if (opts)
		snprintf(options + n, sizeof options - (size_t)n, ":%s", opts);
	char preload[1200];
	snprintf(preload, sizeof preload, "LD_PRELOAD=%s", env_or_die("ASLEEP_TEST_SHIM"));

	char *env[256];
	int ne = 0;
	for (char **e = environ; *e && ne < 250; e++)
		/* criterion's sandbox variables would make the example a worker */
		if (strncmp(*e, "LD_PRELOAD=", 11) && strncmp(*e, "ASLEEP_OPTIONS=", 15) &&
		    strncmp(*e, "BXFI_", 5) && strncmp(*e, "GMON_OUT_PREFIX=", 16))
			env[ne++] = *e;
	env[ne++] = options;
	if (shim)
		env[ne++] = preload;
	env[ne] = NULL;

	const char *argv[16] = { prog };
	for (int i = 0; args && args[i] && i < 14; i++)
		argv[i + 1] = args[i];
	snprintf(out_path, sizeof out_path, "%s/stdout", r->dir);
	snprintf(err_path, sizeof err_path, "%s/stderr", r->dir);

	pid_t pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		setpgid(0, 0);
		int o = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int e = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int in = open("/dev/null", O_RDONLY);
		if (o < 0 || e < 0 || in < 0)
			_exit(126);
		dup2(in, 0), dup2(o, 1), dup2(e, 2);
		execve(prog, (char *const *)argv, env);
		_exit(127);
	}
	setpgid(pid, pid);
	int st = 0;
	struct timespec tick = { 0, 10 * 1000000L };
	for (int waited = 0;; waited += 10) {
		pid_t w = waitpid(pid, &st, WNOHANG);
		if (w == pid)
			break;
		if (waited >= limit_ms) {
			r->killed = 1;
			kill(-pid, SIGKILL);
			waitpid(pid, &st, 0);
			break;
		}
		nanosleep(&tick, NULL);
	}
	r->status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	r->sig = WIFSIGNALED(st) ? WTERMSIG(st) : 0;
	r->out = slurp(out_path);
	r->err = slurp(err_path);
	load_dumps(r);
}

static void run_done(struct run *r)
{
	for (int i = 0; i < r->ndumps; i++)
		json_decref(r->dump[i]);
	free(r->out);
	free(r->err);
	nftw(r->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static const char *bindir(const char *name)
{
	static __thread char path[1024];
	snprintf(path, sizeof path, "%s/%s", env_or_die("ASLEEP_TEST_BINDIR"), name);
	return path;
}

static int count_kind(const struct run *r, const char *reason, const char *kind)
{
	int n = 0;
	for (int i = 0; i < r->ndumps; i++) {
		if (reason && strcmp(json_string_value(json_object_get(r->dump[i], "reason")), reason))
			continue;
		size_t k;
		json_t *f;
		json_array_foreach(json_object_get(r->dump[i], "findings"), k, f)
			n += !strcmp(json_string_value(json_object_get(f, "kind")), kind);
	}
	return n;
}

static json_t *dump_with_reason(const struct run *r, const char *reason)
{
	for (int i = 0; i < r->ndumps; i++)
		if (!strcmp(json_string_value(json_object_get(r->dump[i], "reason")), reason))
			return r->dump[i];
	return NULL;
}

/* The count suppressions_used gives for "KIND:PATTERN" in d, 0 if absent. */
static long used_count(json_t *d, const char *kind, const char *pattern)
{
	size_t k;
	json_t *u;
	json_array_foreach(json_object_get(d, "suppressions_used"), k, u)
		if (!strcmp(json_string_value(json_object_get(u, "kind")), kind) &&
		    !strcmp(json_string_value(json_object_get(u, "pattern")), pattern))
			return (long)json_integer_value(json_object_get(u, "count"));
	return 0;
}

TestSuite(supp, .timeout = 60);

/* leak_return: thread "stuck" blocked in a cond wait called from leaker(),
 * created by main; main returns 7. */
struct leak_case {
	const char *supp;
	int suppressed;
	const char *rule_kind, *rule_pattern; /* the rule that should be used */
};

static const struct leak_case leak_cases[] = {
	{ "leaked-thread:top:leaker\n", 1, "leaked-thread", "top:leaker" },
	{ "leaked-thread:leaker\n", 1, "leaked-thread", "leaker" },
	{ "# the pool's helpers\nleaked-thread:created:main\n", 1, "leaked-thread", "created:main" },
	{ "leaked-thread:module:leak_return\n", 1, "leaked-thread", "module:leak_return" },
	{ "*:top:leak*\n", 1, "*", "top:leak*" },
	/* what they do not name stays reported */
	{ "leaked-thread:top:main\n", 0, NULL, NULL },      /* main is below the top frame */
	{ "leaked-thread:created:leaker\n", 0, NULL, NULL }, /* leaker is not in the creation stack */
	{ "deadlock:leaker\nall-asleep:*\n", 0, NULL, NULL }, /* other kinds */
	{ "leaked-thread:module:libz.so*\n", 0, NULL, NULL },
	{ "leaked-thread:top::leaker\n", 0, NULL, NULL },   /* the C++ name "top::leaker" */
};

Test(supp, leaked_thread_rules_silence_exactly_what_they_name)
{
	for (size_t i = 0; i < sizeof leak_cases / sizeof leak_cases[0]; i++) {
		const struct leak_case *c = &leak_cases[i];
		struct run r;
		/* report_leaks=1: leaks are printed, so suppressed ones must not be */
		run(&r, bindir("leak_return"), NULL, 1, "report_leaks=1", c->supp, RUN_LIMIT_MS);
		cr_expect_eq(r.status, 7, "%s: status %d", c->supp, r.status);
		json_t *d = dump_with_reason(&r, "exit");
		cr_assert_not_null(d, "%s: no exit dump\n%s", c->supp, r.err);
		cr_expect_eq(count_kind(&r, "exit", "leaked-thread"), c->suppressed ? 0 : 1, "%s\n%s", c->supp,
			     r.err);
		cr_expect(json_is_array(json_object_get(d, "suppressions_used")), "%s", c->supp);
		if (c->suppressed) {
			cr_expect_str_empty(r.err, "%s: a suppressed finding printed:\n%s", c->supp, r.err);
			cr_expect_eq(used_count(d, c->rule_kind, c->rule_pattern), 1, "%s", c->supp);
		} else {
			cr_expect(strstr(r.err, "leaked-thread") != NULL, "%s: not reported:\n%s", c->supp, r.err);
			cr_expect(strstr(r.err, "suppressions used") == NULL, "%s", c->supp);
			cr_expect_eq(json_array_size(json_object_get(d, "suppressions_used")), 0, "%s", c->supp);
		}
		run_done(&r);
	}
}

/* lo_abba_sequential: lo_take_a_then_b, then (another thread)
 * lo_take_b_then_a.  A lock-order rule matches the edges' stacks: `top:` is
 * the function asking for the second lock. */
static const struct leak_case order_cases[] = {
	{ "lock-order-inversion:top:lo_take_b_then_a\n", 1, "lock-order-inversion", "top:lo_take_b_then_a" },
	{ "lock-order-inversion:lo_take_a_then_b\n", 1, "lock-order-inversion", "lo_take_a_then_b" },
	{ "lock-order-inversion:top:main\n", 0, NULL, NULL },
	{ "deadlock:lo_take_*\n", 0, NULL, NULL },
};

Test(supp, lock_order_rules_match_the_edges_stacks)
{
	for (size_t i = 0; i < sizeof order_cases / sizeof order_cases[0]; i++) {
		const struct leak_case *c = &order_cases[i];
		struct run r;
		run(&r, bindir("lo_abba_sequential"), NULL, 1, NULL, c->supp, RUN_LIMIT_MS);
		cr_expect_eq(r.status, 0, "%s: status %d", c->supp, r.status);
		json_t *d = dump_with_reason(&r, "exit");
		cr_assert_not_null(d, "%s: no exit dump\n%s", c->supp, r.err);
		cr_expect_eq(count_kind(&r, "lock-order-inversion", "lock-order-inversion"), c->suppressed ? 0 : 1,
			     "%s\n%s", c->supp, r.err);
		if (c->suppressed) {
			cr_expect_str_empty(r.err, "%s: a suppressed finding printed:\n%s", c->supp, r.err);
			cr_expect_eq(used_count(d, c->rule_kind, c->rule_pattern), 1, "%s", c->supp);
		} else {
			cr_expect(strstr(r.err, "lock-order-inversion") != NULL, "%s: not reported:\n%s", c->supp, r.err);
		}
		run_done(&r);
	}
}

Test(supp, bad_lines_are_named_and_the_rest_applies)
{
	struct run r;
	run(&r, bindir("leak_return"), NULL, 1, NULL, "# ok\nleaked-thread\nbogus:x\nleaked-thread:top:leaker\n",
	    RUN_LIMIT_MS);
	cr_expect_eq(r.status, 7);
	char expect[1024];
	snprintf(expect, sizeof expect,
		 "asleep: suppressions: %s/test.supp:2: expected KIND:PATTERN, found no ':' in \"leaked-thread\" "
		 "(ignored)\n"
		 "asleep: suppressions: %s/test.supp:3: unknown kind \"bogus\" (expected deadlock, all-asleep, "
		 "lock-order-inversion, leaked-thread, abandoned-lock, long-wait, thread-growth, shutdown-stall or "
		 "*) (ignored)\n",
		 r.dir, r.dir);
	cr_expect_str_eq(r.err, expect);
	cr_expect_eq(count_kind(&r, NULL, "leaked-thread"), 0);
	run_done(&r);

	run(&r, bindir("leak_return"), NULL, 1, NULL, NULL, RUN_LIMIT_MS);
	run_done(&r);
	run(&r, bindir("leak_return"), NULL, 1, "suppressions=/nonexistent/x.supp", NULL, RUN_LIMIT_MS);
	cr_expect_eq(r.status, 7);
	cr_expect(strncmp(r.err,
			  "asleep: suppressions: /nonexistent/x.supp: No such file or directory (ignored)\n", 78) == 0,
		  "%s", r.err);
	cr_expect_eq(count_kind(&r, "exit", "leaked-thread"), 1, "an unreadable file suppresses nothing");
	run_done(&r);
}

Test(supp, deadlock_suppressed_all_asleep_still_acts)
{
	struct run r;
	run(&r, bindir("abba"), NULL, 1, "grace_ms=100", "deadlock:top:t1\n", RUN_LIMIT_MS);
	cr_expect_eq(r.status, 2, "all-asleep still exits:\n%s", r.err);
	cr_expect_eq(count_kind(&r, NULL, "deadlock"), 0, "%s", r.err);
	cr_expect_eq(count_kind(&r, "all-asleep", "all-asleep"), 1, "%s", r.err);
	json_t *d = dump_with_reason(&r, "all-asleep");
	cr_assert_not_null(d);
	cr_expect_eq(used_count(d, "deadlock", "top:t1"), 1);
	cr_expect(strstr(r.err, "asleep: suppressions used (") != NULL, "%s", r.err);
	cr_expect(strstr(r.err, "  1 x deadlock:top:t1 (line 1)\n") != NULL, "%s", r.err);
	run_done(&r);
}

Test(supp, suppressed_all_asleep_is_not_acted_on)
{
	struct run r;
	/* abba hangs for good; with its verdict suppressed the shim says
	 * nothing and does not end it: the harness does, after 2 s (the
	 * verdict would come after about grace_ms = 100 ms). */
	run(&r, bindir("abba"), NULL, 1, "grace_ms=100", "all-asleep:created:main\ndeadlock:t2\nlock-order-inversion:*\n", 2000);
	cr_expect(r.killed, "abba ended by itself: status %d sig %d\n%s", r.status, r.sig, r.err);
	cr_expect_str_empty(r.err);
	cr_expect_eq(r.ndumps, 0, "no dump for suppressed findings");
	run_done(&r);
}

Test(supp, leakcheck_program_with_and_without_the_shim)
{
	struct run r;
	run(&r, bindir("leakcheck"), NULL, 1, NULL, NULL, RUN_LIMIT_MS);
	cr_expect_eq(r.status, 0, "%s", r.err);
	int verify = -9, scans = 0, snap = 0;
	cr_assert_eq(sscanf(r.out, "verify=%d scans=%d snap=%d", &verify, &scans, &snap), 3, "%s", r.out);
	cr_expect_eq(verify, 1, "only the leaker is flagged:\n%s", r.err);
	cr_expect_eq(scans, 100, "the leaker stays: every scan is used");
	cr_expect_eq(snap, 1, "the snapshot holds main only");
	cr_expect_eq(count_kind(&r, "check", "leaked-thread"), 1);
	json_t *d = dump_with_reason(&r, "check");
	cr_assert_not_null(d);
	json_t *f = json_array_get(json_object_get(d, "findings"), 0);
	json_int_t tid = json_integer_value(json_array_get(json_object_get(f, "threads"), 0));
	size_t k;
	json_t *t;
	const char *name = NULL;
	json_array_foreach(json_object_get(d, "threads"), k, t)
		if (json_integer_value(json_object_get(t, "tid")) == tid)
			name = json_string_value(json_object_get(t, "name"));
	cr_expect_str_eq(name ? name : "", "leaker");
	cr_expect(strstr(r.err, "is not in the snapshot and still blocked on pipe-read") != NULL, "%s", r.err);
	cr_expect(strstr(r.err, "asleep_verify_none: 1 leaked thread after 100 scans") != NULL, "%s", r.err);
	cr_expect_eq(count_kind(&r, "exit", "leaked-thread"), 0, "every thread was joined by exit");
	run_done(&r);

	run(&r, bindir("leakcheck"), NULL, 1, NULL, "leaked-thread:top:start_leaker\n", RUN_LIMIT_MS);
	cr_expect_eq(r.status, 0);
	cr_expect(strncmp(r.out, "verify=0 ", 9) == 0, "a suppressed leak is not counted: %s", r.out);
	cr_expect_str_empty(r.err);
	run_done(&r);

	run(&r, bindir("leakcheck"), NULL, 0, NULL, NULL, RUN_LIMIT_MS);
	cr_expect_eq(r.status, 0, "%s", r.err);
	cr_expect_str_eq(r.out, "verify=-1 scans=0 snap=0\nasleep: the shim (libasleep.so) is absent: no leak check\n");
	cr_expect_str_empty(r.err);
	cr_expect_eq(r.ndumps, 0);
	run_done(&r);
}

Test(supp, criterion_example_with_and_without_the_shim)
{
	const char *args[] = { "--jobs", "1", NULL };
	struct run r;
	run(&r, env_or_die("ASLEEP_TEST_EXAMPLE"), args, 1, NULL, NULL, RUN_LIMIT_MS);
	cr_expect_eq(r.status, 0, "%s", r.err);
	cr_expect(strstr(r.err, "Synthesis: Tested: 2 | Passing: 2 | Failing: 0 | Crashing: 0") != NULL, "%s",
		  r.err);
	cr_expect(strstr(r.err, "\"leaky-worker\"") != NULL && strstr(r.err, "not in the snapshot") != NULL,
		  "the deliberate leak is reported:\n%s", r.err);
	cr_expect_eq(count_kind(&r, "check", "leaked-thread"), 1, "%s", r.err);
	run_done(&r);

	run(&r, env_or_die("ASLEEP_TEST_EXAMPLE"), args, 0, NULL, NULL, RUN_LIMIT_MS);
	cr_expect_eq(r.status, 0, "%s", r.err);
	cr_expect(strstr(r.err, "the shim (libasleep.so) is absent") != NULL, "%s", r.err);
	cr_expect(strstr(r.err, "Synthesis: Tested: 2 | Passing: 2 | Failing: 0 | Crashing: 0") != NULL, "%s",
		  r.err);
	cr_expect_eq(r.ndumps, 0);
	run_done(&r);
}
