/* Suppressions for the CI gate.
 *
 * File format, one rule a line:   KIND:PATTERN
 *   KIND     a finding kind (deadlock, all-asleep, lock-order-inversion,
 *            leaked-thread, abandoned-lock, long-wait) or "*" for all;
 *   PATTERN  an fnmatch(3) glob, matched against the exe path (and its
 *            basename) and against the function of every frame of every
 *            thread the finding names (stack and creation stack) and of
 *            the finding's site.  A function "worker+0x1f" is tried both
 *            whole and without its "+0x1f" offset, so "worker" matches.
 * Blank lines and lines starting with '#' are ignored; whitespace around
 * KIND and PATTERN is dropped.  The pattern is everything after the first
 * colon, so it may itself contain colons (C++ names). */
#ifndef ASLEEP_SUPPRESS_H
#define ASLEEP_SUPPRESS_H

#include <stdbool.h>
#include <stddef.h>

#include "dump.h"

struct supp_rule {
	char *kind;
	char *pattern;
	unsigned line;
	unsigned long hits;	/* findings suppressed by this rule (caller counts) */
};

struct supp_list {
	char *file;
	struct supp_rule *rules;
	size_t n;
};

/* Parses text (len bytes) read from file; on error writes
 * "FILE:LINE: what is wrong" to err and returns -1. */
int supp_parse(const char *file, const char *text, size_t len, struct supp_list *out,
	       char *err, size_t errlen);

/* Reads and parses a suppressions file. */
int supp_load(const char *path, struct supp_list *out, char *err, size_t errlen);

void supp_free(struct supp_list *l);

/* The first rule suppressing finding f of dump d, or NULL. */
struct supp_rule *supp_match(const struct supp_list *l, const struct dump *d,
			     const struct dump_finding *f);

/* Whether kind is one a suppression may name. */
bool supp_known_kind(const char *kind);

#endif
