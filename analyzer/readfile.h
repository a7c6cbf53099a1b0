/* SPDX-License-Identifier: MIT */
/* Whole-file reads for dumps and suppression files. */
#ifndef ASLEEP_READFILE_H
#define ASLEEP_READFILE_H

#include <stddef.h>

/* The largest input read (--max-input-size): 256 MiB unless changed. */
#define READ_MAX_DEFAULT ((size_t)256 << 20)
extern size_t read_max_bytes;

/* Reads the regular file path into a malloc'd buffer, NUL-terminated (the
 * NUL is not counted in *len).  Anything else (a FIFO, a device) and files
 * larger than read_max_bytes are refused.  On failure writes "PATH: reason"
 * to err and returns -1. */
int read_whole_file(const char *path, char **buf, size_t *len, char *err, size_t errlen);

#endif
