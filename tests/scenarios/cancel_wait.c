/* SPDX-License-Identifier: MIT */
/* No verdict: threads blocked in pthread_cond_wait, sem_wait and a pipe
 * read are cancelled and joined; the cond waiter's cleanup handler unlocks
 * the mutex, so nothing is abandoned and main can lock it afterwards.  A
 * read with data ready still acts on a pending cancellation (read is a
 * cancellation point, whatever the shim tries first), and the cleanup
 * handler it runs is tracked as usual. */
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

static int empty[2], full[2];
static atomic_int pipe_ready, pipe_tid;
static pthread_mutex_t pm = PTHREAD_MUTEX_INITIALIZER;

static void *pipe_waiter(void *arg)
{
    scen_name("pipewaiter");
    char c;
    atomic_store(&pipe_tid, scen_gettid());
    atomic_store(&pipe_ready, 1);
    while (read(empty[0], &c, 1) == -1 && errno == EINTR)
        ;
    scen_die("pipe waiter was not cancelled");
    return arg;
}

static void unlock_pm(void *arg)
{
    (void)arg;
    pthread_mutex_unlock(&pm);
}

/* Cancelled at a read that would not block: the cancellation is pending
 * (main cancelled it while it was disabled) when the read starts. */
static void *pending_reader(void *arg)
{
    scen_name("pendingreader");
    char c;
    CHECK(pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, NULL));
    CHECK(pthread_mutex_lock(&pm));
    pthread_cleanup_push(unlock_pm, NULL);
    atomic_store(&pipe_ready, 2);
    while (atomic_load(&pipe_ready) != 3) /* main has called pthread_cancel */
        sched_yield();
    CHECK(pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, NULL));
    (void)!read(full[0], &c, 1);
    pthread_cleanup_pop(1);
    scen_die("the reader with data ready was not cancelled");
    return arg;
}

static void pipe_rounds(void)
{
    pthread_t t;
    void *ret;
    CHECK_ERRNO(pipe(empty));
    CHECK_ERRNO(pipe(full));
    for (int round = 0; round < 10; round++) {
        atomic_store(&pipe_ready, 0);
        CHECK(pthread_create(&t, NULL, pipe_waiter, NULL));
        scen_wait_blocked(&pipe_ready, &pipe_tid);
        CHECK(pthread_cancel(t));
        CHECK(pthread_join(t, &ret));
        if (ret != PTHREAD_CANCELED)
            scen_die("pipe waiter not cancelled");
        if (write(full[1], "x", 1) != 1)
            scen_die("write: %s", strerror(errno));
        atomic_store(&pipe_ready, 0);
        CHECK(pthread_create(&t, NULL, pending_reader, NULL));
        while (atomic_load(&pipe_ready) != 2)
            sched_yield();
        CHECK(pthread_cancel(t));
        atomic_store(&pipe_ready, 3);
        CHECK(pthread_join(t, &ret));
        if (ret != PTHREAD_CANCELED)
            scen_die("reader with data ready not cancelled");
        EXPECT_RC(pthread_mutex_trylock(&pm), 0);
        CHECK(pthread_mutex_unlock(&pm));
        char c;
        if (read(full[0], &c, 1) != 1) /* the byte the cancelled read left */
            scen_die("the cancelled read took the byte");
    }
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
    pipe_rounds();
    return 0;
}
