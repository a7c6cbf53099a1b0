/* SPDX-License-Identifier: MIT */
/* Golden outputs: the whole stdout of asleep-analyze on fixed fixture
 * dumps, compared byte for byte with tests/fixtures/analyzer/golden/.
 * Runs in the fixtures directory with relative paths (the report names
 * its files) and --no-symbolize (fixture modules are not on disk).
 * ASLEEP_UPDATE_GOLDEN=1 rewrites the golden files instead; review the
 * git diff after. */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <criterion/criterion.h>

#define GOLDEN_DIR FIXTURES_DIR "/analyzer/golden/"

static char *slurp(FILE *f, size_t *len)
{
	long n;
	char *buf;

	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)n + 1);
	cr_assert_not_null(buf);
	cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	*len = (size_t)n;
	return buf;
}

/* Runs the analyzer in FIXTURES_DIR with the NULL-terminated arguments,
 * checks its status and stderr, and compares stdout with golden/NAME. */
static void golden(const char *name, int want_status, ...)
{
	const char *argv[32] = { ANALYZER_BIN };
	FILE *out = tmpfile(), *err = tmpfile(), *g;
	char path[512], *got, *errs, *want;
	size_t got_len, err_len, want_len;
	int argc = 1, ws;
	va_list ap;
	pid_t pid;

	va_start(ap, want_status);
	for (const char *a = va_arg(ap, const char *); a; a = va_arg(ap, const char *))
		argv[argc++] = a;
	va_end(ap);
	cr_assert(out && err);
	fflush(NULL);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		dup2(fileno(out), 1);
		dup2(fileno(err), 2);
		if (chdir(FIXTURES_DIR) == 0)
			execv(ANALYZER_BIN, (char *const *)argv);
		_exit(127);
	}
	cr_assert_eq(waitpid(pid, &ws, 0), pid);
	got = slurp(out, &got_len);
	errs = slurp(err, &err_len);
	fclose(out);
	fclose(err);
	cr_expect(WIFEXITED(ws) && WEXITSTATUS(ws) == want_status, "%s: status %d, want %d\n%s",
		  name, WIFEXITED(ws) ? WEXITSTATUS(ws) : -1, want_status, errs);
	cr_expect_str_empty(errs, "%s: stderr: %s", name, errs);

	snprintf(path, sizeof(path), "%s%s", GOLDEN_DIR, name);
	if (getenv("ASLEEP_UPDATE_GOLDEN")) {
		g = fopen(path, "w");
		cr_assert_not_null(g, "%s", path);
		fwrite(got, 1, got_len, g);
		fclose(g);
	} else {
		g = fopen(path, "r");
		cr_assert_not_null(g, "%s missing (ASLEEP_UPDATE_GOLDEN=1 writes it)", path);
		want = slurp(g, &want_len);
		fclose(g);
		cr_expect(got_len == want_len && memcmp(got, want, got_len) == 0,
			  "%s differs from the output:\n%s", path, got);
		free(want);
	}
	free(got);
	free(errs);
}

Test(golden, deadlock_report)
{
	golden("abba.txt", 1, "report", "--no-symbolize", "abba.json", NULL);
}

Test(golden, pool_grouped_and_per_thread)
{
	golden("pool.txt", 0, "report", "--no-symbolize", "analyzer/pool.json", NULL);
	golden("pool-threads.txt", 0, "report", "--no-symbolize", "--threads",
	       "analyzer/pool.json", NULL);
}

/* lockdep style: each edge with its thread and both stacks. */
Test(golden, lock_order_inversion)
{
	golden("lockorder.txt", 1, "report", "--no-symbolize", "analyzer/lockorder.json", NULL);
}

/* Forked children: findings per dump, threads grouped across processes,
 * pid 8000 counted once (its seq 1 dump, not seq 0). */
Test(golden, several_processes)
{
	golden("procs.txt", 1, "report", "--no-symbolize", "analyzer/procs", NULL);
	golden("procs-threads.txt", 1, "report", "--no-symbolize", "--threads", "analyzer/procs",
	       NULL);
}

Test(golden, full_dump_and_gate)
{
	golden("full.txt", 1, "report", "--no-symbolize", "analyzer/full.json", NULL);
	golden("gate-partial.txt", 1, "gate", "--no-symbolize", "--suppressions",
	       "analyzer/partial.supp", "abba.json", "analyzer/longwait.json", NULL);
}

/* A server's leak between two interval dumps: exit 1 (a group grew). */
Test(golden, diff_growth)
{
	golden("diff-grew.txt", 1, "diff", "--no-symbolize", "analyzer/server-old.json",
	       "analyzer/server-new.json", NULL);
}

/* Only shrinking groups, or nothing changed: exit 0. */
Test(golden, diff_shrink_and_same)
{
	golden("diff-shrank.txt", 0, "diff", "--no-symbolize", "analyzer/server-old.json",
	       "analyzer/server-quiet.json", NULL);
	golden("diff-same.txt", 0, "diff", "--no-symbolize", "analyzer/server-new.json",
	       "analyzer/server-new.json", NULL);
}

/* Directories: groups of different processes (other load addresses) match
 * by function, or module and offset. */
Test(golden, diff_directories)
{
	golden("diff-dirs.txt", 1, "diff", "--no-symbolize", "analyzer/dumpdir", "analyzer/procs",
	       NULL);
}
