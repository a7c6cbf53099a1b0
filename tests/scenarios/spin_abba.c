/* SPDX-License-Identifier: MIT */
/* Verdict: AB/BA deadlock with pthread spin locks (the two threads spin, they
 * never sleep); main joins them. */
#include "scen.h"

static pthread_spinlock_t a, b;
static pthread_barrier_t bar;

static void *t1(void *arg)
{
    scen_name("t1");
    CHECK(pthread_spin_lock(&a));
    pthread_barrier_wait(&bar);
    CHECK(pthread_spin_lock(&b));
    scen_die("t1 got both locks");
    return arg;
}

static void *t2(void *arg)
{
    scen_name("t2");
    CHECK(pthread_spin_lock(&b));
    pthread_barrier_wait(&bar);
    CHECK(pthread_spin_lock(&a));
    scen_die("t2 got both locks");
    return arg;
}

int main(void)
{
    pthread_t x, y;
    CHECK(pthread_spin_init(&a, PTHREAD_PROCESS_PRIVATE));
    CHECK(pthread_spin_init(&b, PTHREAD_PROCESS_PRIVATE));
    CHECK(pthread_barrier_init(&bar, NULL, 2));
    CHECK(pthread_create(&x, NULL, t1, NULL));
    CHECK(pthread_create(&y, NULL, t2, NULL));
    CHECK(pthread_join(x, NULL));
    CHECK(pthread_join(y, NULL));
    scen_die("joined deadlocked threads");
}
