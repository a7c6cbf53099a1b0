/* SPDX-License-Identifier: MIT */
/* A join cycle, run natively: t1 joins t2, t2 joins t1; main joins t1.
 * Deadlocked for good. */
#include <pthread.h>
#include <stdatomic.h>
#include <sched.h>

static pthread_t t1, t2;
static atomic_int ready;

static void *joins_other(void *arg)
{
    while (atomic_load(&ready) < 2) /* both pthread_t are known */
        sched_yield();
    pthread_join(arg ? t2 : t1, NULL);
    return NULL;
}

int main(void)
{
    pthread_create(&t1, NULL, joins_other, (void *)1);
    atomic_fetch_add(&ready, 1);
    pthread_create(&t2, NULL, joins_other, NULL);
    atomic_fetch_add(&ready, 1);
    pthread_join(t1, NULL);
    return 1;
}
