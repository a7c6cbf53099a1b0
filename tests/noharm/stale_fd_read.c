/* SPDX-License-Identifier: MIT */
/* A pipe end closed other than by close() (fclose of an fdopen'd stream,
 * close_range, closefrom, freopen of its stream), its number then reused
 * for a regular file (by open(), or by freopen itself, which keeps the
 * number): read() must read the file as it would without the shim.  Before
 * the shim heard of those closes, a stale "pipe" entry made it try the read with
 * RWF_NOWAIT, which returns only the cached part of a file: here the first
 * page, of the 64 KiB asked for.  Prints one line per way; run natively
 * and under the shim by run_noharm.sh, which compares the two. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char buf[1 << 20];
static FILE *reopened; /* freopen's stream, closed with fclose */

/* Closes the pipe end fd one way; returns the file when that way opened it
 * at fd's number (freopen), else -1. */
static int close_behind(int way, int fd, const char *path)
{
    FILE *f;
    switch (way) {
    case 0:
        if (!(f = fdopen(fd, "r")) || fclose(f) != 0)
            exit(2);
        return -1;
    case 1:
        if (close_range((unsigned)fd, (unsigned)fd, 0) != 0)
            exit(2);
        return -1;
    case 2:
        closefrom(fd); /* the pipe's other end, above it, too */
        return -1;
    default: /* glibc keeps the stream's fd number */
        if (!(f = fdopen(fd, "r")) || !(reopened = freopen(path, "r", f)))
            exit(2);
        return fileno(reopened);
    }
}

int main(int argc, char **argv)
{
    const char *ways[] = { "fclose", "close_range", "closefrom", "freopen" };
    const int nways = (int)(sizeof ways / sizeof ways[0]);
    char path[4096];
    snprintf(path, sizeof path, "%s/stale_fd_read.dat", argc > 1 ? argv[1] : ".");
    memset(buf, 'x', sizeof buf);
    for (int round = 0; round < 2; round++) {
        for (int way = 0; way < nways; way++) {
            int w = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0600);
            if (w < 0 || write(w, buf, sizeof buf) != (ssize_t)sizeof buf || fsync(w) != 0 || close(w) != 0)
                return 2;
            int p[2];
            if (pipe(p) != 0)
                return 2;
            int file = close_behind(way, p[0], path);
            if (file < 0)
                file = open(path, O_RDONLY); /* the lowest free number: the pipe's */
            int aux = open(path, O_RDONLY);
            if (file < 0 || aux < 0)
                return 2;
            /* Only the first page in the page cache. */
            posix_fadvise(aux, 0, 0, POSIX_FADV_DONTNEED);
            posix_fadvise(aux, 0, 0, POSIX_FADV_RANDOM);
            posix_fadvise(file, 0, 0, POSIX_FADV_RANDOM);
            if (pread(aux, buf, 4096, 0) != 4096)
                return 2;
            ssize_t n = read(file, buf, 65536);
            printf("%s: the file %s the pipe's number; read %zd of 65536\n", ways[way],
                   file == p[0] ? "took" : "did not take", n);
            if (reopened)
                fclose(reopened);
            else
                close(file);
            reopened = NULL;
            close(aux);
            if (way != 2)
                close(p[1]);
        }
    }
    unlink(path);
    return 0;
}
