/* SPDX-License-Identifier: MIT */
/* No verdict, and nothing hidden: the program is linked against a library
 * that wraps pthread_mutex_lock, _trylock and _unlock (wrapmutex_lib.c,
 * which counts the acquisitions and releases of `inner`), and comes
 * after the shim in the lookup order.  Every call on a default mutex, the
 * shim's fast path included, must still reach that library: the shim may
 * take a mutex in place only when the next definition is glibc's own. */
#include "scen.h"

#define ROUNDS 1000

void wrapmutex_watch(pthread_mutex_t *m);
long wrapmutex_locks(void);
long wrapmutex_unlocks(void);

static pthread_mutex_t outer = PTHREAD_MUTEX_INITIALIZER, inner = PTHREAD_MUTEX_INITIALIZER;

static void *worker(void *arg)
{
    for (int i = 0; i < ROUNDS; i++) {
        CHECK(pthread_mutex_lock(&outer));
        CHECK(pthread_mutex_lock(&inner));
        CHECK(pthread_mutex_unlock(&inner));
        CHECK(pthread_mutex_unlock(&outer));
    }
    return arg;
}

int main(void)
{
    pthread_t t;
    wrapmutex_watch(&inner);
    CHECK(pthread_create(&t, NULL, worker, NULL));
    CHECK(pthread_join(t, NULL));
    if (wrapmutex_locks() != ROUNDS || wrapmutex_unlocks() != ROUNDS)
        scen_die("the wrapping library saw %ld acquisitions and %ld releases of %d", wrapmutex_locks(),
                 wrapmutex_unlocks(), ROUNDS);
    return 0;
}
