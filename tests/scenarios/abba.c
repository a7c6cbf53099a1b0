/* SPDX-License-Identifier: MIT */
/* Verdict: AB/BA deadlock between t1 and t2; main joins them. Expect all-asleep
 * plus a 2-step mutex cycle. */
#include "scen.h"

static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t b = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t bar;

static void *t1(void *arg)
{
    scen_name("t1");
    CHECK(pthread_mutex_lock(&a));
    pthread_barrier_wait(&bar);
    CHECK(pthread_mutex_lock(&b));
    scen_die("t1 got both locks");
    return arg;
}

static void *t2(void *arg)
{
    scen_name("t2");
    CHECK(pthread_mutex_lock(&b));
    pthread_barrier_wait(&bar);
    CHECK(pthread_mutex_lock(&a));
    scen_die("t2 got both locks");
    return arg;
}

int main(void)
{
    pthread_t x, y;
    CHECK(pthread_barrier_init(&bar, NULL, 2));
    CHECK(pthread_create(&x, NULL, t1, NULL));
    CHECK(pthread_create(&y, NULL, t2, NULL));
    CHECK(pthread_join(x, NULL));
    CHECK(pthread_join(y, NULL));
    scen_die("joined deadlocked threads");
}
