/* SPDX-License-Identifier: MIT */
/* Symbolization end to end: sym_prog (meson, -g) runs under the shim,
 * leaks a thread blocked in read(); the report of its dump must name the
 * function and SOURCE:LINE of the marked read call. */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <criterion/criterion.h>

static char *run_capture(char *const argv[], char *const envp[], int *status)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = tmpfile(), *mem;
	int ws, c;
	pid_t pid;

	cr_assert_not_null(out);
	fflush(NULL);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		dup2(fileno(out), 1);
		if (envp)
			execve(argv[0], argv, envp);
		else
			execv(argv[0], argv);
		_exit(127);
	}
	cr_assert_eq(waitpid(pid, &ws, 0), pid);
	*status = WIFEXITED(ws) ? WEXITSTATUS(ws) : -1;
	rewind(out);
	mem = open_memstream(&buf, &len);
	while ((c = getc(out)) != EOF)
		putc(c, mem);
	fclose(mem);
	fclose(out);
	return buf;
}

/* The line of the marker comment in the program's source. */
static int marked_line(void)
{
	FILE *f = fopen(SYM_PROG_SRC, "r");
	char line[512];
	int n = 0;

	cr_assert_not_null(f, "%s", SYM_PROG_SRC);
	while (fgets(line, sizeof(line), f)) {
		n++;
		if (strstr(line, "/* SYM-PROG-MARK */")) {
			fclose(f);
			return n;
		}
	}
	cr_assert_fail("no marker in %s", SYM_PROG_SRC);
	return 0;
}

Test(symbolize_shim, leaked_reader_names_its_line, .timeout = 60)
{
	char dir[] = "/tmp/asleep-symshim-XXXXXX", preload[4200], options[4200], want[600];
	char *prog_argv[] = { SYM_PROG, NULL };
	char *envp[] = { preload, options, NULL };
	char *out, *noshim;
	int status;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(preload, sizeof(preload), "LD_PRELOAD=%s", SHIM_LIB);
	snprintf(options, sizeof(options), "ASLEEP_OPTIONS=dump_dir=%s:report=0", dir);
	out = run_capture(prog_argv, envp, &status);
	cr_assert_eq(status, 0);
	free(out);

	char *report_argv[] = { ANALYZER_BIN, "report", dir, NULL };
	out = run_capture(report_argv, NULL, &status);
	cr_expect_eq(status, 1, "%s", out);
	cr_expect_not_null(strstr(out, "leaked-thread: "), "%s", out);
	snprintf(want, sizeof(want), "#0 sym_prog_reader at %s:%d (sym_prog+0x", SYM_PROG_SRC,
		 marked_line());
	cr_expect_not_null(strstr(out, want), "missing \"%s\" in:\n%s", want, out);

	/* --no-symbolize: the shim's own name for the frame, no line. */
	char *plain_argv[] = { ANALYZER_BIN, "report", "--no-symbolize", dir, NULL };
	noshim = run_capture(plain_argv, NULL, &status);
	cr_expect_null(strstr(noshim, "sym_prog.c:"), "%s", noshim);
	cr_expect_not_null(strstr(noshim, "#0 sym_prog_reader+0x"), "%s", noshim);
	free(noshim);
	free(out);

	/* Clean up the dumps. */
	DIR *dp = opendir(dir);
	struct dirent *e;
	char path[4400];
	while (dp && (e = readdir(dp))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		unlink(path);
	}
	if (dp)
		closedir(dp);
	rmdir(dir);
}
