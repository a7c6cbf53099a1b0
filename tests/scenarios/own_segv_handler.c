/* SPDX-License-Identifier: MIT */
/* A program with its own SIGSEGV handler keeps it: the handler runs (and
 * jumps back), nothing is dumped by the shim, and sigaction/signal report
 * SIG_DFL as the previous action where the program had set nothing, as
 * without the shim.  Exits 0. */
#include "scen.h"
#include <setjmp.h>
#include <signal.h>

static sigjmp_buf env;
static volatile sig_atomic_t hits;

static void on_segv(int sig, siginfo_t *si, void *uc)
{
    (void)sig;
    (void)si;
    (void)uc;
    hits++;
    siglongjmp(env, 1);
}

static void expect_default(int sig, const char *when)
{
    struct sigaction q;
    CHECK_ERRNO(sigaction(sig, NULL, &q));
    if (q.sa_handler != SIG_DFL || (q.sa_flags & SA_SIGINFO))
        scen_die("%s: signal %d's action is not SIG_DFL", when, sig);
}

static void *idle(void *arg)
{
    return arg;
}

int main(void)
{
    pthread_t t;
    CHECK(pthread_create(&t, NULL, idle, NULL));
    CHECK(pthread_join(t, NULL));
    expect_default(SIGSEGV, "at start");
    if (signal(SIGBUS, SIG_DFL) != SIG_DFL)
        scen_die("signal(SIGBUS) did not return SIG_DFL");

    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    CHECK_ERRNO(sigaction(SIGSEGV, &sa, &old));
    if (old.sa_handler != SIG_DFL || (old.sa_flags & SA_SIGINFO))
        scen_die("the previous SIGSEGV action is not SIG_DFL");
    if (sigsetjmp(env, 1) == 0) {
        volatile int *volatile p = NULL;
        *p = 1;
        scen_die("no fault");
    }
    if (hits != 1)
        scen_die("handler ran %d times", (int)hits);

    /* back to the default: what the program sees is SIG_DFL again */
    CHECK_ERRNO(sigaction(SIGSEGV, &old, NULL));
    expect_default(SIGSEGV, "after restoring");
    return 0;
}
