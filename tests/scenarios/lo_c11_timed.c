/* SPDX-License-Identifier: MIT */
/* C11 threads, the unreported side: t1 takes mtx A then B; t2 holds B and
 * takes A only with mtx_timedlock (finite) or mtx_trylock, which never wait
 * forever: not reported. */
#include "lo_common.h"

#include <threads.h>

static mtx_t A, B;

static void must(int rc, const char *what)
{
    if (rc != thrd_success)
        scen_die("%s failed (%d)", what, rc);
}

static int a_then_b(void *arg)
{
    (void)arg;
    must(mtx_lock(&A), "mtx_lock A");
    must(mtx_lock(&B), "mtx_lock B");
    must(mtx_unlock(&B), "mtx_unlock B");
    must(mtx_unlock(&A), "mtx_unlock A");
    return 0;
}

static int b_then_timed_a(void *arg)
{
    (void)arg;
    must(mtx_lock(&B), "mtx_lock B");
    struct timespec d = scen_deadline(CLOCK_REALTIME, 1.0);
    must(mtx_timedlock(&A, &d), "mtx_timedlock A");
    must(mtx_unlock(&A), "mtx_unlock A");
    must(mtx_trylock(&A), "mtx_trylock A");
    must(mtx_unlock(&A), "mtx_unlock A");
    must(mtx_unlock(&B), "mtx_unlock B");
    return 0;
}

static void run_c11(thrd_start_t fn)
{
    thrd_t t;
    if (thrd_create(&t, fn, NULL) != thrd_success || thrd_join(t, NULL) != thrd_success)
        scen_die("thrd_create/thrd_join failed");
}

int main(void)
{
    must(mtx_init(&A, mtx_timed), "mtx_init A");
    must(mtx_init(&B, mtx_plain), "mtx_init B");
    run_c11(a_then_b);
    run_c11(b_then_timed_a);
    mtx_destroy(&A);
    mtx_destroy(&B);
    return 0;
}
