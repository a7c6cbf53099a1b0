/* SPDX-License-Identifier: MIT */
/* The check at a wait's attempt (see asl_attempt.c). */
#ifndef ASL_ATTEMPT_H
#define ASL_ATTEMPT_H

#include "asl_wait.h"

void asl_attempt_check(struct asl_thread *t, const struct asl_wait_req *w);

#endif
