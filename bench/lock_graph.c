/* SPDX-License-Identifier: MIT */
/* The lock-order graph at scale: N heap mutexes walked hand over hand
 * (L0 then L1, L1 then L2, ...): N locks and N-1 lock-order edges, one
 * consistent order.  Prints "<locks> locks <edges> edges <ns> ns <KB> kB"
 * (wall time of the walk, peak RSS). */
#include "bench.h"

#include <pthread.h>

int main(int argc, char **argv)
{
    long n = bench_iters(argc, argv, 1000000);
    pthread_mutex_t *l = calloc((size_t)n, sizeof *l);
    if (!l || n < 2)
        return 1;
    for (long i = 0; i < n; i++)
        bench_check(pthread_mutex_init(&l[i], NULL), "pthread_mutex_init");
    long long t0 = bench_now_ns();
    for (long i = 0; i + 1 < n; i++) {
        bench_check(pthread_mutex_lock(&l[i]), "lock");
        bench_check(pthread_mutex_lock(&l[i + 1]), "lock");
        bench_check(pthread_mutex_unlock(&l[i + 1]), "unlock");
        bench_check(pthread_mutex_unlock(&l[i]), "unlock");
    }
    long long ns = bench_now_ns() - t0;
    printf("%ld locks %ld edges %lld ns %ld kB\n", n, n - 1, ns, bench_peak_kb());
    free(l);
    return 0;
}
