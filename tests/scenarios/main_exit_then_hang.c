/* SPDX-License-Identifier: MIT */
/* Verdict: main calls pthread_exit; the one remaining thread then waits on a
 * condition variable nobody can signal. All asleep with one thread, and main
 * is not among the sleepers. */
#include "scen.h"

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
static int flag;
static pthread_t main_thread;

static void *orphan(void *arg)
{
    scen_name("orphan");
    CHECK(pthread_join(main_thread, NULL));   /* main is gone after this */
    CHECK(pthread_mutex_lock(&m));
    while (!flag)
        CHECK(pthread_cond_wait(&c, &m));
    scen_die("orphan woke up");
    return arg;
}

int main(void)
{
    pthread_t t;
    main_thread = pthread_self();
    CHECK(pthread_create(&t, NULL, orphan, NULL));
    pthread_exit(NULL);
}
