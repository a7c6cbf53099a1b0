/* SPDX-License-Identifier: MIT */
/* Escaping dump strings for every output.  Dumps are untrusted input: names
 * and symbols may hold control characters that would break the
 * one-line-per-item layout or drive the terminal.  They are valid UTF-8 (the
 * loader refuses anything else) but may hold characters XML 1.0 cannot carry
 * at all, so those are spelled out as text (\x1b, \u{fffe}) rather than
 * dropped: what a thread was named must stay visible. */
#ifndef ASLEEP_ESCAPE_H
#define ASLEEP_ESCAPE_H

#include <stddef.h>
#include <stdio.h>

/* Writes s with control bytes shown as \xNN (UTF-8 passes through). */
void print_escaped(FILE *out, const char *s);

/* Replaces control bytes in s by '?' so it stays one printable line. */
void sanitize_line(char *s);

/* XML/HTML text and attribute values: & < > " ' as entities, every
 * control byte as \xNN text. */
void xml_escape_n(FILE *out, const char *s, size_t len);
void xml_escape(FILE *out, const char *s);

/* The same for a block of text we formatted ourselves (a <pre>, a JUnit
 * failure body): its line breaks stay line breaks.  Dump strings inside
 * it must already have their control bytes escaped (print_escaped). */
void xml_escape_block(FILE *out, const char *s, size_t len);

/* The inside of a DOT double-quoted string: " and \ escaped (a lone
 * backslash would start a DOT label escape such as \N), control bytes
 * as \\x1b text. */
void dot_escape(FILE *out, const char *s);

/* "" or "s", for counts in words. */
const char *plural(size_t n);

/* "text" with control characters escaped. */
void print_quoted(FILE *out, const char *s);

#endif
