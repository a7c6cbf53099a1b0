/* SPDX-License-Identifier: MIT */
/* Suppressions: one file format shared by the shim (ASLEEP_OPTIONS
 * suppressions=FILE), the analyzer (gate --suppressions FILE) and the runner.
 * Pure C (libc only: no jansson, no shim state), so both link this file.
 *
 * One rule a line, '#' starts a comment line, blank lines are ignored:
 *
 *   KIND:PATTERN            PATTERN matched against ANY frame's function
 *                           (stacks, creation stacks, the finding's site)
 *                           and against the program's path and basename
 *   KIND:top:PATTERN        only the TOP frame of each named thread's stack
 *                           (where it blocked)
 *   KIND:created:PATTERN    only the frames of each named thread's
 *                           CREATION stack (who made it)
 *   KIND:module:GLOB        the MODULE (path or basename) of any of those
 *                           frames, and the program's path
 *   KIND:name:GLOB          the NAME of a named thread (its comm, as
 *                           pthread_setname_np set it)
 *   KIND:any:PATTERN        the same as KIND:PATTERN, spelled out
 *
 * KIND is a finding kind or '*'.  PATTERN is an fnmatch(3) glob; a function
 * "worker+0x1f" is tried whole and without its offset.  A scope word counts
 * only when a single ':' follows it, so "deadlock:top::Cls::fn" is the C++
 * name "top::Cls::fn" matched against any frame, as before scopes existed. */
#ifndef ASL_SUPP_H
#define ASL_SUPP_H

#include <stdbool.h>
#include <stddef.h>

enum asl_supp_scope { ASL_SUPP_ANY, ASL_SUPP_TOP, ASL_SUPP_CREATED, ASL_SUPP_MODULE, ASL_SUPP_NAME };

struct asl_supp_rule {
	char *kind;
	char *pattern;    /* as written after KIND:, scope word included */
	const char *glob; /* into pattern: the glob after the scope word */
	int scope;        /* enum asl_supp_scope */
	unsigned line;
	unsigned long hits; /* findings this rule suppressed (callers count) */
};

struct asl_supp_list {
	char *file;
	struct asl_supp_rule *rules;
	size_t n;
};

/* Called once per bad line with "FILE:LINE: what is wrong" (one printable
 * line, no newline). */
typedef void (*asl_supp_error_fn)(const char *msg, void *ctx);

/* Parses len bytes read from file into out; bad lines are reported through
 * err (may be NULL) and skipped.  Returns the number of bad lines, or -1 when
 * out of memory (out is then empty). */
int asl_supp_parse(const char *file, const char *text, size_t len, struct asl_supp_list *out, asl_supp_error_fn err,
                   void *ctx);

/* Reads path and parses it.  An unreadable file is reported as "PATH: why"
 * and returns -1 with out empty. */
int asl_supp_load(const char *path, struct asl_supp_list *out, asl_supp_error_fn err, void *ctx);

void asl_supp_free(struct asl_supp_list *l);

bool asl_supp_known_kind(const char *kind);

/* What a finding offers to be matched against.  NULL strings never match. */
struct asl_supp_frame {
	const char *function; /* "name+0x1f", "name", or NULL */
	const char *module;   /* path of the object the frame is in, or NULL */
};

struct asl_supp_thread {
	const struct asl_supp_frame *stack; /* innermost first */
	size_t nstack;
	const struct asl_supp_frame *created;
	size_t ncreated;
	const char *name; /* or NULL */
};

struct asl_supp_subject {
	const char *kind;
	const char *exe;                   /* or NULL */
	const struct asl_supp_frame *site; /* abandoned-lock: where the lock was taken; or NULL */
	const struct asl_supp_thread *threads;
	size_t nthreads;
};

/* Index of the first rule of l matching s, or -1 (also for l NULL). */
long asl_supp_match(const struct asl_supp_list *l, const struct asl_supp_subject *s);

#endif
