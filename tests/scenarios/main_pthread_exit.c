/* SPDX-License-Identifier: MIT */
/* No verdict: main calls pthread_exit while two workers hand a token back and
 * forth 1000 times; the process exits (status 0) when the last one returns. */
#include "scen.h"

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
static int turn;

static void *player(void *arg)
{
    int me = (int)(long)arg;
    scen_name(me ? "pong" : "ping");
    for (int i = 0; i < 1000; i++) {
        CHECK(pthread_mutex_lock(&m));
        while (turn != me)
            CHECK(pthread_cond_wait(&c, &m));
        turn = !me;
        CHECK(pthread_cond_broadcast(&c));
        CHECK(pthread_mutex_unlock(&m));
    }
    return NULL;
}

int main(void)
{
    pthread_t t;
    pthread_attr_t at;
    CHECK(pthread_attr_init(&at));
    CHECK(pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED));
    for (long i = 0; i < 2; i++)
        CHECK(pthread_create(&t, &at, player, (void *)i));
    pthread_exit(NULL);
}
