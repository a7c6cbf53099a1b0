/* SPDX-License-Identifier: MIT */
/* No verdict: a thread sits in sigwait(SIGUSR1); main waits on a condition
 * variable that the sigwait thread signals once SIGUSR1 arrives. A forked
 * child sends SIGUSR1 after ~0.7 s. */
#include "scen.h"
#include <signal.h>
#include <sys/wait.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
static int got_signal;
static sigset_t set;

static void *sigwaiter(void *arg)
{
    scen_name("sigwaiter");
    int sig = 0;
    CHECK(sigwait(&set, &sig));
    if (sig != SIGUSR1)
        scen_die("sigwait returned %d", sig);
    CHECK(pthread_mutex_lock(&m));
    got_signal = 1;
    CHECK(pthread_cond_signal(&c));
    CHECK(pthread_mutex_unlock(&m));
    return arg;
}

int main(void)
{
    pthread_t t;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    CHECK(pthread_sigmask(SIG_BLOCK, &set, NULL));   /* inherited by all threads */
    CHECK(pthread_create(&t, NULL, sigwaiter, NULL));

    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == -1)
        scen_die("fork: %s", strerror(errno));
    if (pid == 0) {
        struct timespec d = {0, 700 * 1000 * 1000};
        nanosleep(&d, NULL);   /* the scenario is about an outside wake-up */
        kill(parent, SIGUSR1);
        _exit(0);
    }

    CHECK(pthread_mutex_lock(&m));
    while (!got_signal)
        CHECK(pthread_cond_wait(&c, &m));
    CHECK(pthread_mutex_unlock(&m));
    CHECK(pthread_join(t, NULL));
    int st;
    if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
        scen_die("child failed");
    return 0;
}
