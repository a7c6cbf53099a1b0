/* Whole-file reads for dumps and suppression files. */
#ifndef ASLEEP_READFILE_H
#define ASLEEP_READFILE_H

#include <stddef.h>

/* Reads path into a malloc'd buffer, NUL-terminated (the NUL is not counted
 * in *len).  Works on pipes too (st_size is only a hint).  On failure
 * writes "PATH: reason" to err and returns -1. */
int read_whole_file(const char *path, char **buf, size_t *len, char *err, size_t errlen);

#endif
