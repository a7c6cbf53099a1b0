/* SPDX-License-Identifier: MIT */
/* Verdict: a detached thread is blocked forever in a condition wait when main
 * returns 7. A detached thread still alive at exit is leaked too. */
#include "scen.h"

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t go_cv = PTHREAD_COND_INITIALIZER;
static pthread_cond_t ready_cv = PTHREAD_COND_INITIALIZER;
static int ready, go;

static void *daemon_thread(void *arg)
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
    pthread_attr_t at;
    CHECK(pthread_attr_init(&at));
    CHECK(pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED));
    CHECK(pthread_create(&t, &at, daemon_thread, NULL));
    CHECK(pthread_mutex_lock(&m));
    while (!ready)
        CHECK(pthread_cond_wait(&ready_cv, &m));
    CHECK(pthread_mutex_unlock(&m));
    return 7;
}
