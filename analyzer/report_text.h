/* The human text report: one section per dump, findings first, then the
 * threads grouped (or one by one). */
#ifndef ASLEEP_REPORT_TEXT_H
#define ASLEEP_REPORT_TEXT_H

#include <stdbool.h>
#include <stdio.h>

#include "dump.h"

struct report_opts {
	bool per_thread;	/* --threads: no grouping */
	/* Optional, indexed like dump->findings: a line printed under the
	 * finding (the gate's "suppressed by ..."); NULL entries print nothing. */
	char *const *finding_notes;
};

/* Returns -1 only when out of memory. */
int report_text_dump(FILE *out, const struct dump *d, const struct report_opts *o);

/* "summary: 3 dumps, 2 findings (1 deadlock, 1 all-asleep)". */
void report_text_summary(FILE *out, struct dump *const *dumps, size_t n);

#endif
