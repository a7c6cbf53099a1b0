/* SPDX-License-Identifier: MIT */
/* Stacks: raw return addresses, captured on slow paths only (the module
 * map, output/asl_modules.h, lets them be symbolized later). */
#ifndef ASL_STACK_H
#define ASL_STACK_H

#include <stddef.h>
#include <stdint.h>

/* Fills out[] with the caller's return addresses, frames inside the shim
 * dropped.  Returns the depth. */
int asl_stack_capture(uintptr_t *out, int max);

/* Finds the shim's own code (its frames are dropped from captures) and
 * loads the unwinder, at start-up. */
void asl_stack_init(void);

#endif
