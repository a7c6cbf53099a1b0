/* SPDX-License-Identifier: MIT */
/* No verdict: the only thread waits in sem_wait; only a SIGALRM handler
 * (alarm(1)) posts the semaphore. */
#include "scen.h"
#include <semaphore.h>
#include <signal.h>

static sem_t s;
static volatile sig_atomic_t fired;

static void on_alarm(int sig)
{
    (void)sig;
    fired = 1;
    sem_post(&s);   /* async-signal-safe */
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigemptyset(&sa.sa_mask);
    CHECK_ERRNO(sigaction(SIGALRM, &sa, NULL));
    CHECK_ERRNO(sem_init(&s, 0, 0));
    alarm(1);
    while (sem_wait(&s) == -1) {
        if (errno != EINTR)
            scen_die("sem_wait: %s", strerror(errno));
    }
    if (!fired)
        scen_die("woke without the alarm");
    return 0;
}
