/* SPDX-License-Identifier: MIT */
/* `diff OLD NEW`: what changed between two snapshots of one program (two
 * dumps of a long-running server, or two directories of dumps): the
 * thread groups (group.h keys, across processes) that grew, appeared,
 * shrank or went away, largest change first, each with its wait and stack. */
#ifndef ASLEEP_DIFF_H
#define ASLEEP_DIFF_H

#include <stddef.h>
#include <stdio.h>

#include "dump.h"
#include "symbolize.h"

struct diff_side {
	const char *name; /* as given on the command line */
	struct dump *const *dumps;
	size_t n;
};

struct diff_opts {
	struct symbolizer *sym; /* NULL: frames as in the dumps */
	size_t max_frames;      /* per stack shown (0: all) */
};

/* Returns 0 when no group grew or appeared, 1 when some did, -1 when out
 * of memory. */
int diff_report(FILE *out, const struct diff_side *old, const struct diff_side *new, const struct diff_opts *o);

#endif
