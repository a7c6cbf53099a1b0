/* SPDX-License-Identifier: MIT */
/* No verdict: a pool of 4 workers sleeps on one eventfd (EFD_SEMAPHORE: one
 * post wakes one read) between jobs; main posts 2000 jobs through a
 * mutex-guarded queue, one eventfd write each, then a shutdown; everything is
 * joined. Half-way, main computes for over a second while every worker sleeps
 * on the eventfd: all threads but main are asleep, and main is running. */
#include "scen.h"
#include <stdbool.h>
#include <stdint.h>
#include <sys/eventfd.h>

#define WORKERS 4
#define JOBS 2000

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static int queue[JOBS], head, tail, stop; /* guarded by m */
static long done, sum;                    /* guarded by m */
static int efd;
static atomic_int tids[WORKERS];

static long work(int job)
{
    return (long)job * job % 7919;
}

static void efd_wait(void)
{
    uint64_t v;
    ssize_t n;
    while ((n = read(efd, &v, sizeof v)) != (ssize_t)sizeof v)
        if (n != -1 || errno != EINTR)
            scen_die("eventfd read returned %zd: %s", n, strerror(errno));
}

static void efd_post(uint64_t v)
{
    ssize_t n;
    while ((n = write(efd, &v, sizeof v)) != (ssize_t)sizeof v)
        if (n != -1 || errno != EINTR)
            scen_die("eventfd write returned %zd: %s", n, strerror(errno));
}

static void *worker(void *arg)
{
    int me = (int)(long)arg;
    char name[16];
    snprintf(name, sizeof name, "worker%d", me);
    scen_name(name);
    atomic_store(&tids[me], scen_gettid());
    for (;;) {
        CHECK(pthread_mutex_lock(&m));
        if (head < tail) {
            int job = queue[head++];
            CHECK(pthread_mutex_unlock(&m));
            long r = work(job);
            CHECK(pthread_mutex_lock(&m));
            done++;
            sum += r;
            CHECK(pthread_mutex_unlock(&m));
            continue;
        }
        int quit = stop;
        CHECK(pthread_mutex_unlock(&m));
        if (quit)
            return NULL;
        efd_wait(); /* a token per job; extra tokens only cost a loop */
    }
}

static void post_jobs(int from, int to)
{
    for (int i = from; i < to; i++) {
        CHECK(pthread_mutex_lock(&m));
        queue[tail++] = i;
        CHECK(pthread_mutex_unlock(&m));
        efd_post(1);
    }
}

static long done_now(void)
{
    CHECK(pthread_mutex_lock(&m));
    long d = done;
    CHECK(pthread_mutex_unlock(&m));
    return d;
}

static bool all_workers_asleep(void)
{
    for (int i = 0; i < WORKERS; i++) {
        int tid = atomic_load(&tids[i]);
        if (tid == 0 || scen_task_state((pid_t)tid) != 'S')
            return false;
    }
    return true;
}

int main(void)
{
    pthread_t t[WORKERS];
    CHECK_ERRNO(efd = eventfd(0, EFD_CLOEXEC | EFD_SEMAPHORE));
    for (long i = 0; i < WORKERS; i++)
        CHECK(pthread_create(&t[i], NULL, worker, (void *)i));
    post_jobs(0, JOBS / 2);

    /* Computing, not sleeping: wait until the first half is done and every
     * worker sleeps on the eventfd, then go on computing for 1.2 s, longer
     * than the default grace_ms, while they stay asleep. */
    double limit = scen_now(CLOCK_MONOTONIC) + 10.0;
    while (done_now() != JOBS / 2 || !all_workers_asleep()) {
        if (scen_now(CLOCK_MONOTONIC) > limit)
            scen_die("the pool never went idle (%ld jobs done)", done_now());
        sched_yield();
    }
    double until = scen_now(CLOCK_MONOTONIC) + 1.2;
    volatile unsigned long spin = 0;
    while (scen_now(CLOCK_MONOTONIC) < until)
        spin++;
    if (!all_workers_asleep())
        scen_die("a worker woke while main computed");

    post_jobs(JOBS / 2, JOBS);
    CHECK(pthread_mutex_lock(&m));
    stop = 1;
    CHECK(pthread_mutex_unlock(&m));
    efd_post(WORKERS); /* one token per worker */
    for (int i = 0; i < WORKERS; i++)
        CHECK(pthread_join(t[i], NULL));

    long want = 0;
    for (int i = 0; i < JOBS; i++)
        want += work(i);
    if (done != JOBS || sum != want || head != JOBS)
        scen_die("done %ld/%d, sum %ld/%ld", done, JOBS, sum, want);
    return 0;
}
