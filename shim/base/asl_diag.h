/* SPDX-License-Identifier: MIT */
/* Where the shim's words go.  By default stderr, but only the stderr the
 * program had at start-up: a program that closes fd 2 and reopens a file of
 * its own there must never get a report written into that file.  With
 * log_path=PATH, reports go to PATH.<pid> instead (the sanitizers' way).
 * Async-signal-safe: the crash path writes through it too. */
#ifndef ASL_DIAG_H
#define ASL_DIAG_H

#include <stddef.h>

/* From the constructor, before anything is said: remembers what fd 2 is. */
void asl_diag_init(const char *log_path);

/* The fd to write a report to, or -1 when there is nowhere to write
 * (stderr is no longer what it was, and no log_path).  Pair with
 * asl_diag_end, which closes a log file opened here. */
int asl_diag_begin(void);
void asl_diag_end(int fd);

/* One message, whole (begin, write, end). */
void asl_write_diag(const char *msg, size_t len);

#endif
