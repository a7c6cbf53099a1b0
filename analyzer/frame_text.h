/* SPDX-License-Identifier: MIT */
/* Frames and stacks as text, symbolized when a symbolizer is given:
 *   worker_loop at /src/pool.c:42 (server+0x1248)
 * else as the dump has them (dump_print_frame: function, else
 * module+offset, else the address). */
#ifndef ASLEEP_FRAME_TEXT_H
#define ASLEEP_FRAME_TEXT_H

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

#endif
