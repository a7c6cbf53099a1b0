/* SPDX-License-Identifier: MIT */
/* Small helpers shared by the scenario programs in tests/scenarios.
 *
 * A scenario prints nothing and exits 0 when it behaves as designed; on an
 * unexpected result it prints one line "scenario NAME: ..." on stderr and exits
 * 99, so that the harness can tell a broken program from a shim verdict.
 * Threads are ordered with barriers, condition variables and pipes, never with
 * sleeps. */
#ifndef ASLEEP_SCEN_H
#define ASLEEP_SCEN_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#define SCEN_FAIL_STATUS 99

__attribute__((format(printf, 1, 2), noreturn, unused))
static void scen_die(const char *fmt, ...)
{
    extern char *program_invocation_short_name;
    va_list ap;
    fprintf(stderr, "scenario %s: ", program_invocation_short_name);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    _exit(SCEN_FAIL_STATUS);
}

/* For pthread_* calls that return an error number. */
#define CHECK(call)                                                          \
    do {                                                                     \
        int check_rc_ = (call);                                              \
        if (check_rc_ != 0)                                                  \
            scen_die("%s:%d: %s: %s", __FILE__, __LINE__, #call,             \
                     strerror(check_rc_));                                   \
    } while (0)

/* For calls that return -1 and set errno. */
#define CHECK_ERRNO(call)                                                    \
    do {                                                                     \
        if ((call) == -1)                                                    \
            scen_die("%s:%d: %s: %s", __FILE__, __LINE__, #call,             \
                     strerror(errno));                                       \
    } while (0)

/* The expected result of a call that returns an error number. */
#define EXPECT_RC(call, want)                                                \
    do {                                                                     \
        int expect_rc_ = (call);                                             \
        if (expect_rc_ != (want))                                            \
            scen_die("%s:%d: %s returned %d (%s), expected %s",             \
                     __FILE__, __LINE__, #call, expect_rc_,                  \
                     strerror(expect_rc_), #want);                           \
    } while (0)

static inline pid_t scen_gettid(void)
{
    return (pid_t)syscall(SYS_gettid);
}

static inline void scen_name(const char *name)
{
    CHECK(pthread_setname_np(pthread_self(), name));
}

static inline double scen_now(clockid_t clk)
{
    struct timespec ts;
    clock_gettime(clk, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* An absolute deadline `sec` seconds from now on clock `clk`. */
static inline struct timespec scen_deadline(clockid_t clk, double sec)
{
    struct timespec ts;
    clock_gettime(clk, &ts);
    long ns = (long)((sec - (double)(long)sec) * 1e9);
    ts.tv_sec += (time_t)sec;
    ts.tv_nsec += ns;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    return ts;
}

/* The scheduler state letter of thread `tid` of this process ('R', 'S', ...). */
static inline char scen_task_state(pid_t tid)
{
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/self/task/%d/stat", (int)tid);
    FILE *f = fopen(path, "r");
    if (!f)
        return '?';
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    char *p = strrchr(buf, ')');
    return (p && p[1] == ' ') ? p[2] : '?';
}

/* Wait (without sleeping) until `*ready` is set by the thread `*tid` right
 * before a blocking call, and then until the kernel shows that thread asleep:
 * after this the thread is inside the blocking call. */
static inline void scen_wait_blocked(atomic_int *ready, atomic_int *tid)
{
    double limit = scen_now(CLOCK_MONOTONIC) + 10.0;
    while (!atomic_load(ready)) {
        if (scen_now(CLOCK_MONOTONIC) > limit)
            scen_die("thread never became ready");
        sched_yield();
    }
    for (;;) {
        char s = scen_task_state((pid_t)atomic_load(tid));
        if (s == 'S' || s == 'D')
            return;
        if (scen_now(CLOCK_MONOTONIC) > limit)
            scen_die("thread %d never blocked (state %c)", atomic_load(tid), s);
        sched_yield();
    }
}

/* Leaves a line "KEY VALUE" in ./NAME.notes (NAME: the program) for the
 * harness, which runs each program in a fresh directory: a dump shows an fd
 * only as a number, and only the program knows which channel that is.  Run
 * by hand (no ASLEEP_TEST_DUMP_DIR), it leaves nothing behind. */
static inline void scen_note(const char *key, long value)
{
    extern char *program_invocation_short_name;
    char path[256];
    if (!getenv("ASLEEP_TEST_DUMP_DIR"))
        return;
    snprintf(path, sizeof path, "%s.notes", program_invocation_short_name);
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0)
        scen_die("open %s: %s", path, strerror(errno));
    if (dprintf(fd, "%s %ld\n", key, value) < 0)
        scen_die("write %s: %s", path, strerror(errno));
    close(fd);
}

#endif
