/* SPDX-License-Identifier: MIT */
/* The lock-order graph at scale: N heap mutexes walked hand over hand
 * (L0 then L1, L1 then L2, ...), each held while the next F are taken one
 * by one (bench-lock-graph N [F], F 1 by default): N locks and about N*F
 * lock-order edges, one consistent order.  Prints "<locks> locks <edges>
 * edges <ns> ns <KB> kB" (wall time of the walk, peak RSS). */
#include "bench.h"

#include <pthread.h>

int main(int argc, char **argv)
{
    long n = bench_iters(argc, argv, 1000000), f = argc > 2 ? atol(argv[2]) : 1, edges = 0;
    pthread_mutex_t *l = calloc((size_t)n, sizeof *l);
    if (!l || n < 2 || f < 1 || f >= n) {
        fprintf(stderr, "usage: %s [LOCKS [FANOUT]] (LOCKS >= 2, 1 <= FANOUT < LOCKS)\n", argv[0]);
        return 2;
    }
    for (long i = 0; i < n; i++)
        bench_check(pthread_mutex_init(&l[i], NULL), "pthread_mutex_init");
    long long t0 = bench_now_ns();
    for (long i = 0; i + 1 < n; i++) {
        bench_check(pthread_mutex_lock(&l[i]), "lock");
        for (long j = i + 1; j <= i + f && j < n; j++, edges++) {
            bench_check(pthread_mutex_lock(&l[j]), "lock");
            bench_check(pthread_mutex_unlock(&l[j]), "unlock");
        }
        bench_check(pthread_mutex_unlock(&l[i]), "unlock");
    }
    long long ns = bench_now_ns() - t0;
    printf("%ld locks %ld edges %lld ns %ld kB\n", n, edges, ns, bench_peak_kb());
    free(l);
    return 0;
}
