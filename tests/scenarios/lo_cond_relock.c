/* SPDX-License-Identifier: MIT */
/* pthread_cond_wait gives its mutex up and takes it back before returning:
 * taking it back is a blocking acquisition like any other.  t1 holds M,
 * gets X with a try-lock (no order), and waits on a condition with M: when
 * woken it re-acquires M while holding X, the order X -> M.  t2 later takes M
 * then X.  t1 waiting to get M back while t2 holds M and wants X is a
 * deadlock: reported. */
#include "lo_common.h"

static pthread_mutex_t M = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t X = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int go; /* under M */
static atomic_int waiting, waiter_tid;

static void *waiter(void *arg)
{
    (void)arg;
    scen_name("t1");
    scen_note("tid_t1", (long)scen_gettid());
    atomic_store(&waiter_tid, (int)scen_gettid());
    CHECK(pthread_mutex_lock(&M));
    EXPECT_RC(pthread_mutex_trylock(&X), 0);
    atomic_store(&waiting, 1);
    while (!go)
        CHECK(pthread_cond_wait(&cv, &M));
    CHECK(pthread_mutex_unlock(&X));
    CHECK(pthread_mutex_unlock(&M));
    return NULL;
}

static void m_then_x(void *arg)
{
    (void)arg;
    CHECK(pthread_mutex_lock(&M));
    CHECK(pthread_mutex_lock(&X));
    CHECK(pthread_mutex_unlock(&X));
    CHECK(pthread_mutex_unlock(&M));
}

int main(void)
{
    lo_note_lock("M", &M);
    lo_note_lock("X", &X);
    pthread_t t;
    CHECK(pthread_create(&t, NULL, waiter, NULL));
    scen_wait_blocked(&waiting, &waiter_tid); /* in pthread_cond_wait */
    CHECK(pthread_mutex_lock(&M));
    go = 1;
    CHECK(pthread_cond_signal(&cv));
    CHECK(pthread_mutex_unlock(&M));
    CHECK(pthread_join(t, NULL));
    lo_run("t2", m_then_x, NULL);
    return 0;
}
