/* SPDX-License-Identifier: MIT */
/* Dumps are untrusted input: names and symbols may hold control characters
 * that would break the one-line-per-item layout or drive the terminal. */
#ifndef ASLEEP_ESCAPE_H
#define ASLEEP_ESCAPE_H

#include <stdio.h>

/* Writes s with control bytes shown as \xNN (UTF-8 passes through). */
void print_escaped(FILE *out, const char *s);

/* Replaces control bytes in s by '?' so it stays one printable line. */
void sanitize_line(char *s);

#endif
