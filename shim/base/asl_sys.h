/* SPDX-License-Identifier: MIT */
/* The shim's own I/O: straight to libc's functions through the real-function
 * table, never through the shim's interposers, and usable in a signal
 * handler (no allocation, no locks).  asl_str_* build strings without stdio,
 * for the same reason. */
#ifndef ASL_SYS_H
#define ASL_SYS_H

#include "asl_real.h"

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

static inline ssize_t asl_sys_read(int fd, void *buf, size_t n)
{
	return REAL(read)(fd, buf, n);
}

static inline int asl_sys_close(int fd)
{
	return REAL(close)(fd);
}

/* Writes all of buf (retrying short writes and EINTR); 0 or -1. */
int asl_sys_write_all(int fd, const void *buf, size_t n);

/* Reads a small file whole into buf (NUL-terminated); the length or -1. */
ssize_t asl_sys_read_file(const char *path, char *buf, size_t len);

/* CLOCK_MONOTONIC in nanoseconds. */
uint64_t asl_now_ns(void);

/* Appends s (or the number v) to the NUL-terminated string dst of size len,
 * cutting what does not fit. */
void asl_str_cat(char *dst, size_t len, const char *s);
void asl_str_cat_int(char *dst, size_t len, long v);

#endif
