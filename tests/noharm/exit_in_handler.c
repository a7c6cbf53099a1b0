/* SPDX-License-Identifier: MIT */
/* SIGALRM's handler calls _exit(0) while the main thread allocates and frees
 * in a loop (so the signal often lands inside malloc) and a second thread
 * waits.  Must exit 0 at once, every time: the exit may not wait for a lock
 * the interrupted code holds. */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/time.h>
#include <unistd.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;

static void on_alarm(int sig)
{
    (void)sig;
    _exit(0);
}

static void *idle(void *arg)
{
    pthread_mutex_lock(&m);
    for (;;)
        pthread_cond_wait(&c, &m);
    return arg;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, idle, NULL);
    signal(SIGALRM, on_alarm);
    struct itimerval it = { { 0, 0 }, { 0, 20000 } };
    setitimer(ITIMER_REAL, &it, NULL);
    for (unsigned long i = 0;; i++)
        free(malloc(16 + i % 4096));
}
