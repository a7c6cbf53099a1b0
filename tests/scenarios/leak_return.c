/* SPDX-License-Identifier: MIT */
/* Verdict: a thread is blocked forever in a condition wait when main returns
 * 7. Expect exit status 7 and a leaked-thread finding naming "stuck". */
#include "scen.h"

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t go_cv = PTHREAD_COND_INITIALIZER;
static pthread_cond_t ready_cv = PTHREAD_COND_INITIALIZER;
static int ready, go;

static void *leaker(void *arg)
{
    scen_name("stuck");
    CHECK(pthread_mutex_lock(&m));
    ready = 1;
    CHECK(pthread_cond_signal(&ready_cv));
    while (!go)
        CHECK(pthread_cond_wait(&go_cv, &m));
    scen_die("stuck thread woke up");
    return arg;
}

int main(void)
{
    pthread_t t;
    CHECK(pthread_create(&t, NULL, leaker, NULL));
    /* Once main holds m with ready set, leaker is inside pthread_cond_wait. */
    CHECK(pthread_mutex_lock(&m));
    while (!ready)
        CHECK(pthread_cond_wait(&ready_cv, &m));
    CHECK(pthread_mutex_unlock(&m));
    return 7;
}
