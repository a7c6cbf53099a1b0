/* SPDX-License-Identifier: MIT */
/* No verdict: a correct pool of 4 workers fed through a bounded queue guarded
 * by a mutex and two condition variables; 10000 jobs; clean shutdown. */
#include "scen.h"

#define WORKERS 4
#define JOBS 10000
#define QCAP 64

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t not_empty = PTHREAD_COND_INITIALIZER;
static pthread_cond_t not_full = PTHREAD_COND_INITIALIZER;
static pthread_cond_t all_done = PTHREAD_COND_INITIALIZER;
static unsigned queue[QCAP];
static int head, count, shutting_down;
static unsigned long results, done_jobs;

static unsigned long work(unsigned job)
{
    unsigned long h = job;
    for (int i = 0; i < 100; i++)
        h = h * 6364136223846793005UL + 1442695040888963407UL;
    return h >> 33;
}

static void *worker(void *arg)
{
    char name[16];
    snprintf(name, sizeof name, "worker%d", (int)(long)arg);
    scen_name(name);
    unsigned long mine = 0, n = 0;
    for (;;) {
        CHECK(pthread_mutex_lock(&m));
        while (count == 0 && !shutting_down)
            CHECK(pthread_cond_wait(&not_empty, &m));
        if (count == 0 && shutting_down) {
            results += mine;
            done_jobs += n;
            CHECK(pthread_cond_signal(&all_done));
            CHECK(pthread_mutex_unlock(&m));
            return NULL;
        }
        unsigned job = queue[head];
        head = (head + 1) % QCAP;
        count--;
        CHECK(pthread_cond_signal(&not_full));
        CHECK(pthread_mutex_unlock(&m));
        mine += work(job);
        n++;
    }
}

int main(void)
{
    pthread_t t[WORKERS];
    for (long i = 0; i < WORKERS; i++)
        CHECK(pthread_create(&t[i], NULL, worker, (void *)i));
    unsigned long want = 0;
    for (unsigned j = 0; j < JOBS; j++) {
        want += work(j);
        CHECK(pthread_mutex_lock(&m));
        while (count == QCAP)
            CHECK(pthread_cond_wait(&not_full, &m));
        queue[(head + count) % QCAP] = j;
        count++;
        CHECK(pthread_cond_signal(&not_empty));
        CHECK(pthread_mutex_unlock(&m));
    }
    CHECK(pthread_mutex_lock(&m));
    shutting_down = 1;
    CHECK(pthread_cond_broadcast(&not_empty));
    CHECK(pthread_mutex_unlock(&m));
    for (int i = 0; i < WORKERS; i++)
        CHECK(pthread_join(t[i], NULL));
    if (done_jobs != JOBS || results != want)
        scen_die("ran %lu jobs (want %d), sum %lu (want %lu)", done_jobs, JOBS, results, want);
    return 0;
}
