/* SPDX-License-Identifier: MIT */
/* Five philosophers, 1000 meals each, all at the table at once; each takes
 * the left fork then the right one.  A semaphore with 4 seats keeps one of
 * them out, so they never deadlock, but the fork orders form a 5-cycle: one
 * lock-order-inversion with 5 edges (and nothing else). */
#include "lo_common.h"

#include <semaphore.h>

#define N 5
#define MEALS 1000

static pthread_mutex_t fork_[N];
static sem_t seats;
static pthread_barrier_t start;
static long meals[N];

static void *philosopher(void *arg)
{
    int i = (int)(intptr_t)arg;
    char name[16];
    snprintf(name, sizeof name, "phil%d", i);
    scen_name(name);
    snprintf(name, sizeof name, "tid_phil%d", i);
    scen_note(name, (long)scen_gettid());
    pthread_mutex_t *left = &fork_[i], *right = &fork_[(i + 1) % N];
    pthread_barrier_wait(&start);
    for (int k = 0; k < MEALS; k++) {
        while (sem_wait(&seats) != 0)
            if (errno != EINTR)
                scen_die("sem_wait: %s", strerror(errno));
        CHECK(pthread_mutex_lock(left));
        CHECK(pthread_mutex_lock(right));
        meals[i]++;
        CHECK(pthread_mutex_unlock(right));
        CHECK(pthread_mutex_unlock(left));
        CHECK_ERRNO(sem_post(&seats));
    }
    return NULL;
}

int main(void)
{
    pthread_t t[N];
    char name[16];
    CHECK_ERRNO(sem_init(&seats, 0, N - 1));
    CHECK(pthread_barrier_init(&start, NULL, N));
    for (int i = 0; i < N; i++) {
        CHECK(pthread_mutex_init(&fork_[i], NULL));
        snprintf(name, sizeof name, "fork%d", i);
        lo_note_lock(name, &fork_[i]);
    }
    for (int i = 0; i < N; i++)
        CHECK(pthread_create(&t[i], NULL, philosopher, (void *)(intptr_t)i));
    for (int i = 0; i < N; i++)
        CHECK(pthread_join(t[i], NULL));
    for (int i = 0; i < N; i++)
        if (meals[i] != MEALS)
            scen_die("philosopher %d ate %ld meals", i, meals[i]);
    return 0;
}
