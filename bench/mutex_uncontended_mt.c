/* SPDX-License-Identifier: MIT */
/* One thread locks and unlocks one mutex while a second thread exists (and
 * sleeps): glibc then takes its atomic path, as in any threaded program. */
#include <pthread.h>
#include <unistd.h>
#include "bench.h"

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static int done[2];

static void *idle(void *arg)
{
    char c;
    if (read(done[0], &c, 1) < 0)   /* until main is finished */
        return arg;
    return arg;
}

int main(int argc, char **argv)
{
    long n = bench_iters(argc, argv, 30000000);
    pthread_t t;
    if (pipe(done) != 0)
        bench_check(errno, "pipe");
    bench_check(pthread_create(&t, NULL, idle, NULL), "pthread_create");
    for (long i = 0; i < n / 10; i++) {   /* warm-up */
        pthread_mutex_lock(&m);
        pthread_mutex_unlock(&m);
    }
    long long t0 = bench_now_ns();
    for (long i = 0; i < n; i++) {
        pthread_mutex_lock(&m);
        pthread_mutex_unlock(&m);
    }
    long long t1 = bench_now_ns();
    bench_report("mutex-uncontended-mt", t1 - t0, n);
    if (write(done[1], "x", 1) != 1)
        return 1;
    pthread_join(t, NULL);
    return 0;
}
