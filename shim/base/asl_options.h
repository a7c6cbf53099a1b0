/* SPDX-License-Identifier: MIT */
/* ASLEEP_OPTIONS: colon-separated key=value pairs, the sanitizers' convention.
 * Every option is one line of ASL_OPTION_TABLE below; the parser, the
 * defaults, help=1 and the README's table all come from it.  Parsing is pure
 * (no globals, no allocation) so that it is table-tested. */
#ifndef ASL_OPTIONS_H
#define ASL_OPTIONS_H

#include <stddef.h>

enum asl_on_deadlock { ASL_ON_DEADLOCK_EXIT, ASL_ON_DEADLOCK_ABORT, ASL_ON_DEADLOCK_CONTINUE };

#define ASL_PATH_MAX 1024
#define ASL_MS_MAX 86400000 /* a day: the largest duration option */

/* X(name, type, default, lo, hi, description)
 * type: BOOL (0|1), INT (lo..hi), MS (0 = off, or lo..hi milliseconds),
 * PATH (a file or directory; ignored in secure-execution processes), and
 * ON_DEADLOCK (exit|abort|continue).  default is written as a user would. */
#define ASL_OPTION_TABLE(X)                                                                                          \
	X(dump_dir, PATH, "", 0, 0,                                                                                  \
	  "write JSON dumps into this directory (created if missing); the exit-time check then always writes one; "  \
	  "unset: no files")                                                                                         \
	X(on_deadlock, ON_DEADLOCK, "exit", 0, 0,                                                                    \
	  "after an all-asleep report: _exit(exitcode), abort(), or leave the program hanging")                      \
	X(exitcode, INT, "2", 0, 255, "exit status used by on_deadlock=exit")                                        \
	X(leaks, BOOL, "1", 0, 1,                                                                                    \
	  "check for threads still alive at exit (findings go to the dump and the runner's gate)")                   \
	X(unjoined_leaks, BOOL, "1", 0, 1,                                                                           \
	  "count joinable threads that finished but were never joined as leaked (TSan's thread leak)")               \
	X(report_leaks, BOOL, "0", 0, 1, "also print leaked-thread findings on stderr")                              \
	X(report, BOOL, "1", 0, 1, "print findings on stderr, or into log_path (dumps are written either way)")      \
	X(log_path, PATH, "", 0, 0, "write reports to PATH.<pid> instead of stderr (the sanitizers' log_path)")      \
	X(grace_ms, INT, "500", 50, 600000,                                                                          \
	  "how long a state must hold still before a cross-thread verdict the kernel cannot confirm sooner")         \
	X(lock_order, BOOL, "1", 0, 1, "record lock orders and report potential deadlocks (lock-order-inversion)")   \
	X(lock_order_max_edges, INT, "4194304", 1024, 64000000,                                                      \
	  "the lock-order graph's cap: edges beyond it are dropped (said once on stderr and in every dump)")         \
	X(suppressions, PATH, "", 0, 0, "suppressions file (see README, \"Suppressions\")")                          \
	X(default_suppressions, BOOL, "1", 0, 1,                                                                     \
	  "apply the built-in suppressions for runtimes' own helper threads (help=1 lists them)")                    \
	X(fatal_dumps, BOOL, "1", 0, 1,                                                                              \
	  "dump every thread when the program dies of a signal it does not handle (Post-mortem dumps)")              \
	X(report_fatal, BOOL, "0", 0, 1,                                                                             \
	  "say on stderr that the program died of a signal (a crash, abort or SIGQUIT), and where its dump is")      \
	X(shutdown_grace_ms, MS, "0", 50, 3600000,                                                                   \
	  "report a shutdown-stall when the process still runs this long after handling SIGTERM; 0: off")            \
	X(long_wait_ms, MS, "0", 1, ASL_MS_MAX, "report an untimed wait this old (long-wait); 0: off")               \
	X(interval_ms, MS, "0", 100, ASL_MS_MAX, "write a dump this often (needs dump_dir); 0: off")                 \
	X(interval_keep, INT, "10", 1, 100000, "interval dumps of this process kept on disk")                        \
	X(max_threads, INT, "0", 0, 1000000, "report thread-growth beyond this many live threads; 0: off")           \
	X(metrics_file, PATH, "", 0, 0,                                                                              \
	  "write Prometheus metrics (text format, replaced atomically) to this file; unset: off")                    \
	X(metrics_interval_ms, INT, "10000", 100, ASL_MS_MAX, "how often metrics_file is rewritten")                 \
	X(metrics_sites, INT, "10", 1, 1000, "creation sites named in the threads-by-site metric (the rest: other)") \
	X(verbosity, INT, "0", 0, 2, "1: one line at start-up (version, options, monitor) and one at exit")          \
	X(error_exitcode, INT, "0", 0, 255,                                                                          \
	  "exit with this status when a finding that fails the gate was reported (0: the status is unchanged)")      \
	X(gen_suppressions, BOOL, "0", 0, 1, "print under each finding the suppression rule that would silence it")  \
	X(help, BOOL, "0", 0, 1, "print every option with its default and current value, then run the program")

#define ASL_OPT_FIELD_BOOL int
#define ASL_OPT_FIELD_INT int
#define ASL_OPT_FIELD_MS int
#define ASL_OPT_FIELD_ON_DEADLOCK int
#define ASL_OPT_DECL_PATH(name) char name[ASL_PATH_MAX];
#define ASL_OPT_DECL_BOOL(name) int name;
#define ASL_OPT_DECL_INT(name) int name;
#define ASL_OPT_DECL_MS(name) int name;
#define ASL_OPT_DECL_ON_DEADLOCK(name) int name;
#define ASL_OPT_DECL(name, type, def, lo, hi, desc) ASL_OPT_DECL_##type(name)

struct asl_options {
	ASL_OPTION_TABLE(ASL_OPT_DECL)
	int secure; /* a secure-execution (setuid) process: PATH options are refused */
};

/* The shim's options, read once at start-up (asl_init.c).  Hidden: the
 * hooks read it without a GOT hop. */
extern struct asl_options asl_opts __attribute__((visibility("hidden")));

void asl_options_default(struct asl_options *o);

/* Called once per bad entry with a one-line message (no newline). */
typedef void (*asl_options_error_fn)(const char *msg, void *ctx);

/* Parses s into o (which holds defaults); a bad entry keeps the default for
 * its key and is reported through err.  With o->secure set, options naming
 * files are refused (one message for all of them).  Returns the number of
 * bad entries. */
int asl_options_parse(const char *s, struct asl_options *o, asl_options_error_fn err, void *ctx);

/* help=1: every option, its type, default, range, description and value in
 * o, one line each, through out (called once per line, no newline). */
void asl_options_help(const struct asl_options *o, void (*out)(const char *line, void *ctx), void *ctx);

/* "key=value:key=value" for every option that differs from its default
 * ("defaults" when none does), for verbosity=1. */
void asl_options_in_effect(const struct asl_options *o, char *buf, size_t len);

#endif
