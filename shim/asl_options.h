/* ASLEEP_OPTIONS: colon-separated key=value pairs, the sanitizers' convention.
 * Parsing is pure (no globals, no allocation) so that it is table-tested. */
#ifndef ASL_OPTIONS_H
#define ASL_OPTIONS_H

#include <stddef.h>

enum asl_on_deadlock { ASL_ON_DEADLOCK_EXIT, ASL_ON_DEADLOCK_ABORT, ASL_ON_DEADLOCK_CONTINUE };

#define ASL_PATH_MAX 1024

struct asl_options {
	char dump_dir[ASL_PATH_MAX]; /* empty: no dump files */
	int on_deadlock;             /* enum asl_on_deadlock */
	int exitcode;                /* 0..255 */
	int leaks;                   /* report threads alive at exit */
	int grace_ms;                /* how long a verdict's state must hold still */
	int report;                  /* print reports on stderr */
};

void asl_options_default(struct asl_options *o);

/* Called once per bad entry with a one-line message (no newline). */
typedef void (*asl_options_error_fn)(const char *msg, void *ctx);

/* Parses s into o (which holds defaults); a bad entry keeps the default for
 * its key and is reported through err.  Returns the number of bad entries. */
int asl_options_parse(const char *s, struct asl_options *o, asl_options_error_fn err, void *ctx);

#endif
