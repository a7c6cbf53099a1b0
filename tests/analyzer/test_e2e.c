/* SPDX-License-Identifier: MIT */
/* End to end: the built asleep-analyze on fixture files and directories,
 * checking exit status, stdout and the one-line stderr. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <criterion/criterion.h>

#define F(name) FIXTURES_DIR "/" name
#define A(name) FIXTURES_DIR "/analyzer/" name

struct run {
	int status;	/* exit status, or -1 if killed by a signal */
	char *out;
	char *err;
};

static char *slurp(FILE *f)
{
	long n;
	char *buf;

	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)n + 1);
	cr_assert_not_null(buf);
	cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return buf;
}

/* Runs ANALYZER_BIN with the NULL-terminated arguments. */
static struct run run_analyzer(const char *first, ...)
{
	const char *argv[32] = { ANALYZER_BIN };
	FILE *out = tmpfile(), *err = tmpfile();
	struct run r;
	va_list ap;
	int argc = 1, ws;
	pid_t pid;

	va_start(ap, first);
	for (const char *a = first; a; a = va_arg(ap, const char *))
		argv[argc++] = a;
	va_end(ap);
	cr_assert(out && err);
	fflush(NULL);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		dup2(fileno(out), 1);
		dup2(fileno(err), 2);
		execv(ANALYZER_BIN, (char *const *)argv);
		_exit(127);
	}
	cr_assert_eq(waitpid(pid, &ws, 0), pid);
	r.status = WIFEXITED(ws) ? WEXITSTATUS(ws) : -1;
	r.out = slurp(out);
	r.err = slurp(err);
	return r;
}

static void run_free(struct run *r)
{
	free(r->out);
	free(r->err);
}

#define expect_has(text, s) cr_expect_not_null(strstr((text), (s)), \
	"missing \"%s\" in:\n%s", (s), (text))
#define expect_lacks(text, s) cr_expect_null(strstr((text), (s)), \
	"unexpected \"%s\" in:\n%s", (s), (text))

static size_t count(const char *text, const char *s)
{
	size_t n = 0;

	for (const char *p = text; (p = strstr(p, s)); p += strlen(s))
		n++;
	return n;
}

/* Position of s in text, for order checks. */
static long pos(const char *text, const char *s)
{
	const char *p = strstr(text, s);

	cr_assert_not_null(p, "missing \"%s\" in:\n%s", s, text);
	return p - text;
}

Test(e2e, abba_report)
{
	struct run r = run_analyzer("report", F("abba.json"), NULL);

	cr_expect_eq(r.status, 1);
	cr_expect_str_empty(r.err);
	expect_has(r.out, "dump " F("abba.json") ": pid 4100, reason all-asleep, exe /tmp/abba\n");
	expect_has(r.out, "  deadlock: threads 4101 and 4102 wait for each other's mutexes\n");
	expect_has(r.out, "    threads: 4101 \"abba\", 4102 \"abba\"\n");
	expect_has(r.out, "    objects: 0x555555558040, 0x555555558080\n");
	expect_has(r.out, "      tid 4101 waits for mutex 0x555555558040 held by tid 4102\n");
	expect_has(r.out, "      tid 4102 waits for mutex 0x555555558080 held by tid 4101\n");
	expect_has(r.out, "  all-asleep: all 3 threads are asleep - deadlock!\n");
	expect_has(r.out, "    waiting on mutex 0x555555558040, held by tid 4102, for 588ms, untimed\n");
	expect_has(r.out, "    holds mutex 0x555555558080, taken at t1+0x10 (abba+0x1210)\n");
	expect_has(r.out, "      #0 pthread_join+0x14 (libc.so.6+0x11234)\n");
	expect_has(r.out, "    created by tid 4100 at:\n      #0 main+0x40 (abba+0x12e0)\n");
	expect_has(r.out, "summary: 1 dump, 2 findings (1 deadlock, 1 all-asleep)\n");
	/* Findings come before the threads. */
	cr_expect_lt(pos(r.out, "findings (2):"), pos(r.out, "threads (3 in 3 groups"));
	cr_expect_eq(count(r.out, "  1 thread, blocked: tid "), 3);
	run_free(&r);
}

Test(e2e, leak_and_clean)
{
	struct run r = run_analyzer("report", F("leak.json"), NULL);

	cr_expect_eq(r.status, 1);
	cr_expect_str_empty(r.err);
	expect_has(r.out, "  leaked-thread: thread 4201 (reader) still running at exit\n"
			  "    threads: 4201 \"reader\"\n");
	run_free(&r);

	r = run_analyzer("report", F("clean.json"), NULL);
	cr_expect_eq(r.status, 0);
	cr_expect_str_empty(r.err);
	expect_has(r.out, "dump " F("clean.json") ": pid 4300, reason exit\n");
	expect_has(r.out, "findings: none\n");
	expect_has(r.out, "  1 thread, running: tid 4300 \"clean\" (main)\n");
	expect_has(r.out, "summary: 1 dump, no findings\n");
	run_free(&r);
}

Test(e2e, grouping_counts)
{
	struct run r = run_analyzer("report", A("pool.json"), NULL);

	cr_expect_eq(r.status, 0);
	expect_has(r.out, "threads (9 in 4 groups, largest first):\n");
	expect_has(r.out, "  5 threads, blocked, named \"worker\": tids 4401, 4402, 4403, 4404, 4405\n"
			  "    waiting on cond 0x555555558100 with mutex 0x555555558140, "
			  "for 1.2s to 3.4s, 1 of 5 timed\n");
	expect_has(r.out, "  2 threads, blocked: tids 4410 \"io-0\", 4411 \"io-1\"\n"
			  "    waiting on pipe-read (various objects), for 900ms to 1.0s, untimed\n"
			  "    holds locks that differ by thread (--threads shows each)\n");
	cr_expect_lt(pos(r.out, "  5 threads"), pos(r.out, "  2 threads"));
	cr_expect_lt(pos(r.out, "  2 threads"), pos(r.out, "  1 thread, blocked: tid 4400"));
	cr_expect_lt(pos(r.out, "tid 4400"), pos(r.out, "  1 thread, running: tid 4420"));
	/* The workers' stack is printed once, not five times. */
	cr_expect_eq(count(r.out, "worker_loop+0x48"), 1);
	run_free(&r);

	r = run_analyzer("report", "--threads", A("pool.json"), NULL);
	cr_expect_eq(r.status, 0);
	expect_has(r.out, "threads (9):\n");
	cr_expect_eq(count(r.out, "\n  tid "), 9);
	cr_expect_eq(count(r.out, "worker_loop+0x48"), 5);
	expect_has(r.out, "  tid 4410 \"io-0\", blocked\n    waiting on pipe-read fd 5, for 900ms, untimed\n"
			  "    holds mutex 0x55555555a000\n");
	/* Dump order, not group order. */
	cr_expect_lt(pos(r.out, "tid 4402 "), pos(r.out, "tid 4410 "));
	cr_expect_lt(pos(r.out, "tid 4410 "), pos(r.out, "tid 4403 "));
	run_free(&r);
}

Test(e2e, full_dump_details)
{
	struct run r = run_analyzer("report", A("full.json"), NULL);

	cr_expect_eq(r.status, 1);
	expect_has(r.out, "  seq 3, uptime 3m12s, 3 live threads, peak 7, written 2026-11-18 11:06:40 UTC\n");
	expect_has(r.out, "      tid 4501 waits for cond 0x5600000020a0, which needs tid 4502\n");
	expect_has(r.out, "    lock taken at consume+0x10 (server+0x1210)\n");
	expect_has(r.out, "  1 thread, blocked: tid 4501 \"consumer\" (detached)\n"
			  "    waiting on cond 0x5600000020a0 with mutex 0x560000002060, needs tid 4502,"
			  " for 2.1s, untimed\n");
	/* Frames: function, else module+offset, else address. */
	expect_has(r.out, "      #1 server+0x1230\n      #2 0x560000009999\n");
	expect_has(r.out, "    created by tid 4500\n");
	run_free(&r);

	r = run_analyzer("report", A("abandoned.json"), NULL);
	cr_expect_eq(r.status, 1);
	expect_has(r.out, "  abandoned-lock: thread 4701 exited holding mutex 0x555555558040\n");
	expect_has(r.out, "    lock taken at quit_early+0x20 (quitter+0x1220)\n");
	run_free(&r);
}

Test(e2e, several_files_and_a_directory)
{
	struct run r = run_analyzer("report", F("clean.json"), A("dumpdir"), F("abba.json"), NULL);

	cr_expect_eq(r.status, 1);
	cr_expect_str_empty(r.err);
	/* Dumps with findings get a section each, the others one line. */
	cr_expect_eq(count(r.out, "\ndump ") + (strncmp(r.out, "dump ", 5) == 0), 2);
	expect_has(r.out, "no findings in 2 other dumps: " F("clean.json") ", "
			  A("dumpdir/asleep.5000.2.json") "\n");
	/* Arguments in order; inside the directory seq 2 before seq 10. */
	cr_expect_lt(pos(r.out, "dump " A("dumpdir/asleep.5000.10.json")), pos(r.out, "dump " F("abba.json")));
	/* Threads: the latest dump of each of the 3 processes (pid 5000's seq 10). */
	expect_has(r.out, "threads of 3 processes (latest dump of each; 6 threads in 6 groups, "
			  "largest first):\n");
	expect_lacks(r.out, "notes.txt");
	expect_lacks(r.out, ".tmp");
	expect_has(r.out, "summary: 4 dumps, 3 findings (1 leaked-thread, 1 deadlock, 1 all-asleep)\n");
	run_free(&r);
}

Test(e2e, empty_directory)
{
	char dir[] = "/tmp/asleep-e2e-XXXXXX", expect[64], junk[64];
	struct run r;
	int fd;

	cr_assert_not_null(mkdtemp(dir));
	/* Only non-dumps: a temporary file and something else. */
	snprintf(junk, sizeof(junk), "%s/.asleep.1.0.json.tmp", dir);
	fd = open(junk, O_CREAT | O_WRONLY, 0600);
	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, "{", 1), 1);
	close(fd);
	r = run_analyzer("report", dir, NULL);
	cr_expect_eq(r.status, 0);
	cr_expect_str_empty(r.err);
	snprintf(expect, sizeof(expect), "no dumps in %s\n", dir);
	cr_expect_str_eq(r.out, expect);
	run_free(&r);

	r = run_analyzer("gate", dir, NULL);
	cr_expect_eq(r.status, 0);
	cr_expect_str_eq(r.out, expect);
	run_free(&r);
	unlink(junk);
	rmdir(dir);
}

Test(e2e, malformed_input_is_exit_2_with_one_line)
{
	struct run r = run_analyzer("report", F("clean.json"), A("bad-tid.json"), NULL);

	cr_expect_eq(r.status, 2);
	cr_expect_str_empty(r.out, "no partial report on bad input");
	cr_expect_str_eq(r.err, "asleep-analyze: " A("bad-tid.json")
			 ": threads[0].tid: expected an integer, got a string\n");
	run_free(&r);

	r = run_analyzer("report", A("truncated.json"), NULL);
	cr_expect_eq(r.status, 2);
	cr_expect_str_eq(r.err, "asleep-analyze: " A("truncated.json")
			 ":3:0: invalid JSON: ']' expected near end of file\n");
	run_free(&r);

	r = run_analyzer("report", A("schema2.json"), NULL);
	cr_expect_eq(r.status, 2);
	cr_expect_str_eq(r.err, "asleep-analyze: " A("schema2.json")
			 ": written by a newer asleep (asleep-dump/2); this analyzer reads asleep-dump/1\n");
	run_free(&r);

	r = run_analyzer("report", "/nonexistent/asleep.1.0.json", NULL);
	cr_expect_eq(r.status, 2);
	cr_expect_str_eq(r.err, "asleep-analyze: /nonexistent/asleep.1.0.json: No such file or directory\n");
	run_free(&r);

	/* The same through the gate: bad input is never a pass. */
	r = run_analyzer("gate", A("bad-tid.json"), NULL);
	cr_expect_eq(r.status, 2);
	cr_expect_eq(count(r.err, "\n"), 1);
	run_free(&r);
}

Test(e2e, malformed_file_inside_a_directory)
{
	char dir[] = "/tmp/asleep-e2e-XXXXXX", path[64], expect[160];
	struct run r;
	FILE *f;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/asleep.7.0.json", dir);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs("{\"schema\": \"asleep-dump/1\", \"pid\": 7, \"seq\": 0, \"reason\": \"exit\", "
	      "\"threads\": [], \"findings\": [{\"kind\": \"deadlock\"}], \"modules\": []}", f);
	fclose(f);
	r = run_analyzer("report", dir, NULL);
	cr_expect_eq(r.status, 2);
	snprintf(expect, sizeof(expect),
		 "asleep-analyze: %s: findings[0].message: required field is missing\n", path);
	cr_expect_str_eq(r.err, expect);
	run_free(&r);
	unlink(path);
	rmdir(dir);
}

Test(e2e, usage)
{
	struct run r = run_analyzer(NULL);

	cr_expect_eq(r.status, 2);
	expect_has(r.err, "usage: asleep-analyze report [--threads] [--no-symbolize]");
	expect_has(r.err, "       asleep-analyze diff [--no-symbolize] OLD NEW\n");
	cr_expect_str_empty(r.out);
	run_free(&r);

	/* --help and -h: stdout, exit 0 (GNU; help2man reads it) */
	r = run_analyzer("--help", NULL);
	cr_expect_eq(r.status, 0);
	expect_has(r.out, "usage: ");
	expect_has(r.out, "ASLEEP_SRCROOT");
	cr_expect_str_empty(r.err);
	run_free(&r);

	r = run_analyzer("-h", NULL);
	cr_expect_eq(r.status, 0);
	expect_has(r.out, "usage: ");
	run_free(&r);

	r = run_analyzer("gate", "--help", NULL);
	cr_expect_eq(r.status, 0);
	expect_has(r.out, "usage: asleep-analyze gate");
	cr_expect_str_empty(r.err);
	run_free(&r);

	r = run_analyzer("diff", "-h", NULL);
	cr_expect_eq(r.status, 0);
	expect_has(r.out, "usage: asleep-analyze diff");
	run_free(&r);

	r = run_analyzer("--version", NULL);
	cr_expect_eq(r.status, 0);
	cr_expect_eq(strncmp(r.out, "asleep-analyze ", 15), 0, "%s", r.out);
	run_free(&r);

	r = run_analyzer("report", NULL);
	cr_expect_eq(r.status, 2);
	cr_expect_str_eq(r.err, "asleep-analyze: report needs at least one FILE or DIR (see --help)\n");
	run_free(&r);

	r = run_analyzer("frobnicate", F("abba.json"), NULL);
	cr_expect_eq(r.status, 2);
	cr_expect_str_eq(r.err, "asleep-analyze: unknown command \"frobnicate\" "
			 "(expected report, gate or diff; see --help)\n");
	run_free(&r);

	r = run_analyzer("report", "--suppressions", A("ok.supp"), F("abba.json"), NULL);
	cr_expect_eq(r.status, 2);
	cr_expect_str_eq(r.err, "asleep-analyze: report: unknown option \"--suppressions\" (see --help)\n");
	run_free(&r);

	r = run_analyzer("gate", F("abba.json"), "--suppressions", NULL);
	cr_expect_eq(r.status, 2);
	cr_expect_str_eq(r.err, "asleep-analyze: --suppressions needs a FILE\n");
	run_free(&r);

	/* After "--" everything is a path. */
	r = run_analyzer("report", "--", "--threads", NULL);
	cr_expect_eq(r.status, 2);
	cr_expect_str_eq(r.err, "asleep-analyze: --threads: No such file or directory\n");
	run_free(&r);
}

Test(e2e, gate)
{
	struct run r = run_analyzer("gate", F("abba.json"), F("clean.json"), NULL);

	cr_expect_eq(r.status, 1);
	cr_expect_str_empty(r.err);
	expect_has(r.out, "tid 4101 waits for mutex 0x555555558040 held by tid 4102\n");
	expect_lacks(r.out, "clean.json");	/* only failing dumps are shown */
	expect_has(r.out, "gate: FAILED: 2 unsuppressed findings in 1 of 2 dumps (0 suppressed)\n");
	run_free(&r);

	r = run_analyzer("gate", F("clean.json"), NULL);
	cr_expect_eq(r.status, 0);
	cr_expect_str_empty(r.out, "a clean pass is silent");
	cr_expect_str_empty(r.err);
	run_free(&r);

	/* long-wait is reported by report, but does not fail the gate. */
	r = run_analyzer("report", A("longwait.json"), NULL);
	cr_expect_eq(r.status, 1);
	run_free(&r);
	r = run_analyzer("gate", A("longwait.json"), NULL);
	cr_expect_eq(r.status, 0);
	cr_expect_str_empty(r.out);
	run_free(&r);
	r = run_analyzer("gate", A("longwait.json"), F("leak.json"), NULL);
	cr_expect_eq(r.status, 1);
	expect_has(r.out, "leaked-thread: thread 4201");
	expect_lacks(r.out, "long-wait");
	run_free(&r);

	r = run_analyzer("gate", A("abandoned.json"), NULL);
	cr_expect_eq(r.status, 1);
	run_free(&r);
}

Test(e2e, gate_with_suppressions)
{
	struct run r = run_analyzer("gate", "--suppressions", A("ok.supp"), F("abba.json"),
				    F("leak.json"), A("full.json"), F("clean.json"), NULL);

	cr_expect_eq(r.status, 0, "out:\n%s\nerr:\n%s", r.out, r.err);
	cr_expect_str_empty(r.err);
	cr_expect_str_eq(r.out,
			 "suppressions used (" A("ok.supp") "):\n"
			 "  1 x leaked-thread:main (line 3)\n"
			 "  1 x deadlock:consume (line 4)\n"
			 "  2 x *:/tmp/ab* (line 5)\n"
			 "gate: passed: no unsuppressed findings in 4 dumps (4 suppressed)\n");
	run_free(&r);

	/* A suppression that covers only part: the rest still fails, and the
	 * report says which finding was suppressed by what. */
	r = run_analyzer("gate", "--suppressions=" A("partial.supp"), F("abba.json"),
			 A("longwait.json"), NULL);
	cr_expect_eq(r.status, 1);
	expect_has(r.out, "  all-asleep: all 3 threads are asleep - deadlock!\n"
			  "    threads: 4100 \"abba\", 4101 \"abba\", 4102 \"abba\"\n"
			  "    suppressed by all-asleep:pthread_join (" A("partial.supp") ":2)\n");
	expect_has(r.out, "tid 4101 waits for mutex 0x555555558040 held by tid 4102\n");
	expect_lacks(r.out, "longwait.json");
	expect_has(r.out, "suppressions used (" A("partial.supp") "):\n"
			  "  1 x all-asleep:pthread_join (line 2)\n"
			  "gate: FAILED: 1 unsuppressed finding in 1 of 2 dumps (1 suppressed)\n");
	run_free(&r);

	r = run_analyzer("gate", "--suppressions", A("bad-kind.supp"), F("abba.json"), NULL);
	cr_expect_eq(r.status, 2);
	cr_expect_str_empty(r.out);
	cr_expect_str_eq(r.err, "asleep-analyze: " A("bad-kind.supp") ":3: unknown kind \"deadlocks\" "
			 "(expected deadlock, all-asleep, lock-order-inversion, leaked-thread, "
			 "abandoned-lock, long-wait, thread-growth, shutdown-stall or *)\n");
	run_free(&r);

	r = run_analyzer("gate", "--suppressions", "/nonexistent.supp", F("abba.json"), NULL);
	cr_expect_eq(r.status, 2);
	cr_expect_str_eq(r.err, "asleep-analyze: /nonexistent.supp: No such file or directory\n");
	run_free(&r);
}

Test(e2e, hostile_strings_are_escaped)
{
	char dir[] = "/tmp/asleep-e2e-XXXXXX", path[64];
	struct run r;
	FILE *f;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/asleep.8.0.json", dir);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs("{\"schema\": \"asleep-dump/1\", \"pid\": 8, \"seq\": 0, \"reason\": \"exit\", "
	      "\"threads\": [{\"tid\": 8, \"name\": \"a\\nb\\u001b[2J\", \"state\": \"running\"}], "
	      "\"findings\": [], \"modules\": []}", f);
	fclose(f);
	r = run_analyzer("report", path, NULL);
	cr_expect_eq(r.status, 0);
	expect_has(r.out, "tid 8 \"a\\x0ab\\x1b[2J\"\n");
	expect_lacks(r.out, "\x1b");
	run_free(&r);
	unlink(path);
	rmdir(dir);
}

Test(e2e, diff_errors_are_exit_2_with_one_line)
{
	char dir[] = "/tmp/asleep-e2e-XXXXXX", expect[128];
	struct run r = run_analyzer("diff", F("abba.json"), NULL);

	cr_expect_eq(r.status, 2);
	cr_expect_str_empty(r.out);
	cr_expect_str_eq(r.err, "asleep-analyze: diff needs two paths, OLD and NEW, got 1 (see --help)\n");
	run_free(&r);

	r = run_analyzer("diff", F("abba.json"), A("bad-tid.json"), NULL);
	cr_expect_eq(r.status, 2);
	cr_expect_str_empty(r.out, "no partial diff on bad input");
	cr_expect_str_eq(r.err, "asleep-analyze: " A("bad-tid.json")
			 ": threads[0].tid: expected an integer, got a string\n");
	run_free(&r);

	r = run_analyzer("diff", "--threads", F("abba.json"), F("abba.json"), NULL);
	cr_expect_eq(r.status, 2);
	cr_expect_str_eq(r.err, "asleep-analyze: diff: unknown option \"--threads\" (see --help)\n");
	run_free(&r);

	cr_assert_not_null(mkdtemp(dir));
	r = run_analyzer("diff", dir, F("abba.json"), NULL);
	cr_expect_eq(r.status, 2);
	snprintf(expect, sizeof(expect), "asleep-analyze: %s: no dumps in this directory\n", dir);
	cr_expect_str_eq(r.err, expect);
	run_free(&r);
	rmdir(dir);

	/* Same input twice: nothing grew. */
	r = run_analyzer("diff", F("abba.json"), F("abba.json"), NULL);
	cr_expect_eq(r.status, 0);
	expect_has(r.out, "groups: 0 grew, 0 new, 0 shrank, 0 gone, 3 unchanged\n");
	run_free(&r);
}

/* What is not a regular file is refused at once (a FIFO would wait forever
 * for a writer, /dev/zero would never end), and so is a file over the cap. */
Test(e2e, not_a_file_and_too_large_are_refused)
{
	char dir[] = "/tmp/asleep-e2e-XXXXXX", fifo[64];
	struct run r;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(fifo, sizeof(fifo), "%s/asleep.1.0.json", dir);
	cr_assert_eq(mkfifo(fifo, 0600), 0);
	r = run_analyzer("report", fifo, NULL);
	cr_expect_eq(r.status, 2);
	expect_has(r.err, "is not a regular file");
	cr_expect_eq(count(r.err, "\n"), 1);
	run_free(&r);

	r = run_analyzer("report", "/dev/zero", NULL);
	cr_expect_eq(r.status, 2);
	cr_expect_str_eq(r.err, "asleep-analyze: /dev/zero: is not a regular file\n");
	run_free(&r);

	r = run_analyzer("gate", "--suppressions", fifo, F("clean.json"), NULL);
	cr_expect_eq(r.status, 2);
	expect_has(r.err, "is not a regular file");
	run_free(&r);

	r = run_analyzer("report", "--max-input-size", "100", F("abba.json"), NULL);
	cr_expect_eq(r.status, 2);
	expect_has(r.err, "larger than the input cap of 100 bytes (--max-input-size)");
	run_free(&r);

	r = run_analyzer("report", "--max-input-size=64M", F("clean.json"), NULL);
	cr_expect_eq(r.status, 0, "%s", r.err);
	run_free(&r);

	r = run_analyzer("report", "--max-input-size", "-5", F("clean.json"), NULL);
	cr_expect_eq(r.status, 2);
	expect_has(r.err, "is not a size");
	run_free(&r);
	unlink(fifo);
	rmdir(dir);
}
