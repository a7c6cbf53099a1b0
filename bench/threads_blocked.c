/* SPDX-License-Identifier: MIT */
/* Memory per thread: N threads blocked on one mutex that main holds.  Once
 * every one of them sleeps in the kernel, prints the process's peak RSS:
 * "<N> threads <KB> kB".  bench/scale runs it natively and under the shim. */
#define _GNU_SOURCE
#include "bench.h"

#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static atomic_int started;

static void *body(void *arg)
{
    atomic_fetch_add(&started, 1);
    pthread_mutex_lock(&m);
    pthread_mutex_unlock(&m);
    return arg;
}

/* Threads of this process asleep in the kernel (state S). */
static int sleeping(void)
{
    char cmd[64];
    snprintf(cmd, sizeof cmd, "grep -l '^State:.*S' /proc/%d/task/*/status | wc -l", (int)getpid());
    FILE *p = popen(cmd, "r");
    int n = 0;
    if (p) {
        if (fscanf(p, "%d", &n) != 1)
            n = 0;
        pclose(p);
    }
    return n;
}

int main(int argc, char **argv)
{
    long n = bench_iters(argc, argv, 1000);
    pthread_t *t = calloc((size_t)n, sizeof *t);
    if (!t)
        return 1;
    bench_check(pthread_mutex_lock(&m), "pthread_mutex_lock");
    for (long i = 0; i < n; i++)
        bench_check(pthread_create(&t[i], NULL, body, NULL), "pthread_create");
    while (atomic_load(&started) < n || sleeping() < n) {
        struct timespec ts = { 0, 20 * 1000000L };
        nanosleep(&ts, NULL);
    }
    printf("%ld threads %ld kB\n", n, bench_peak_kb());
    fflush(stdout);
    bench_check(pthread_mutex_unlock(&m), "pthread_mutex_unlock");
    for (long i = 0; i < n; i++)
        bench_check(pthread_join(t[i], NULL), "pthread_join");
    free(t);
    return 0;
}
