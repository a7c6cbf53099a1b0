/* SPDX-License-Identifier: MIT */
/* Turning FILE|DIR arguments into loaded dumps. */
#ifndef ASLEEP_INPUTS_H
#define ASLEEP_INPUTS_H

#include <stddef.h>

#include "dump.h"

/* Dump files in a directory: written by the shim as asleep.<pid>.<seq>.json;
 * its temporary files start with '.'. */
#define DUMP_FILE_GLOB "asleep.*.json"

struct dump_set {
	struct dump **dumps; /* in argument order; a directory's in name order */
	size_t n;
	const char **empty_dirs; /* directory arguments holding no dump */
	size_t n_empty_dirs;
};

/* Loads every path: a directory contributes each DUMP_FILE_GLOB regular
 * file directly in it, sorted by name (numbers compared as numbers, so
 * seq 10 follows seq 9); anything else is read as one dump.  Stops at the
 * first failure with a one-line message in err and returns -1. */
int inputs_load(char *const *paths, size_t n, struct dump_set *set, char *err, size_t errlen);

void dump_set_free(struct dump_set *set);

#endif
