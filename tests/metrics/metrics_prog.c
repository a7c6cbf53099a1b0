/* SPDX-License-Identifier: MIT */
/* For the metrics test: four threads made by start_blockers() block on a
 * mutex main holds; main waits (timed sleeps) for the file named by argv[1]
 * to appear, then lets them go, joins them and exits 0. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

static void *blocker(void *arg)
{
    pthread_setname_np(pthread_self(), "blocker");
    pthread_mutex_lock(&m);
    pthread_mutex_unlock(&m);
    return arg;
}

__attribute__((noinline)) void start_blockers(pthread_t *t, int n)
{
    for (int i = 0; i < n; i++)
        if (pthread_create(&t[i], NULL, blocker, NULL) != 0)
            _exit(98);
}

int main(int argc, char **argv)
{
    pthread_t t[4];
    if (argc != 2)
        return 2;
    pthread_mutex_lock(&m);
    start_blockers(t, 4);
    for (int i = 0; i < 6000 && access(argv[1], F_OK) != 0; i++) {
        struct timespec ts = {0, 10 * 1000000L};
        nanosleep(&ts, NULL);
    }
    pthread_mutex_unlock(&m);
    for (int i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
    return 0;
}
