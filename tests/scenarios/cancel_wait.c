/* SPDX-License-Identifier: MIT */
/* No verdict: threads blocked in pthread_cond_wait and sem_wait are cancelled
 * and joined; the cond waiter's cleanup handler unlocks the mutex, so nothing
 * is abandoned and main can lock it afterwards. */
#include "scen.h"
#include <semaphore.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
static pthread_cond_t ready_cv = PTHREAD_COND_INITIALIZER;
static sem_t never;
static int ready, flag;
static atomic_int sem_ready, sem_tid;

static void unlock_m(void *arg)
{
    (void)arg;
    pthread_mutex_unlock(&m);
}

static void *cond_waiter(void *arg)
{
    scen_name("condwaiter");
    CHECK(pthread_mutex_lock(&m));
    pthread_cleanup_push(unlock_m, NULL);
    ready = 1;
    CHECK(pthread_cond_signal(&ready_cv));
    while (!flag)
        CHECK(pthread_cond_wait(&c, &m));
    pthread_cleanup_pop(1);
    scen_die("cond waiter was not cancelled");
    return arg;
}

static void *sem_waiter(void *arg)
{
    scen_name("semwaiter");
    atomic_store(&sem_tid, scen_gettid());
    atomic_store(&sem_ready, 1);
    while (sem_wait(&never) == -1 && errno == EINTR)
        ;
    scen_die("sem waiter was not cancelled");
    return arg;
}

int main(void)
{
    pthread_t a, b;
    void *ret;
    CHECK_ERRNO(sem_init(&never, 0, 0));
    for (int round = 0; round < 20; round++) {
        ready = 0;
        atomic_store(&sem_ready, 0);
        CHECK(pthread_create(&a, NULL, cond_waiter, NULL));
        CHECK(pthread_create(&b, NULL, sem_waiter, NULL));
        CHECK(pthread_mutex_lock(&m));
        while (!ready)
            CHECK(pthread_cond_wait(&ready_cv, &m));
        CHECK(pthread_mutex_unlock(&m));   /* a is inside pthread_cond_wait */
        scen_wait_blocked(&sem_ready, &sem_tid);
        CHECK(pthread_cancel(a));
        CHECK(pthread_cancel(b));
        CHECK(pthread_join(a, &ret));
        if (ret != PTHREAD_CANCELED)
            scen_die("cond waiter not cancelled");
        CHECK(pthread_join(b, &ret));
        if (ret != PTHREAD_CANCELED)
            scen_die("sem waiter not cancelled");
        EXPECT_RC(pthread_mutex_trylock(&m), 0);
        CHECK(pthread_mutex_unlock(&m));
    }
    return 0;
}
