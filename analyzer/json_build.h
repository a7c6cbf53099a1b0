/* SPDX-License-Identifier: MIT */
/* Building the JSON outputs (summary, SARIF) with jansson, which also
 * does the escaping.  Out of memory is recorded once in the builder
 * instead of being checked at every call; the writer checks it before
 * printing anything, so a half-built document is never written. */
#ifndef ASLEEP_JSON_BUILD_H
#define ASLEEP_JSON_BUILD_H

#include <stdbool.h>
#include <stdio.h>

#include <jansson.h>

#include "dump.h"
#include "symbolize.h"

struct jbuild {
	bool failed;
	struct symbolizer *sym;
};

/* Both take ownership of v, which may be NULL (then b->failed is set). */
void jb_set(struct jbuild *b, json_t *obj, const char *key, json_t *v);
void jb_push(struct jbuild *b, json_t *arr, json_t *v);

json_t *jb_obj(struct jbuild *b);
json_t *jb_arr(struct jbuild *b);
json_t *jb_str_or_null(const char *s);
json_t *jb_int_or_null(bool has, long long v);

/* {"function", "file", "line", "module", "offset"}, each null when
 * unknown; never the address. */
json_t *jb_frame(struct jbuild *b, const struct dump *d, const struct dump_frame *f);
json_t *jb_stack(struct jbuild *b, const struct dump *d, const struct dump_stack *s);

/* Prints v with two-space indents and keys in insertion order, then a
 * newline; consumes v.  -1 when b failed or printing did. */
int jb_print(struct jbuild *b, FILE *out, json_t *v);

#endif
