/* SPDX-License-Identifier: MIT */
/* Stacks: raw return addresses, captured on slow paths only (the module
 * map, output/asl_modules.h, lets them be symbolized later).
 *
 * Cost model: a capture whose stack has the shape of one captured before
 * (the same call path at the same depth below the thread's stack top: a
 * loop's wait, a thread made in a loop) reads its return-address slots
 * and compares them with the remembered shape, tens of nanoseconds for
 * tens of frames.  Any other capture runs libgcc's DWARF unwinder, about a
 * microsecond, and remembers the shape when it can prove the slots. */
#ifndef ASL_STACK_H
#define ASL_STACK_H

#include <stddef.h>
#include <stdint.h>

/* Fills out[] with the caller's return addresses, frames inside the shim
 * dropped.  Returns the depth. */
int asl_stack_capture(uintptr_t *out, int max);

/* Finds the shim's own code (its frames are dropped from captures) and
 * loads the unwinder, at start-up, on the main thread: also takes the main
 * thread's stack mapping from /proc/self/maps. */
void asl_stack_init(void);

/* In a thread the hooks started, before it runs the program's code: its
 * stack is at least stacksize bytes with a guard of guardsize at the bottom
 * (what its pthread_attr_t said when it was made).  Without this call a
 * thread's captures always unwind. */
void asl_stack_thread_started(size_t stacksize, size_t guardsize);

/* The calling thread's captures so far: read from a shape, and unwound
 * (without libgcc's unwinder every capture counts as neither). */
void asl_stack_counts(unsigned long *from_shape, unsigned long *unwound);

/* The default stack and guard sizes a thread made without attributes gets. */
void asl_stack_default_sizes(size_t *stacksize, size_t *guardsize);

#endif
