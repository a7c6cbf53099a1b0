/* SPDX-License-Identifier: MIT */
/* Verdict: AB/BA where A is a recursive mutex (t1 takes it twice) and B an
 * error-checking one: still a 2-step mutex cycle. */
#include "scen.h"

static pthread_mutex_t a, b;
static pthread_barrier_t bar;

static void *t1(void *arg)
{
    scen_name("t1");
    CHECK(pthread_mutex_lock(&a));
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
    pthread_mutexattr_t ra, ea;
    pthread_t x, y;
    CHECK(pthread_mutexattr_init(&ra));
    CHECK(pthread_mutexattr_settype(&ra, PTHREAD_MUTEX_RECURSIVE));
    CHECK(pthread_mutexattr_init(&ea));
    CHECK(pthread_mutexattr_settype(&ea, PTHREAD_MUTEX_ERRORCHECK));
    CHECK(pthread_mutex_init(&a, &ra));
    CHECK(pthread_mutex_init(&b, &ea));
    CHECK(pthread_barrier_init(&bar, NULL, 2));
    CHECK(pthread_create(&x, NULL, t1, NULL));
    CHECK(pthread_create(&y, NULL, t2, NULL));
    CHECK(pthread_join(x, NULL));
    CHECK(pthread_join(y, NULL));
    scen_die("joined deadlocked threads");
}
