/* SPDX-License-Identifier: MIT */
/* One finding in the text report: its message, the threads, objects and
 * wait cycle it names, then the evidence: for each thread it names, what
 * it waits on, the locks it holds and its stack (alike threads once, and
 * a stack already shown for an earlier finding of the dump only named);
 * for a lock-order inversion each edge with both stacks and how the
 * orders would deadlock. */
#ifndef ASLEEP_REPORT_FINDING_H
#define ASLEEP_REPORT_FINDING_H

#include <stdbool.h>
#include <stdio.h>

#include "dump.h"
#include "group.h"
#include "escape.h"
#include "symbolize.h"

/* What the findings of one dump share. */
struct finding_ctx {
	const struct dump *d;
	struct symbolizer *sym;
	struct tid_index tids;
	struct grouping groups;
	size_t *group_of;                 /* by thread index in d->threads */
	const struct dump_thread **shown; /* by group: whose stack was printed */
	size_t *slot;                     /* by group: scratch for one finding, kept zeroed */
};

/* Returns -1 only when out of memory. */
int finding_ctx_init(struct finding_ctx *c, const struct dump *d, struct symbolizer *sym);
void finding_ctx_free(struct finding_ctx *c);

/* note: printed under the finding's own lines (NULL: none). */
void report_finding(FILE *out, struct finding_ctx *c, const struct dump_finding *f, const char *note);

#endif
