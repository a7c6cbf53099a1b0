/* ASLEEP_OPTIONS: colon-separated key=value pairs, the sanitizers' convention.
 * Parsing is pure (no globals, no allocation) so that it is table-tested. */
#ifndef ASL_OPTIONS_H
#define ASL_OPTIONS_H

#include <stddef.h>

enum asl_on_deadlock { ASL_ON_DEADLOCK_EXIT, ASL_ON_DEADLOCK_ABORT, ASL_ON_DEADLOCK_CONTINUE };

#define ASL_PATH_MAX 1024
#define ASL_MS_MAX 86400000 /* a day: the largest duration option */

struct asl_options {
	char dump_dir[ASL_PATH_MAX]; /* empty: no dump files */
	int on_deadlock;             /* enum asl_on_deadlock */
	int exitcode;                /* 0..255 */
	int leaks;                   /* report threads alive at exit */
	int grace_ms;                /* how long a verdict's state must hold still */
	int report;                  /* print reports on stderr */
	int lock_order;              /* record lock orders, report potential deadlocks */
	char suppressions[ASL_PATH_MAX]; /* suppressions file (common/asl_supp.h); empty: none */
	int fatal_dumps;             /* dump every thread on a fatal signal the program does not handle */
	int shutdown_grace_ms;       /* SIGTERM handled but still alive this long: shutdown-stall */
	int long_wait_ms;            /* report an untimed wait this old once; 0: off */
	int interval_ms;             /* write a dump this often; 0: off */
	int interval_keep;           /* interval dumps of this process kept on disk */
	int max_threads;             /* live threads beyond this are a finding; 0: off */
};

/* The shim's options, read once at start-up (asl_init.c).  Hidden: the
 * hooks read it without a GOT hop. */
extern struct asl_options asl_opts __attribute__((visibility("hidden")));

void asl_options_default(struct asl_options *o);

/* Called once per bad entry with a one-line message (no newline). */
typedef void (*asl_options_error_fn)(const char *msg, void *ctx);

/* Parses s into o (which holds defaults); a bad entry keeps the default for
 * its key and is reported through err.  Returns the number of bad entries. */
int asl_options_parse(const char *s, struct asl_options *o, asl_options_error_fn err, void *ctx);

#endif
