/* SPDX-License-Identifier: MIT */
/* Source file names from DWARF, made readable: a build directory joined
 * with "../src/x.c" reads "/repo/build/../src/x.c"; shown as "/repo/src/x.c". */
#ifndef ASLEEP_SYM_PATH_H
#define ASLEEP_SYM_PATH_H

#include <stddef.h>

/* Strings made here, freed together. */
struct sym_strings {
	char **s;
	size_t n, cap;
};

/* path with "/./" and "dir/../" removed (textually: the build tree is gone
 * or elsewhere, so no symlinks are resolved).  Returns path itself when
 * there is nothing to remove or memory runs out, NULL for NULL. */
const char *sym_clean_path(struct sym_strings *pool, const char *path);

/* file cleaned, and joined to dir (the compilation directory) when file
 * is relative and dir absolute. */
const char *sym_join_path(struct sym_strings *pool, const char *dir, const char *file);

/* A copy of s kept in the pool (NULL when out of memory). */
const char *sym_keep(struct sym_strings *pool, const char *s);

void sym_strings_free(struct sym_strings *pool);

#endif
