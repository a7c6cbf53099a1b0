/* SPDX-License-Identifier: MIT */
/* Suppressions for the CI gate: the shared format and matcher of
 * common/asl_supp.h (KIND:PATTERN, KIND:top:PATTERN, KIND:created:PATTERN,
 * KIND:module:GLOB; '#' comments), applied to loaded dumps.  The gate is
 * strict: the first bad line makes the whole file an error. */
#ifndef ASLEEP_SUPPRESS_H
#define ASLEEP_SUPPRESS_H

#include <stdbool.h>
#include <stddef.h>

#include "asl_supp.h"
#include "dump.h"

/* The gate's names for the shared types. */
#define supp_rule asl_supp_rule
#define supp_list asl_supp_list

/* Parses text (len bytes) read from file; on the first bad line writes
 * "FILE:LINE: what is wrong" to err and returns -1 (out is then empty). */
int supp_parse(const char *file, const char *text, size_t len, struct supp_list *out, char *err, size_t errlen);

/* Reads and parses a suppressions file. */
int supp_load(const char *path, struct supp_list *out, char *err, size_t errlen);

void supp_free(struct supp_list *l);

/* The first rule suppressing finding f of dump d, or NULL. */
struct supp_rule *supp_match(const struct supp_list *l, const struct dump *d, const struct dump_finding *f);

/* Whether kind is one a suppression may name. */
bool supp_known_kind(const char *kind);

#endif
