/* SPDX-License-Identifier: MIT */
/* The crash dump: every thread's record, written from a fatal signal's
 * handler (asl_crashdump.c says how it stays async-signal-safe). */
#ifndef ASL_CRASHDUMP_H
#define ASL_CRASHDUMP_H

#include "asl_modules.h"

#include <signal.h>
#include <stddef.h>

/* The module map the crash path reads (it cannot call dl_iterate_phdr).
 * Outside signal context only. */
void asl_crash_modules_set(const struct asl_modules *ms);
void asl_crash_modules_refresh(void);
void asl_crash_fork_prepare(void);
void asl_crash_fork_done(void);

/* Writes the crash dump (dump_dir set) or a short stderr summary, with
 * write(2)-level calls only.  Async-signal-safe; called once. */
void asl_crashdump_write(int sig, const siginfo_t *si, const void *uc);

/* "SIGSEGV" (or "SIG<n>") into buf.  Async-signal-safe. */
const char *asl_signal_name(int sig, char *buf, size_t len);

#endif
