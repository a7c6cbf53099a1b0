/* SPDX-License-Identifier: MIT */
/* The CI gate: which findings fail a build, after suppressions. */
#ifndef ASLEEP_GATE_H
#define ASLEEP_GATE_H

#include <stdbool.h>
#include <stdio.h>

#include "dump.h"
#include "report_text.h"
#include "suppress.h"

/* deadlock, all-asleep, leaked-thread, abandoned-lock, lock-order-inversion;
 * others (long-wait, kinds added later) are reported but never fail. */
bool gate_blocks_kind(const char *kind);

/* Prints the report of every dump that holds an unsuppressed blocking
 * finding, which suppressions were used and how often, and a verdict.
 * Prints nothing when the gate passes without suppressing anything.
 * Returns 0 (pass), 1 (fail) or -1 (out of memory).  supp may be NULL;
 * ropts says how reports look (its finding_notes are the gate's own). */
int gate_run(FILE *out, struct dump *const *dumps, size_t n, struct supp_list *supp, const struct report_opts *ropts);

#endif
