/* SPDX-License-Identifier: MIT */
/* One thread takes 45 locks nested, 45 times, each time starting one lock
 * further round the ring: every pair of locks is taken in both orders, which
 * makes hundreds of cycles, all from the same two lines.  One bug: one
 * finding, counting them. */
#include "lo_common.h"

#define LOCKS 45

static pthread_mutex_t ring[LOCKS];

static void rotations(void *arg)
{
    (void)arg;
    for (int r = 0; r < LOCKS; r++) {
        for (int i = 0; i < LOCKS; i++)
            CHECK(pthread_mutex_lock(&ring[(r + i) % LOCKS]));
        for (int i = LOCKS; i-- > 0;)
            CHECK(pthread_mutex_unlock(&ring[(r + i) % LOCKS]));
    }
}

int main(void)
{
    for (int i = 0; i < LOCKS; i++)
        CHECK(pthread_mutex_init(&ring[i], NULL));
    lo_run("rotor", rotations, NULL);
    return 0;
}
