/* SPDX-License-Identifier: MIT */
/* The unwinder entry points that -fexceptions code refers to (the
 * personality routine of C frames with cleanups, and _Unwind_Resume from
 * their landing pads), declared weak so that the shim does not need
 * libgcc_s: where it is loaded (every C++ program) they resolve and the
 * cleanups run; elsewhere the personality is null and the unwinder skips
 * those cleanups.  Only hook_once.c is built with -fexceptions. */
#ifndef HOOK_UNWIND_H
#define HOOK_UNWIND_H

extern void _Unwind_Resume(void *) __attribute__((weak));
extern int __gcc_personality_v0(void) __attribute__((weak));

/* A use that makes the compiler mark both symbols weak in the object (its
 * own references to them come without a declaration). */
#define HOOK_UNWIND_WEAK_REFS                 \
	static void *const hook_unwind_refs[] \
	        __attribute__((used)) = { (void *)_Unwind_Resume, (void *)__gcc_personality_v0 }

#endif
