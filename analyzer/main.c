/* SPDX-License-Identifier: MIT */
/* asleep-analyze: the offline reader of asleep dumps.  Exit status is
 * 0 (nothing found), 1 (findings; for gate: unsuppressed blocking ones)
 * or 2 (bad usage or input, explained in one line on stderr). */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "escape.h"
#include "readfile.h"
#include "format.h"
#include "gate.h"
#include "inputs.h"
#include "load.h"
#include "outside.h"
#include "report_text.h"
#include "suppress.h"
#include "symbolize.h"

#ifndef ASLEEP_VERSION
#define ASLEEP_VERSION "unknown"
#endif

#define PROG "asleep-analyze"

enum { EXIT_CLEAN = 0, EXIT_FOUND = 1, EXIT_TROUBLE = 2 };

static const char usage_text[] =
        "usage: " PROG " report [--threads] [--no-symbolize] [--format F] FILE|DIR...\n"
        "       " PROG " gate [--threads] [--no-symbolize] [--format F] [--suppressions FILE]\n"
        "            FILE|DIR...\n"
        "       " PROG " diff [--no-symbolize] OLD NEW\n"
        "       " PROG " attach [--no-symbolize] [--dump-dir DIR] PID\n"
        "       " PROG " core [--no-symbolize] [--dump-dir DIR] CORE [EXE]\n"
        "       " PROG " --help | --version\n"
        "\n"
        "Reads the JSON dumps written by libasleep.so; a DIR stands for every\n"
        "asleep.*.json file directly in it.\n"
        "\n"
        "  report   print each dump's findings, then its threads grouped by\n"
        "           state, wait and stacks (several dumps: the threads of all\n"
        "           processes together); exit 1 if any dump has a finding\n"
        "  diff     compare two snapshots (FILE or DIR each) of one program: thread\n"
        "           groups that grew, appeared, shrank or went away; exit 1 if a\n"
        "           group grew or appeared, 0 if none did\n"
        "  attach   a process that was not started under the shim (jstack's way):\n"
        "           stop it briefly with ptrace, read every thread's wait, let it\n"
        "           go on unchanged, then report as the shim would; exit 0 nothing\n"
        "           found, 2 deadlocked or all asleep, 3 cannot attach\n"
        "  core     the same from a core file (gcore's, or the kernel's)\n"
        "  gate     for CI: exit 1, printing the report, if a deadlock, all-asleep,\n"
        "           leaked-thread, abandoned-lock or lock-order-inversion finding\n"
        "           is not suppressed\n"
        "\n"
        "  --threads             list every thread instead of grouping alike ones\n"
        "  --no-symbolize        show frames as the dump has them (function+offset,\n"
        "                        else module+offset) instead of reading function,\n"
        "                        file and line from the modules' debug info\n"
        "  --format F            report and gate: text (default), json, sarif, junit,\n"
        "                        dot or html; the exit status does not change\n"
        "  --max-input-size N    refuse dump and suppression files larger than N\n"
        "                        bytes (K, M, G suffixes; default 256M)\n"
        "  --suppressions FILE   gate only: KIND:PATTERN lines; PATTERN is a glob\n"
        "                        matched against function names and the exe path;\n"
        "                        KIND:top:P, KIND:created:P and KIND:module:GLOB\n"
        "                        look only at the top frame, the creation stack,\n"
        "                        or frames' modules (see README, Suppressions)\n"
        "\n"
        "  -h, --help            this help; after a command, that command's\n"
        "\n"
        "Exit status: 0 nothing found, 1 findings (diff: growth), 2 bad usage or\n"
        "unreadable input.\n"
        "\n"
        "Environment:\n"
        "  ASLEEP_SRCROOT   --format sarif: the source root file paths are made\n"
        "                   relative to (default: the current directory)\n"
        "  PATH             --format html: Graphviz's dot is looked for here (graphs\n"
        "                   are left out without it)\n"
        "  TMPDIR           --format html: where dot's scratch files go\n";

/* `COMMAND --help`: that command's part of the usage. */
static const char *const command_help[][2] = {
	{ "report", "usage: " PROG " report [--threads] [--no-symbolize] [--format F]\n"
	            "            [--max-input-size N] FILE|DIR...\n"
	            "\n"
	            "Prints each dump's findings, then its threads grouped by state, wait and\n"
	            "stacks (several dumps: the threads of all processes together).\n"
	            "Exit status: 0 no finding, 1 a finding in some dump, 2 bad usage or input.\n" },
	{ "gate", "usage: " PROG " gate [--threads] [--no-symbolize] [--format F]\n"
	          "            [--suppressions FILE] [--max-input-size N] FILE|DIR...\n"
	          "\n"
	          "For CI: prints the report and exits 1 when a deadlock, all-asleep,\n"
	          "leaked-thread, abandoned-lock or lock-order-inversion finding is not\n"
	          "suppressed; 0 otherwise; 2 bad usage or input.\n" },
	{ "attach", "usage: " PROG " attach [--no-symbolize] [--dump-dir DIR] PID\n"
	            "\n"
	            "For a process that was never started under the shim: stops every thread with\n"
	            "ptrace (PTRACE_SEIZE, PTRACE_INTERRUPT: no signal is sent), reads what each\n"
	            "waits for (its system call and registers, glibc's mutex, rwlock and thread\n"
	            "fields, its fds, /proc) and its stack (libdwfl), lets it go on exactly as it\n"
	            "was, judges with the shim's rules and prints the report.  --dump-dir DIR\n"
	            "keeps the dump (reason \"attach\").  Needs ptrace rights over PID (same\n"
	            "user with /proc/sys/kernel/yama/ptrace_scope 0, or root).\n"
	            "Exit status: 0 nothing found, 2 deadlocked or every thread asleep, 3 cannot\n"
	            "attach or bad usage.\n" },
	{ "core", "usage: " PROG " core [--no-symbolize] [--dump-dir DIR] CORE [EXE]\n"
	          "\n"
	          "The same from a core file (gcore's, or a crash's): threads and registers from\n"
	          "its notes, memory from its segments.  What a core cannot tell (fds, other\n"
	          "processes, signal handlers) never makes a verdict.\n"
	          "Exit status: as attach.\n" },
	{ "diff", "usage: " PROG " diff [--no-symbolize] OLD NEW\n"
	          "\n"
	          "Compares two snapshots (FILE or DIR each) of one program: thread groups\n"
	          "that grew, appeared, shrank or went away.  Exit status: 1 if a group grew\n"
	          "or appeared, 0 if none did, 2 bad usage or input.\n" },
};

/* --help and -h: to stdout, exit 0 (the GNU convention; help2man reads it). */
static int help(const char *command)
{
	for (size_t i = 0; command && i < sizeof command_help / sizeof command_help[0]; i++)
		if (!strcmp(command, command_help[i][0])) {
			fputs(command_help[i][1], stdout);
			return EXIT_CLEAN;
		}
	fputs(usage_text, stdout);
	return EXIT_CLEAN;
}

struct args {
	bool gate;
	bool diff;
	bool per_thread;
	bool no_symbolize;
	const char *supp_file;
	enum output_format format;
	char **paths;
	size_t n_paths;
};

static int usage(void)
{
	fputs(usage_text, stderr);
	return EXIT_TROUBLE;
}

__attribute__((format(printf, 1, 2))) static int trouble(const char *fmt, ...)
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

/* "123", "64K", "256M", "2G": a byte count of at least 1. */
static int parse_size(const char *s, size_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	int shift = 0;
	if (end == s || errno || s[0] == '-')
		return -1;
	if (*end == 'K' || *end == 'k')
		shift = 10, end++;
	else if (*end == 'M' || *end == 'm')
		shift = 20, end++;
	else if (*end == 'G' || *end == 'g')
		shift = 30, end++;
	if (*end || v == 0 || v > (SIZE_MAX >> shift))
		return -1;
	*out = (size_t)v << shift;
	return 0;
}

/* Options may come before or among the paths; "--" ends them. */
static int parse_args(int argc, char **argv, struct args *a)
{
	const char *cmd = argv[1];
	bool options = true;
	int i;

	a->gate = strcmp(cmd, "gate") == 0;
	a->diff = strcmp(cmd, "diff") == 0;
	if (!a->gate && !a->diff && strcmp(cmd, "report") != 0)
		return trouble("unknown command \"%s\" (expected report, gate or diff; see --help)", cmd);
	a->paths = calloc((size_t)argc, sizeof(*a->paths));
	if (!a->paths)
		return trouble("out of memory");
	for (i = 2; i < argc; i++) {
		const char *arg = argv[i];
		if (options && strcmp(arg, "-h") == 0) {
			return -1;
		} else if (!options || arg[0] != '-' || arg[1] != '-') {
			a->paths[a->n_paths++] = argv[i];
		} else if (strcmp(arg, "--") == 0) {
			options = false;
		} else if (!a->diff && strcmp(arg, "--threads") == 0) {
			a->per_thread = true;
		} else if (strcmp(arg, "--no-symbolize") == 0) {
			a->no_symbolize = true;
		} else if (a->gate && strcmp(arg, "--suppressions") == 0) {
			if (i + 1 == argc)
				return trouble("--suppressions needs a FILE");
			a->supp_file = argv[++i];
		} else if (a->gate && strncmp(arg, "--suppressions=", 15) == 0) {
			a->supp_file = arg + 15;
		} else if (!a->diff && (strcmp(arg, "--format") == 0 || strncmp(arg, "--format=", 9) == 0)) {
			if (arg[8] == '\0' && i + 1 == argc)
				return trouble("--format needs one of text, json, sarif, junit, dot, html");
			arg = arg[8] == '=' ? arg + 9 : argv[++i];
			if (format_parse(arg, &a->format) < 0)
				return trouble("unknown format \"%s\" (expected text, json, sarif, "
				               "junit, dot or html)",
				               arg);
		} else if (strcmp(arg, "--max-input-size") == 0 || strncmp(arg, "--max-input-size=", 17) == 0) {
			if (arg[16] == '\0' && i + 1 == argc)
				return trouble("--max-input-size needs a size in bytes (K, M, G suffixes)");
			arg = arg[16] == '=' ? arg + 17 : argv[++i];
			if (parse_size(arg, &read_max_bytes) < 0)
				return trouble("--max-input-size: \"%s\" is not a size (e.g. 64M)", arg);
		} else if (strcmp(arg, "--help") == 0) {
			return -1; /* main prints the command's help */
		} else {
			return trouble("%s: unknown option \"%s\" (see --help)", cmd, arg);
		}
	}
	if (a->diff && a->n_paths != 2)
		return trouble("diff needs two paths, OLD and NEW, got %zu (see --help)", a->n_paths);
	if (a->n_paths == 0)
		return trouble("%s needs at least one FILE or DIR (see --help)", cmd);
	return EXIT_CLEAN;
}

static int report(FILE *out, const struct dump_set *set, const struct report_opts *opts)
{
	bool found = false;
	size_t i;

	for (i = 0; i < set->n; i++)
		found = found || set->dumps[i]->n_findings;
	if (report_text_run(out, set->dumps, set->n, opts) < 0)
		return trouble("out of memory");
	return found ? EXIT_FOUND : EXIT_CLEAN;
}

/* OLD and NEW are each a FILE or a DIR of dumps; both are read before
 * anything is printed, so bad input never leaves half a diff. */
static int diff(const struct args *a, struct symbolizer *sym)
{
	struct diff_opts opts = { .sym = sym, .max_frames = 8 };
	struct dump_set old, new;
	char err[LOAD_ERR_MAX];
	int rc;

	if (inputs_load(&a->paths[0], 1, &old, err, sizeof(err)) < 0)
		return trouble("%s", err);
	if (inputs_load(&a->paths[1], 1, &new, err, sizeof(err)) < 0) {
		dump_set_free(&old);
		return trouble("%s", err);
	}
	if (old.n == 0 || new.n == 0) {
		rc = trouble("%s: no dumps in this directory", old.n == 0 ? a->paths[0] : a->paths[1]);
	} else {
		rc = diff_report(stdout, &(struct diff_side){ a->paths[0], old.dumps, old.n },
		                 &(struct diff_side){ a->paths[1], new.dumps, new.n }, &opts);
		rc = rc < 0 ? trouble("out of memory") : rc ? EXIT_FOUND : EXIT_CLEAN;
	}
	dump_set_free(&old);
	dump_set_free(&new);
	return rc;
}

/* report or gate in a --format other than text: same verdicts and exit
 * status, the whole output built by format.h. */
static int write_format(const struct args *a, const struct dump_set *set, struct supp_list *supp,
                        struct symbolizer *sym)
{
	struct format_input in = {
		.gate = a->gate,
		.per_thread = a->per_thread,
		.sym = sym,
		.dumps = set->dumps,
		.n = set->n,
		.empty_dirs = set->empty_dirs,
		.n_empty_dirs = set->n_empty_dirs,
		.supp = supp,
	};
	int rc = format_judge(&in);

	if (rc < 0 || format_write(a->format, stdout, &in) < 0)
		rc = trouble("out of memory writing the %s output", format_name(a->format));
	format_input_free(&in);
	return rc;
}

/* Reads the inputs, then reports, gates or diffs them. */
static int examine(const struct args *a, struct report_opts *opts)
{
	struct supp_list supp = { 0 };
	char err[LOAD_ERR_MAX];
	struct dump_set set;
	size_t i;
	int rc;

	if (a->diff)
		return diff(a, opts->sym);
	if (a->supp_file && supp_load(a->supp_file, &supp, err, sizeof(err)) < 0)
		return trouble("%s", err);
	if (inputs_load(a->paths, a->n_paths, &set, err, sizeof(err)) < 0) {
		supp_free(&supp);
		return trouble("%s", err);
	}
	if (a->format != FORMAT_TEXT) {
		rc = write_format(a, &set, a->supp_file ? &supp : NULL, opts->sym);
		dump_set_free(&set);
		supp_free(&supp);
		return rc;
	}
	for (i = 0; i < set.n_empty_dirs; i++) {
		fputs("no dumps in ", stdout);
		print_escaped(stdout, set.empty_dirs[i]);
		putc('\n', stdout);
	}
	if (a->gate) {
		rc = gate_run(stdout, set.dumps, set.n, a->supp_file ? &supp : NULL, opts);
		if (rc < 0)
			rc = trouble("out of memory");
	} else {
		rc = report(stdout, &set, opts);
	}
	dump_set_free(&set);
	supp_free(&supp);
	return rc;
}

static int run(const struct args *a)
{
	struct report_opts opts = { .per_thread = a->per_thread };
	int rc;

	/* Opens nothing yet: modules are read when a frame needs them. */
	if (!a->no_symbolize && !(opts.sym = symbolizer_new()))
		return trouble("out of memory");
	rc = examine(a, &opts);
	symbolizer_free(opts.sym);
	return rc;
}

/* attach PID / core CORE [EXE]: exit 0, 2 (deadlock), 3 (trouble). */
static int outside_main(int argc, char **argv)
{
	bool core = strcmp(argv[1], "core") == 0, symbolize = true;
	const char *dump_dir = NULL, *pos[3] = { NULL, NULL, NULL };
	int npos = 0;
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return help(argv[1]);
		if (!strcmp(argv[i], "--no-symbolize")) {
			symbolize = false;
		} else if (!strcmp(argv[i], "--dump-dir") && i + 1 < argc) {
			dump_dir = argv[++i];
		} else if (!strncmp(argv[i], "--dump-dir=", 11)) {
			dump_dir = argv[i] + 11;
		} else if (argv[i][0] == '-' && argv[i][1] == '-') {
			trouble("%s: unknown option \"%s\" (see --help)", argv[1], argv[i]);
			return 3;
		} else if (npos < 3) {
			pos[npos++] = argv[i];
		}
	}
	if (core) {
		if (npos < 1 || npos > 2) {
			trouble("core needs CORE and, optionally, EXE (see --help)");
			return 3;
		}
		return outside_core(pos[0], pos[1], dump_dir, symbolize, stdout);
	}
	char *end;
	long pid = npos == 1 ? strtol(pos[0], &end, 10) : 0;
	if (npos != 1 || *end || pid <= 0) {
		trouble("attach needs one PID (see --help)");
		return 3;
	}
	return outside_attach((pid_t)pid, dump_dir, symbolize, stdout);
}

int main(int argc, char **argv)
{
	struct args a = { 0 };
	int rc;

	if (argc < 2)
		return usage();
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		return help(NULL);
	if (strcmp(argv[1], "attach") == 0 || strcmp(argv[1], "core") == 0)
		return outside_main(argc, argv);
	if (strcmp(argv[1], "--version") == 0) {
		puts(PROG " " ASLEEP_VERSION);
		return EXIT_CLEAN;
	}
	rc = parse_args(argc, argv, &a);
	if (rc < 0) {
		free(a.paths);
		return help(argv[1]);
	}
	if (rc == EXIT_CLEAN)
		rc = run(&a);
	free(a.paths);
	/* A report cut short (disk full, closed pipe) must not pass for clean. */
	if (fflush(stdout) != 0 || ferror(stdout))
		rc = trouble("cannot write the report: %s", strerror(errno));
	return rc;
}
