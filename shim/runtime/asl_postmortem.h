/* SPDX-License-Identifier: MIT */
/* Post-mortem: dumps when the program dies of a signal it does not handle,
 * the shutdown-stall check after a handled SIGTERM, and dumps on request.
 * See README "Post-mortem dumps". */
#ifndef ASL_POSTMORTEM_H
#define ASL_POSTMORTEM_H

#include "asl_crashdump.h"

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

/* From the constructor, after the main thread is registered: captures the
 * module map, gives the main thread an alternate signal stack, and installs
 * the fatal-signal handler on every fatal signal still at SIG_DFL. */
void asl_fatal_init(void);

/* The sigaction hook's side of the slots (hook_signal.c).  Before the real
 * call: when the program sets SIG_DFL on a fatal signal, *use is pointed at
 * our handler instead (in *mine); any other action frees our slot.  After
 * it: an old action that is our handler is shown as SIG_DFL. */
void asl_fatal_before_sigaction(int sig, const struct sigaction *act, const struct sigaction **use,
                                struct sigaction *mine);
void asl_fatal_fix_old(int sig, struct sigaction *old);

/* Signals whose handler is ours (SigCgt bits to ignore: our handlers wake nobody). */
unsigned long long asl_fatal_caught_mask(void);

/* No crash dump from now on (the shim aborts on purpose: on_deadlock=abort). */
void asl_fatal_disarm(void);

/* Disarms, and gives every fatal signal whose handler is ours back to
 * SIG_DFL: before a seccomp filter (asl_sandbox.h), whose list may lack
 * the calls the handler makes. */
void asl_fatal_release(void);

/* A SIGTERM reached a handler of the program (the trampoline; async-signal-safe). */
void asl_shutdown_note_sigterm(void);

/* From the monitor, every tick: the shutdown-stall check and dump requests. */
void asl_postmortem_tick(void);

#endif
