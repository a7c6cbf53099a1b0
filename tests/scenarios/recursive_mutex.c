/* SPDX-License-Identifier: MIT */
/* No verdict: a recursive mutex locked several levels deep by one thread while
 * another thread waits for it. */
#include "scen.h"

static pthread_mutex_t m;
static pthread_barrier_t bar;
static int value;

static int nested(int depth)
{
    CHECK(pthread_mutex_lock(&m));
    int r = depth == 0 ? value : nested(depth - 1) + 1;
    CHECK(pthread_mutex_unlock(&m));
    return r;
}

static void *other(void *arg)
{
    scen_name("other");
    pthread_barrier_wait(&bar);
    CHECK(pthread_mutex_lock(&m));       /* waits until main unlocks fully */
    if (value != 42)
        scen_die("other saw value %d", value);
    if (nested(5) != 47)
        scen_die("nested in other");
    value = 43;
    CHECK(pthread_mutex_unlock(&m));
    return arg;
}

int main(void)
{
    pthread_mutexattr_t at;
    pthread_t t;
    CHECK(pthread_mutexattr_init(&at));
    CHECK(pthread_mutexattr_settype(&at, PTHREAD_MUTEX_RECURSIVE));
    CHECK(pthread_mutex_init(&m, &at));
    CHECK(pthread_barrier_init(&bar, NULL, 2));
    CHECK(pthread_create(&t, NULL, other, NULL));

    CHECK(pthread_mutex_lock(&m));
    CHECK(pthread_mutex_lock(&m));
    CHECK(pthread_mutex_lock(&m));
    pthread_barrier_wait(&bar);
    EXPECT_RC(pthread_mutex_trylock(&m), 0);
    if (nested(10) != 10)
        scen_die("nested in main");
    value = 42;
    for (int i = 0; i < 4; i++)
        CHECK(pthread_mutex_unlock(&m));
    CHECK(pthread_join(t, NULL));
    if (value != 43)
        scen_die("value %d after join", value);
    EXPECT_RC(pthread_mutex_unlock(&m), EPERM);
    CHECK(pthread_mutex_destroy(&m));
    return 0;
}
