/* SPDX-License-Identifier: MIT */
/* Two inversions, A/B (t1, t2) and C/D (t3, t4), each seen many times, made
 * by the same lines: one bug, reported once, as one finding for both. */
#include "lo_common.h"

static pthread_mutex_t A = PTHREAD_MUTEX_INITIALIZER, B = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t C = PTHREAD_MUTEX_INITIALIZER, D = PTHREAD_MUTEX_INITIALIZER;

struct pair {
    pthread_mutex_t *x, *y;
};

static void take_pair_often(void *arg)
{
    struct pair *p = arg;
    for (int i = 0; i < 100; i++) {
        CHECK(pthread_mutex_lock(p->x));
        CHECK(pthread_mutex_lock(p->y));
        CHECK(pthread_mutex_unlock(p->y));
        CHECK(pthread_mutex_unlock(p->x));
    }
}

int main(void)
{
    lo_note_lock("A", &A);
    lo_note_lock("B", &B);
    lo_note_lock("C", &C);
    lo_note_lock("D", &D);
    struct pair ab = {&A, &B}, ba = {&B, &A}, cd = {&C, &D}, dc = {&D, &C};
    lo_run("t1", take_pair_often, &ab);
    lo_run("t2", take_pair_often, &ba);
    lo_run("t1b", take_pair_often, &ab);
    lo_run("t3", take_pair_often, &cd);
    lo_run("t4", take_pair_often, &dc);
    lo_run("t2b", take_pair_often, &ba);
    return 0;
}
