/* SPDX-License-Identifier: MIT */
/* Trap, run natively: a thread in a timed condition wait (it times out
 * again and again until the file argv[1] exists), main joins it; then
 * "done" and exit 0.  A timed wait never makes a verdict. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
static const char *go;

static void *waiter(void *arg)
{
    pthread_mutex_lock(&m);
    while (access(go, F_OK) != 0) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_sec += 1;
        pthread_cond_timedwait(&c, &m, &ts);
    }
    pthread_mutex_unlock(&m);
    return arg;
}

int main(int argc, char **argv)
{
    pthread_t t;
    if (argc != 2)
        return 2;
    go = argv[1];
    pthread_create(&t, NULL, waiter, NULL);
    pthread_join(t, NULL);
    printf("done\n");
    return 0;
}
