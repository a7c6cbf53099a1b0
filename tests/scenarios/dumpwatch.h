/* SPDX-License-Identifier: MIT */
/* Waiting, inside a scenario program, for the shim's dumps to appear in
 * $ASLEEP_TEST_DUMP_DIR (inotify, no sleeps): a program that must know the
 * shim has looked (a long-wait reported, a few periodic dumps written)
 * blocks here.  Without the variable (run without the shim) there is
 * nothing to wait for and the calls return at once. */
#ifndef ASLEEP_DUMPWATCH_H
#define ASLEEP_DUMPWATCH_H

#include "scen.h"
#include <sys/inotify.h>

struct dumpwatch {
    int fd;          /* -1: no dump dir */
    const char *dir;
    long last_seq;   /* the highest dump seq of this process seen */
};

static inline void dumpwatch_open(struct dumpwatch *w)
{
    w->dir = getenv("ASLEEP_TEST_DUMP_DIR");
    w->fd = -1;
    w->last_seq = -1;
    if (!w->dir || !*w->dir)
        return;
    CHECK_ERRNO(w->fd = inotify_init1(IN_CLOEXEC));
    CHECK_ERRNO(inotify_add_watch(w->fd, w->dir, IN_MOVED_TO));
}

/* Does the file contain `needle`? (a dump is renamed into place whole) */
static inline int dumpwatch_has(const char *path, const char *needle)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return 0; /* already deleted (an old periodic dump) */
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    size_t r;
    while (buf && (r = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += r;
        if (n + 1 == cap)
            buf = realloc(buf, cap *= 2);
    }
    fclose(f);
    if (!buf)
        scen_die("out of memory");
    buf[n] = '\0';
    int found = strstr(buf, needle) != NULL;
    free(buf);
    return found;
}

/* Blocks until `count` new dumps of this process containing `needle` have
 * appeared. */
static inline void dumpwatch_wait(struct dumpwatch *w, const char *needle, int count)
{
    char ev[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
    while (w->fd >= 0 && count > 0) {
        ssize_t len = read(w->fd, ev, sizeof ev);
        if (len < 0 && errno == EINTR)
            continue;
        if (len <= 0)
            scen_die("inotify read: %s", strerror(errno));
        for (char *p = ev; p < ev + len;) {
            struct inotify_event *e = (struct inotify_event *)p;
            long pid, seq;
            char path[4096];
            int used = -1;
            if (e->len && sscanf(e->name, "asleep.%ld.%ld.json%n", &pid, &seq, &used) == 2 && used > 0 &&
                e->name[used] == '\0' && pid == (long)getpid()) {
                if (seq > w->last_seq)
                    w->last_seq = seq;
                snprintf(path, sizeof path, "%s/%s", w->dir, e->name);
                if (count > 0 && dumpwatch_has(path, needle))
                    count--;
            }
            p += sizeof *e + e->len;
        }
    }
}

#define DUMP_REASON(r) "\"reason\": \"" r "\""

#endif
