/* SPDX-License-Identifier: MIT */
/* "Who could end it" for a wait: pure over a snapshot (unit-tested). */
#ifndef ASL_ENDERS_H
#define ASL_ENDERS_H

#include "asl_snapshot.h"

#include <stddef.h>

/* One phrase for thread i's wait: the owners the verdict code knows (lock
 * holders, the join target), else who may act on the object. */
void asl_wait_enders(const struct asl_snapshot *s, int i, char *buf, size_t len);

#endif
