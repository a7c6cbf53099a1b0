/* SPDX-License-Identifier: MIT */
/* The human text report: findings first, each with the stacks of the
 * threads it names (lock-order inversions with each edge's two stacks, as
 * lockdep shows them), then the threads grouped (or one by one). */
#ifndef ASLEEP_REPORT_TEXT_H
#define ASLEEP_REPORT_TEXT_H

#include <stdbool.h>
#include <stdio.h>

#include "dump.h"
#include "group.h"
#include "symbolize.h"

struct report_opts {
	bool per_thread; /* --threads: no grouping */
	/* Optional, indexed like dump->findings: a line printed under the
	 * finding (the gate's "suppressed by ..."); NULL entries print nothing. */
	char *const *finding_notes;
	/* Frames get function, file and line from it; NULL: as in the dump. */
	struct symbolizer *sym;
};

/* One dump: header, findings, threads.  Returns -1 only when out of memory. */
int report_text_dump(FILE *out, const struct dump *d, const struct report_opts *o);

/* The whole report of `report`: one dump as report_text_dump; several as
 * each dump's findings (dumps without any listed on one line), then the
 * threads of all processes grouped together (latest dump of each process,
 * see group.h), then the summary line.  Returns -1 only when out of memory. */
int report_text_run(FILE *out, struct dump *const *dumps, size_t n, const struct report_opts *o);

/* "summary: 3 dumps, 2 findings (1 deadlock, 1 all-asleep)". */
void report_text_summary(FILE *out, struct dump *const *dumps, size_t n);

/* The parts of report_text_dump: the two header lines (file, pid,
 * reason, exe; seq, uptime, threads, time), and "findings: none" or each
 * finding with its evidence. */
void report_text_header(FILE *out, const struct dump *d);
int report_text_findings(FILE *out, const struct dump *d, const struct report_opts *o);

/* The lines under a group's head: wait, held locks, stack, creator;
 * d holds g->members[0].  At most max_frames frames per stack (0: all). */
void report_text_group_body(FILE *out, const struct dump *d, const struct thread_group *g, struct symbolizer *sym,
                            size_t max_frames);

#endif
