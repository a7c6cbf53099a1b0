/* SPDX-License-Identifier: MIT */
/* Dies of one fatal signal, CRASH_SIG (meson builds one program per
 * signal: crash_segv, crash_bus, ...), while a thread "waiter" is blocked
 * on a condition variable nobody signals.  Under the shim the dump must
 * show that wait, and the process must die of the same signal as without
 * it.  Reaching the end of main is a bug in the program (exit 99). */
#include "scen.h"
#include <signal.h>
#include <sys/mman.h>

#ifndef CRASH_SIG
#error "build with -DCRASH_SIG=SIGxxx"
#endif

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
static atomic_int ready, waiter_tid;

static void *waiter(void *arg)
{
    scen_name("waiter");
    CHECK(pthread_mutex_lock(&m));
    atomic_store(&waiter_tid, scen_gettid());
    atomic_store(&ready, 1);
    for (;;)
        CHECK(pthread_cond_wait(&c, &m)); /* never signalled */
    return arg;
}

static void crash(void)
{
#if CRASH_SIG == SIGSEGV
    volatile int *volatile p = NULL;
    *p = 1;
#elif CRASH_SIG == SIGBUS
    /* a page past the end of an empty file */
    int fd = memfd_create("crash_bus", MFD_CLOEXEC);
    if (fd < 0)
        scen_die("memfd_create: %s", strerror(errno));
    volatile char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED)
        scen_die("mmap: %s", strerror(errno));
    p[0] = 1;
#elif CRASH_SIG == SIGFPE
    volatile int zero = 0, one = 1;
    volatile int r = one / zero;
    (void)r;
#elif CRASH_SIG == SIGILL
    __builtin_trap();
#elif CRASH_SIG == SIGABRT
    abort();
#else
    raise(CRASH_SIG);
#endif
}

int main(void)
{
    pthread_t t;
    /* A shell starts background jobs with SIGINT and SIGQUIT ignored: ask
     * for the default action, which is what this program is about. */
    signal(CRASH_SIG, SIG_DFL);
    CHECK(pthread_create(&t, NULL, waiter, NULL));
    scen_wait_blocked(&ready, &waiter_tid);
    crash();
    scen_die("survived signal %d", CRASH_SIG);
}
