/* SPDX-License-Identifier: MIT */
/* Offline symbolization of dump frames with elfutils' libdw: function,
 * source file and line, inlined calls included, from the module files the
 * dump names (or their separate debug info), checked against the dump's
 * build-ids so that a rebuilt binary never yields wrong lines.
 *
 * Shared by every output format: they call symbolize_frame() and print
 * what is known, falling back to the dump's own function name, then to
 * module+offset (dump_print_frame does the fallbacks for text). */
#ifndef ASLEEP_SYMBOLIZE_H
#define ASLEEP_SYMBOLIZE_H

#include <stdbool.h>
#include <stddef.h>

#include "dump.h"

/* Inlined calls shown per frame, at most. */
#define SYM_MAX_INLINE 8

/* One source location: function may be known without file and line. */
struct sym_loc {
	const char *function; /* NULL when unknown */
	const char *file;     /* NULL when unknown (no line table) */
	int line;             /* 0 when unknown */
};

/* What is known about one frame.  locs[0] is the innermost call (an
 * inlined function when the compiler inlined one), locs[n-1] the function
 * the code really belongs to.  n == 0: nothing beyond the dump itself.
 * Strings live as long as the symbolizer. */
struct sym_frame {
	size_t n;
	struct sym_loc locs[SYM_MAX_INLINE];
};

struct symbolizer;

/* NULL only when out of memory.  Nothing is opened until needed. */
struct symbolizer *symbolizer_new(void);
void symbolizer_free(struct symbolizer *s);

/* Symbolizes frame f of dump d.  Frames in asleep dumps are return
 * addresses (the shim drops its own frames, so even #0 is the return into
 * the hooked call's caller): the call's line is found at offset - 1.
 * Never fails: an unreadable, missing or mismatched module gives n == 0.
 * s may be NULL (symbolization off): n == 0. */
void symbolize_frame(struct symbolizer *s, const struct dump *d, const struct dump_frame *f, struct sym_frame *out);

/* Where the symbols of a module come from, for messages and tests:
 * the module file, its /usr/lib/debug/.build-id file, or none. */
enum sym_source { SYM_SOURCE_NONE, SYM_SOURCE_FILE, SYM_SOURCE_DEBUG_FILE };
enum sym_source symbolize_module_source(struct symbolizer *s, const struct dump *d, long long module);

/* Where separate debug files are looked up ("/usr/lib/debug" unless
 * changed; tests point it elsewhere).  dir is copied. */
int symbolizer_set_debug_dir(struct symbolizer *s, const char *dir);

#endif
