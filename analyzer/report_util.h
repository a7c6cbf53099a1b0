/* SPDX-License-Identifier: MIT */
/* Small pieces shared by the text report, its findings and diff. */
#ifndef ASLEEP_REPORT_UTIL_H
#define ASLEEP_REPORT_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "dump.h"

const char *plural(size_t n);

/* "text" with control characters escaped. */
void print_quoted(FILE *out, const char *s);

/* Lock waits end when a holder unlocks; other waits name who must act. */
bool is_lock_kind(const char *kind);

/* tid lookup in O(log n): dumps of 10,000 threads name thousands of tids. */
struct tid_index {
	const struct dump_thread **by_tid;
	size_t n;
};

int tid_index_build(const struct dump *d, struct tid_index *ix);
const struct dump_thread *tid_index_find(const struct tid_index *ix, long long tid);
void tid_index_free(struct tid_index *ix);

#endif
