/* SPDX-License-Identifier: MIT */
/* Reading and validating asleep dumps.
 *
 * On failure the functions return -1 and write one printable line to err:
 * "FILE: JSON.PATH: what is wrong", or "FILE:LINE:COL: invalid JSON: ..."
 * for syntax errors.  The caller adds the program name. */
#ifndef ASLEEP_LOAD_H
#define ASLEEP_LOAD_H

#include <stddef.h>

#include "dump.h"

/* The schema this analyzer reads. */
#define DUMP_SCHEMA_PREFIX "asleep-dump/"
#define DUMP_SCHEMA_VERSION 1

/* Room for a PATH_MAX file name and the longest message. */
#define LOAD_ERR_MAX 5120

/* Parses buf (len bytes, need not be NUL-terminated); name is used in
 * messages and kept as dump->file. */
int dump_load_buffer(const char *name, const char *buf, size_t len, struct dump **out, char *err, size_t errlen);

/* Reads and parses the file at path (any readable non-directory). */
int dump_load_file(const char *path, struct dump **out, char *err, size_t errlen);

#endif
