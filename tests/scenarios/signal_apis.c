/* SPDX-License-Identifier: MIT */
/* No harm, same answers: the old signal APIs (signal, bsd_signal,
 * sysv_signal, sigset) report SIG_DFL as the old action of a fatal signal
 * the program left alone (where the shim keeps its dump handler), run the
 * handlers they install, and keep their own semantics: sysv_signal's handler
 * is reset once delivered, sigset(SIG_HOLD) blocks and answers SIG_HOLD. */
#include "scen.h"

#include <signal.h>

#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

extern __sighandler_t bsd_signal(int, __sighandler_t); /* not declared with _GNU_SOURCE */

typedef __sighandler_t (*api_fn)(int, __sighandler_t);

static volatile sig_atomic_t ran;

static void on_signal(int sig)
{
    (void)sig;
    ran++;
}

static __sighandler_t disposition(int sig)
{
    struct sigaction o;
    CHECK_ERRNO(sigaction(sig, NULL, &o));
    return o.sa_handler;
}

static void check_api(const char *name, api_fn api)
{
    __sighandler_t old = api(SIGSEGV, on_signal);
    if (old != SIG_DFL)
        scen_die("%s(SIGSEGV): old action %p, want SIG_DFL", name, (void *)old);
    if ((old = api(SIGSEGV, SIG_DFL)) != on_signal)
        scen_die("%s(SIGSEGV, SIG_DFL): old action %p, want the handler", name, (void *)old);
    if (disposition(SIGSEGV) != SIG_DFL)
        scen_die("%s: SIGSEGV is not SIG_DFL afterwards", name);
    ran = 0;
    api(SIGUSR1, on_signal);
    raise(SIGUSR1);
    if (ran != 1)
        scen_die("%s: the handler ran %d times, want 1", name, (int)ran);
    __sighandler_t now = disposition(SIGUSR1);
    if (api == sysv_signal ? now != SIG_DFL : now != on_signal)
        scen_die("%s: SIGUSR1's action after delivery is %p", name, (void *)now);
    api(SIGUSR1, SIG_DFL);
}

int main(void)
{
    check_api("signal", signal);
    check_api("bsd_signal", bsd_signal);
    check_api("sysv_signal", sysv_signal);
    check_api("sigset", sigset);
    __sighandler_t r;
    if ((r = sigset(SIGUSR2, SIG_HOLD)) != SIG_DFL)
        scen_die("sigset(SIGUSR2, SIG_HOLD): %p, want SIG_DFL", (void *)r);
    if ((r = sigset(SIGUSR2, SIG_HOLD)) != SIG_HOLD)
        scen_die("sigset(SIGUSR2, SIG_HOLD) again: %p, want SIG_HOLD", (void *)r);
    ran = 0;
    raise(SIGUSR2); /* held: pending until unblocked */
    if (ran != 0)
        scen_die("a held SIGUSR2 ran its handler");
    if ((r = sigset(SIGUSR2, on_signal)) != SIG_HOLD)
        scen_die("sigset(SIGUSR2, handler) after SIG_HOLD: %p, want SIG_HOLD", (void *)r);
    if (ran != 1)
        scen_die("the pending SIGUSR2 ran its handler %d times once unblocked, want 1", (int)ran);
    return 0;
}
