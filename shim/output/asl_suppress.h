/* SPDX-License-Identifier: MIT */
/* Suppressions in the shim: ASLEEP_OPTIONS suppressions=FILE, in the format
 * of common/asl_supp.h, loaded once at start-up and applied when findings
 * are published (slow path: frames are symbolized in-process). */
#ifndef ASL_SUPPRESS_H
#define ASL_SUPPRESS_H

#include "asl_finding.h"

#include <jansson.h>

/* Loads path (empty: none) and, when defaults is set, the built-in rules.
 * A bad line costs one stderr line naming FILE:LINE and is ignored; an
 * unreadable file one line, and no rules from it. */
void asl_suppress_load(const char *path, int defaults);

/* help=1: the built-in rules, one line each through out. */
void asl_suppress_help(void (*out)(const char *line, void *ctx), void *ctx);

int asl_suppress_active(void);

/* Copies the findings of f[0..nf) that no rule suppresses into out and
 * counts each rule's hits.  Under the publish lock.  Returns how many were
 * kept. */
int asl_suppress_filter(const struct asl_finding *f, int nf, const struct asl_snapshot *s,
                        const struct asl_modules *mods, struct asl_finding *out);

/* Whether some rule suppresses f (nothing is counted). */
int asl_suppress_matches(const struct asl_finding *f, const struct asl_snapshot *s);

/* "suppressions_used": [{kind, pattern, file, line, count}] for rules that
 * suppressed something; NULL when no file is loaded.  Under the publish lock. */
json_t *asl_suppress_used_json(void);

/* The rules used so far, as the report's closing lines (malloc'd); NULL when
 * none was used. */
char *asl_suppress_used_text(void);

#endif
