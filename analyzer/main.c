/* asleep-analyze: the offline reader of asleep dumps.  Exit status is
 * 0 (nothing found), 1 (findings; for gate: unsuppressed blocking ones)
 * or 2 (bad usage or input, explained in one line on stderr). */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "gate.h"
#include "inputs.h"
#include "load.h"
#include "report_text.h"
#include "suppress.h"

#ifndef ASLEEP_VERSION
#define ASLEEP_VERSION "unknown"
#endif

#define PROG "asleep-analyze"

enum { EXIT_CLEAN = 0, EXIT_FOUND = 1, EXIT_TROUBLE = 2 };

static const char usage_text[] =
	"usage: " PROG " report [--threads] FILE|DIR...\n"
	"       " PROG " gate [--threads] [--suppressions FILE] FILE|DIR...\n"
	"       " PROG " --help | --version\n"
	"\n"
	"Reads the JSON dumps written by libasleep.so; a DIR stands for every\n"
	"asleep.*.json file directly in it.\n"
	"\n"
	"  report   print each dump's findings, then its threads grouped by\n"
	"           state, wait and stacks; exit 1 if any dump has a finding\n"
	"  gate     for CI: exit 1, printing the report, if a deadlock, all-asleep,\n"
	"           leaked-thread, abandoned-lock or lock-order-inversion finding\n"
	"           is not suppressed\n"
	"\n"
	"  --threads             list every thread instead of grouping alike ones\n"
	"  --suppressions FILE   gate only: KIND:PATTERN lines; PATTERN is a glob\n"
	"                        matched against function names and the exe path;\n"
	"                        KIND:top:P, KIND:created:P and KIND:module:GLOB\n"
	"                        look only at the top frame, the creation stack,\n"
	"                        or frames' modules (see README, Suppressions)\n"
	"\n"
	"Exit status: 0 nothing found, 1 findings, 2 bad usage or unreadable input.\n";

struct args {
	bool gate;
	bool per_thread;
	const char *supp_file;
	char **paths;
	size_t n_paths;
};

static int usage(void)
{
	fputs(usage_text, stderr);
	return EXIT_TROUBLE;
}

__attribute__((format(printf, 1, 2)))
static int trouble(const char *fmt, ...)
{
	char line[LOAD_ERR_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	sanitize_line(line);
	fprintf(stderr, PROG ": %s\n", line);
	return EXIT_TROUBLE;
}

/* Options may come before or among the paths; "--" ends them. */
static int parse_args(int argc, char **argv, struct args *a)
{
	const char *cmd = argv[1];
	bool options = true;
	int i;

	a->gate = strcmp(cmd, "gate") == 0;
	if (!a->gate && strcmp(cmd, "report") != 0)
		return trouble("unknown command \"%s\" (expected report or gate; see --help)", cmd);
	a->paths = calloc((size_t)argc, sizeof(*a->paths));
	if (!a->paths)
		return trouble("out of memory");
	for (i = 2; i < argc; i++) {
		const char *arg = argv[i];
		if (!options || arg[0] != '-' || arg[1] != '-') {
			a->paths[a->n_paths++] = argv[i];
		} else if (strcmp(arg, "--") == 0) {
			options = false;
		} else if (strcmp(arg, "--threads") == 0) {
			a->per_thread = true;
		} else if (a->gate && strcmp(arg, "--suppressions") == 0) {
			if (i + 1 == argc)
				return trouble("--suppressions needs a FILE");
			a->supp_file = argv[++i];
		} else if (a->gate && strncmp(arg, "--suppressions=", 15) == 0) {
			a->supp_file = arg + 15;
		} else if (strcmp(arg, "--help") == 0) {
			return usage();
		} else {
			return trouble("%s: unknown option \"%s\" (see --help)", cmd, arg);
		}
	}
	if (a->n_paths == 0)
		return trouble("%s needs at least one FILE or DIR (see --help)", cmd);
	return EXIT_CLEAN;
}

static int report(FILE *out, const struct dump_set *set, bool per_thread)
{
	struct report_opts opts = { .per_thread = per_thread };
	bool found = false;
	size_t i;

	for (i = 0; i < set->n; i++) {
		if (i)
			putc('\n', out);
		if (report_text_dump(out, set->dumps[i], &opts) < 0)
			return trouble("out of memory");
		found = found || set->dumps[i]->n_findings;
	}
	if (set->n) {
		putc('\n', out);
		report_text_summary(out, set->dumps, set->n);
	}
	return found ? EXIT_FOUND : EXIT_CLEAN;
}

static int run(const struct args *a)
{
	struct supp_list supp = { 0 };
	char err[LOAD_ERR_MAX];
	struct dump_set set;
	size_t i;
	int rc;

	if (a->supp_file && supp_load(a->supp_file, &supp, err, sizeof(err)) < 0)
		return trouble("%s", err);
	if (inputs_load(a->paths, a->n_paths, &set, err, sizeof(err)) < 0) {
		supp_free(&supp);
		return trouble("%s", err);
	}
	for (i = 0; i < set.n_empty_dirs; i++) {
		fputs("no dumps in ", stdout);
		print_escaped(stdout, set.empty_dirs[i]);
		putc('\n', stdout);
	}
	if (a->gate) {
		rc = gate_run(stdout, set.dumps, set.n, a->supp_file ? &supp : NULL, a->per_thread);
		if (rc < 0)
			rc = trouble("out of memory");
	} else {
		rc = report(stdout, &set, a->per_thread);
	}
	dump_set_free(&set);
	supp_free(&supp);
	return rc;
}

int main(int argc, char **argv)
{
	struct args a = { 0 };
	int rc;

	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		return usage();
	if (strcmp(argv[1], "--version") == 0) {
		puts(PROG " " ASLEEP_VERSION);
		return EXIT_CLEAN;
	}
	rc = parse_args(argc, argv, &a);
	if (rc == EXIT_CLEAN)
		rc = run(&a);
	free(a.paths);
	/* A report cut short (disk full, closed pipe) must not pass for clean. */
	if (fflush(stdout) != 0 || ferror(stdout))
		rc = trouble("cannot write the report: %s", strerror(errno));
	return rc;
}
