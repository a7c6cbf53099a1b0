/* SPDX-License-Identifier: MIT */
/* Verdict: AB/BA deadlock with C11 threads (mtx_t / thrd_t / cnd_t). */
#include "scen.h"
#include <threads.h>

static mtx_t a, b, gate;
static cnd_t gate_cv;
static int arrived;

/* A two-party barrier out of C11 primitives. */
static void meet(void)
{
    if (mtx_lock(&gate) != thrd_success)
        scen_die("mtx_lock gate");
    if (++arrived == 2) {
        cnd_broadcast(&gate_cv);
    } else {
        while (arrived < 2)
            if (cnd_wait(&gate_cv, &gate) != thrd_success)
                scen_die("cnd_wait");
    }
    mtx_unlock(&gate);
}

static int t1(void *arg)
{
    (void)arg;
    scen_name("t1");
    if (mtx_lock(&a) != thrd_success)
        scen_die("t1 lock a");
    meet();
    mtx_lock(&b);
    scen_die("t1 got both locks");
}

static int t2(void *arg)
{
    (void)arg;
    scen_name("t2");
    if (mtx_lock(&b) != thrd_success)
        scen_die("t2 lock b");
    meet();
    mtx_lock(&a);
    scen_die("t2 got both locks");
}

int main(void)
{
    thrd_t x, y;
    if (mtx_init(&a, mtx_plain) != thrd_success || mtx_init(&b, mtx_plain) != thrd_success ||
        mtx_init(&gate, mtx_plain) != thrd_success || cnd_init(&gate_cv) != thrd_success)
        scen_die("init");
    if (thrd_create(&x, t1, NULL) != thrd_success || thrd_create(&y, t2, NULL) != thrd_success)
        scen_die("thrd_create");
    thrd_join(x, NULL);
    thrd_join(y, NULL);
    scen_die("joined deadlocked threads");
}
