/* SPDX-License-Identifier: MIT */
/* One finding in plain text with its evidence (threads, cycle, lock
 * order, stacks), for the formats that carry a finding as a block of
 * text: a JUnit failure, the page's finding list.  Control characters
 * are escaped; markup escaping is the caller's. */
#ifndef ASLEEP_FORMAT_FINDING_TEXT_H
#define ASLEEP_FORMAT_FINDING_TEXT_H

#include <stdio.h>

#include "dump.h"
#include "symbolize.h"

/* Returns -1 only when out of memory. */
int format_finding_text(FILE *out, struct symbolizer *sym, const struct dump *d, const struct dump_finding *f);

#endif
