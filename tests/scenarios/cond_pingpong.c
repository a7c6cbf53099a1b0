/* SPDX-License-Identifier: MIT */
/* No verdict: two threads hand a token back and forth 50,000 times through
 * one condition variable while main joins them. For an instant in every round
 * all threads look asleep. */
#include "scen.h"

#define ROUNDS 50000

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
static int turn;
static long hits[2];

static void *player(void *arg)
{
    int me = (int)(long)arg;
    scen_name(me ? "pong" : "ping");
    for (int i = 0; i < ROUNDS; i++) {
        CHECK(pthread_mutex_lock(&m));
        while (turn != me)
            CHECK(pthread_cond_wait(&c, &m));
        hits[me]++;
        turn = !me;
        CHECK(pthread_cond_signal(&c));
        CHECK(pthread_mutex_unlock(&m));
    }
    return NULL;
}

int main(void)
{
    pthread_t t[2];
    for (long i = 0; i < 2; i++)
        CHECK(pthread_create(&t[i], NULL, player, (void *)i));
    for (int i = 0; i < 2; i++)
        CHECK(pthread_join(t[i], NULL));
    if (hits[0] != ROUNDS || hits[1] != ROUNDS || turn != 0)
        scen_die("hits %ld/%ld turn %d", hits[0], hits[1], turn);
    return 0;
}
