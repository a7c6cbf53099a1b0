/* SPDX-License-Identifier: MIT */
/* No verdict: two threads hand a token back and forth 50,000 times through
 * two semaphores while main joins them. */
#include "scen.h"
#include <semaphore.h>

#define ROUNDS 50000

static sem_t s[2];
static long hits[2];

static void sem_wait_intr(sem_t *x)
{
    while (sem_wait(x) == -1)
        if (errno != EINTR)
            scen_die("sem_wait: %s", strerror(errno));
}

static void *player(void *arg)
{
    int me = (int)(long)arg;
    scen_name(me ? "pong" : "ping");
    for (int i = 0; i < ROUNDS; i++) {
        sem_wait_intr(&s[me]);
        hits[me]++;
        CHECK_ERRNO(sem_post(&s[!me]));
    }
    return NULL;
}

int main(void)
{
    pthread_t t[2];
    CHECK_ERRNO(sem_init(&s[0], 0, 1));
    CHECK_ERRNO(sem_init(&s[1], 0, 0));
    for (long i = 0; i < 2; i++)
        CHECK(pthread_create(&t[i], NULL, player, (void *)i));
    for (int i = 0; i < 2; i++)
        CHECK(pthread_join(t[i], NULL));
    if (hits[0] != ROUNDS || hits[1] != ROUNDS)
        scen_die("hits %ld/%ld", hits[0], hits[1]);
    return 0;
}
