/* SPDX-License-Identifier: MIT */
/* A frame, for every output.  As text, symbolized when a symbolizer is
 * given:
 *   worker_loop at /src/pool.c:42 (server+0x1248)
 * else as the dump has it (dump_print_frame: function, else module+offset,
 * else the address).  For the machine-readable formats, split into parts
 * (function, source position, module and offset) and never named by raw
 * address, which changes from run to run with ASLR.  Source positions come
 * from the symbolizer (symbolize.h) when it is on and finds them. */
#ifndef ASLEEP_FRAME_H
#define ASLEEP_FRAME_H

#include <stddef.h>
#include <stdio.h>

#include "dump.h"
#include "symbolize.h"

/* One line's worth, no newline: the innermost location of the frame. */
void frame_text_print(FILE *out, const struct dump *d, const struct dump_frame *f, struct symbolizer *sym);

/* One line per frame, "INDENT#N frame"; a frame with inlined calls gets
 * one line per call, innermost first, marked "[inlined]" but the last.
 * At most max_frames frames (0: all), then "INDENT... N more frames". */
void frame_text_stack(FILE *out, const struct dump *d, const struct dump_stack *s, struct symbolizer *sym,
                      const char *indent, size_t max_frames);

struct frame_sym {
	const char *function; /* without any "+0x1f"; NULL when unknown */
	size_t function_len;
	const char *file;   /* source file when known, else NULL */
	long line;          /* with file; 0 when unknown */
	const char *module; /* basename of the module path, or NULL */
	const char *module_path;
	const char *offset; /* "0x..." within the module, or NULL */
};

/* sym may be NULL (symbolization off): the dump's own names are used. */
void frame_sym_get(struct symbolizer *sym, const struct dump *d, const struct dump_frame *f, struct frame_sym *s);

/* One line naming the frame as the text report does (frame.h),
 * control bytes escaped; malloc'd, NULL when out of memory. */
char *frame_label(struct symbolizer *sym, const struct dump *d, const struct dump_frame *f);

/* The frame's identity for fingerprints: function, else module+offset,
 * else "?"; addresses never take part. */
void frame_key_write(FILE *out, const struct frame_sym *s);

/* The frame a finding is best located at: in its site, else the stack
 * of its first thread, else the first lock-order edge's acquisition,
 * else the first thread's creation stack: there the first frame with a
 * source line, else with a function in the program itself, else with a
 * function, else the top one.  NULL when none. */
const struct dump_frame *finding_top_frame(struct symbolizer *sym, const struct dump *d, const struct dump_finding *f);

#endif
