/* SPDX-License-Identifier: MIT */
/* A finding for the machine formats: its stable identity (a rule id per
 * kind, for SARIF ruleId and JUnit test names, and a fingerprint that stays
 * the same when the same bug is found again in another run), its steps in
 * words, and the whole finding as plain text with its evidence (threads,
 * cycle, lock order, stacks) for the formats that carry a finding as a block
 * of text (a JUnit failure, the page's finding list).  Control characters
 * are escaped; markup escaping is the caller's. */
#ifndef ASLEEP_FINDING_H
#define ASLEEP_FINDING_H

#include <stddef.h>
#include <stdio.h>

#include "asl_kinds.h"
#include "dump.h"
#include "symbolize.h"

struct finding_rule {
	const char *kind;    /* as in dumps: "deadlock" */
	const char *id;      /* "ASLEEP-DEADLOCK" */
	const char *name;    /* "Deadlock" */
	const char *summary; /* one sentence */
};

/* The kinds this analyzer knows, in a fixed order. */
extern const struct finding_rule finding_rules[];
extern const size_t n_finding_rules;

/* The rule of a known kind, or NULL. */
const struct finding_rule *finding_rule_find(const char *kind);

/* "ASLEEP-" and the kind in capitals, other characters as '-', so a kind
 * added by a newer shim still gets a usable id. */
#define RULE_ID_MAX 80
void finding_rule_id(const char *kind, char *buf, size_t len);

/* 16 hex digits derived from the kind and the frames (function names,
 * else module+offset) of the finding's threads, site and lock-order
 * edges, taken in sorted order: never from addresses, tids, pids,
 * object addresses or times.  Returns -1 only when out of memory. */
#define FINGERPRINT_LEN 17
int finding_fingerprint(struct symbolizer *sym, const struct dump *d, size_t fi, char out[FINGERPRINT_LEN]);

/* One step of a wait-for cycle in words: "tid 1 waits for mutex 0x10
 * held by tid 2", "tid 1 waits to join tid 2", "tid 1 waits for
 * pipe-read fd 3, which needs tid 2" (malloc'd; NULL when out of memory). */
char *wait_step_text(const struct dump_cycle_step *c);

/* A lock-order edge in words (ASL_ORDER_EDGE_FMT, common/asl_kinds.h):
 * "held mutex 0x10, then took mutex 0x20" (malloc'd; NULL when out of
 * memory).  Its stacks are labelled ASL_ORDER_HELD_AT and
 * ASL_ORDER_ACQUIRED_AT. */
char *order_edge_text(const struct dump_order_edge *e);

/* Returns -1 only when out of memory. */
int format_finding_text(FILE *out, struct symbolizer *sym, const struct dump *d, const struct dump_finding *f);

#endif
