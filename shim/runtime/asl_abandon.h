/* SPDX-License-Identifier: MIT */
/* abandoned-lock: a thread ends while holding locks. */
#ifndef ASL_ABANDON_H
#define ASL_ABANDON_H

#include "asl_thread.h"

/* Reports every lock t still holds; called by t itself as it exits. */
void asl_abandon_report(struct asl_thread *t);

#endif
