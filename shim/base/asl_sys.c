/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "asl_sys.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <time.h>

int asl_sys_write_all(int fd, const void *buf, size_t n)
{
	const char *p = buf;
	while (n > 0) {
		ssize_t w = REAL(write)(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

ssize_t asl_sys_read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	size_t got = 0;
	while (got + 1 < len) {
		ssize_t n = asl_sys_read(fd, buf + got, len - 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	asl_sys_close(fd);
	buf[got] = '\0';
	return (ssize_t)got;
}

void asl_str_cat(char *dst, size_t len, const char *s)
{
	size_t n = strlen(dst);
	while (*s && n + 1 < len)
		dst[n++] = *s++;
	dst[n] = '\0';
}

void asl_str_cat_int(char *dst, size_t len, long v)
{
	char b[24];
	int i = sizeof b - 1;
	b[i] = '\0';
	unsigned long u = v < 0 ? 0ul - (unsigned long)v : (unsigned long)v;
	do {
		b[--i] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		b[--i] = '-';
	asl_str_cat(dst, len, b + i);
}

uint64_t asl_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}
