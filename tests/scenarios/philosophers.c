/* SPDX-License-Identifier: MIT */
/* Verdict: 5 dining philosophers each take the left fork, meet at a barrier,
 * then take the right fork: a 5-step mutex cycle; main joins. */
#include "scen.h"

#define N 5

static pthread_mutex_t fork_[N];
static pthread_barrier_t bar;

static void *philosopher(void *arg)
{
    int i = (int)(long)arg;
    char name[16];
    snprintf(name, sizeof name, "phil%d", i);
    scen_name(name);
    CHECK(pthread_mutex_lock(&fork_[i]));
    pthread_barrier_wait(&bar);
    CHECK(pthread_mutex_lock(&fork_[(i + 1) % N]));
    scen_die("philosopher %d ate", i);
    return NULL;
}

int main(void)
{
    pthread_t t[N];
    CHECK(pthread_barrier_init(&bar, NULL, N));
    for (int i = 0; i < N; i++)
        CHECK(pthread_mutex_init(&fork_[i], NULL));
    for (int i = 0; i < N; i++)
        CHECK(pthread_create(&t[i], NULL, philosopher, (void *)(long)i));
    for (int i = 0; i < N; i++)
        CHECK(pthread_join(t[i], NULL));
    scen_die("philosophers finished");
}
