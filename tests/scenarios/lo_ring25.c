/* SPDX-License-Identifier: MIT */
/* 25 locks L0..L24; thread ri (run one at a time, each joined before the
 * next starts) takes L_i then L_(i+1)%25.  Together the orders form one
 * 25-lock cycle: one report with 25 edges, 25 locks, 25 threads. */
#include "lo_common.h"

#define N 25

static pthread_mutex_t L[N];

static void take_pair(void *arg)
{
    int i = (int)(intptr_t)arg;
    CHECK(pthread_mutex_lock(&L[i]));
    CHECK(pthread_mutex_lock(&L[(i + 1) % N]));
    CHECK(pthread_mutex_unlock(&L[(i + 1) % N]));
    CHECK(pthread_mutex_unlock(&L[i]));
}

int main(void)
{
    char name[16];
    for (int i = 0; i < N; i++) {
        CHECK(pthread_mutex_init(&L[i], NULL));
        snprintf(name, sizeof name, "L%d", i);
        lo_note_lock(name, &L[i]);
    }
    for (int i = 0; i < N; i++) {
        snprintf(name, sizeof name, "r%d", i);
        lo_run(name, take_pair, (void *)(intptr_t)i);
    }
    return 0;
}
