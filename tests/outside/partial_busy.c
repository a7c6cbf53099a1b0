/* SPDX-License-Identifier: MIT */
/* A partial deadlock, run natively: t1 and t2 take A and B in opposite
 * orders and hang; main computes on (until killed).  A deadlock, but not
 * every thread is asleep. */
#include <pthread.h>
#include <stdatomic.h>
#include <sched.h>

static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;
static atomic_int holding;

static void *take(void *first)
{
    pthread_mutex_t *x = first ? &a : &b, *y = first ? &b : &a;
    pthread_mutex_lock(x);
    atomic_fetch_add(&holding, 1);
    while (atomic_load(&holding) < 2)
        sched_yield();
    pthread_mutex_lock(y);
    return NULL;
}

int main(void)
{
    pthread_t t1, t2;
    volatile unsigned long v = 1;
    pthread_create(&t1, NULL, take, &a);
    pthread_create(&t2, NULL, take, NULL);
    for (;;)
        v = v * 2862933555777941757UL + 3037000493UL;
}
