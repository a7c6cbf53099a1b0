/* SPDX-License-Identifier: MIT */
/* No verdict: 400 short-lived threads (a quarter detached), created in waves
 * of 50, each taking a shared mutex; the detached ones report completion
 * through a counter and a condition variable; main waits until they are gone. */
#include "scen.h"

#define WAVES 8
#define PER_WAVE 50

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t done_cv = PTHREAD_COND_INITIALIZER;
static long counter, detached_done;
static pid_t detached_tids[WAVES * PER_WAVE];

static void *job(void *arg)
{
    int detached = (int)(long)arg;
    CHECK(pthread_mutex_lock(&m));
    counter++;
    if (detached) {
        detached_tids[detached_done++] = scen_gettid();
        CHECK(pthread_cond_signal(&done_cv));
    }
    CHECK(pthread_mutex_unlock(&m));
    return NULL;
}

int main(void)
{
    pthread_attr_t det;
    long want_detached = 0;
    CHECK(pthread_attr_init(&det));
    CHECK(pthread_attr_setdetachstate(&det, PTHREAD_CREATE_DETACHED));
    for (int w = 0; w < WAVES; w++) {
        pthread_t t[PER_WAVE];
        int joinable[PER_WAVE];
        for (int i = 0; i < PER_WAVE; i++) {
            joinable[i] = i % 4 != 0;
            if (joinable[i]) {
                CHECK(pthread_create(&t[i], NULL, job, (void *)0L));
            } else {
                CHECK(pthread_create(&t[i], &det, job, (void *)1L));
                want_detached++;
            }
        }
        for (int i = 0; i < PER_WAVE; i++)
            if (joinable[i])
                CHECK(pthread_join(t[i], NULL));
    }
    CHECK(pthread_mutex_lock(&m));
    while (detached_done < want_detached)
        CHECK(pthread_cond_wait(&done_cv, &m));
    CHECK(pthread_mutex_unlock(&m));
    /* a detached thread that has signalled may still be on its way out: wait
     * until the kernel has reaped them all, so none is alive at exit */
    double limit = scen_now(CLOCK_MONOTONIC) + 10.0;
    for (long i = 0; i < want_detached; i++) {
        char path[64];
        snprintf(path, sizeof path, "/proc/self/task/%d", (int)detached_tids[i]);
        while (access(path, F_OK) == 0) {
            if (scen_now(CLOCK_MONOTONIC) > limit)
                scen_die("detached thread %d never went away", (int)detached_tids[i]);
            sched_yield();
        }
    }
    if (counter != WAVES * PER_WAVE)
        scen_die("counter %ld", counter);
    return 0;
}
