/* SPDX-License-Identifier: MIT */
#include "readfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "escape.h"

static int fail(const char *path, const char *what, char *err, size_t errlen)
{
	snprintf(err, errlen, "%s: %s", path, what);
	sanitize_line(err);
	return -1;
}

size_t read_max_bytes = READ_MAX_DEFAULT;

int read_whole_file(const char *path, char **bufp, size_t *lenp, char *err, size_t errlen)
{
	struct stat st;
	size_t cap, len = 0;
	char *buf, *nbuf;
	ssize_t n;
	int fd, saved;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK); /* a FIFO must not block the open */
	if (fd < 0)
		return fail(path, strerror(errno), err, errlen);
	if (fstat(fd, &st) < 0) {
		saved = errno;
		close(fd);
		return fail(path, strerror(saved), err, errlen);
	}
	if (S_ISDIR(st.st_mode)) {
		close(fd);
		return fail(path, "is a directory", err, errlen);
	}
	/* A FIFO would wait forever for a writer, /dev/zero never ends: only
	 * regular files, and only up to the cap. */
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return fail(path, "is not a regular file", err, errlen);
	}
	if ((unsigned long long)st.st_size > read_max_bytes) {
		char what[128];
		close(fd);
		snprintf(what, sizeof what, "is larger than the input cap of %zu bytes (--max-input-size)",
		         read_max_bytes);
		return fail(path, what, err, errlen);
	}
	cap = st.st_size > 0 ? (size_t)st.st_size + 1 : 4096;
	buf = malloc(cap);
	if (!buf) {
		close(fd);
		return fail(path, "out of memory", err, errlen);
	}
	for (;;) {
		if (len + 1 >= cap) {
			nbuf = cap < SIZE_MAX / 2 ? realloc(buf, cap * 2) : NULL;
			if (!nbuf) {
				free(buf);
				close(fd);
				return fail(path, "out of memory", err, errlen);
			}
			buf = nbuf;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			saved = errno;
			free(buf);
			close(fd);
			return fail(path, strerror(saved), err, errlen);
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > read_max_bytes) { /* it grew while we read */
			char what[128];
			free(buf);
			close(fd);
			snprintf(what, sizeof what, "is larger than the input cap of %zu bytes (--max-input-size)",
			         read_max_bytes);
			return fail(path, what, err, errlen);
		}
	}
	close(fd);
	buf[len] = '\0';
	*bufp = buf;
	*lenp = len;
	return 0;
}
