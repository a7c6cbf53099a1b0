/* SPDX-License-Identifier: MIT */
/* The lock-order check against a brute-force model.  t1 walks a seeded
 * random sequence over 6 "hot" mutexes (3 of them recursive): blocking
 * locks, try-locks, recursive relocks and unlocks of any held lock, in any
 * order, so that held lists repeat and the shim's caches hit.  Now and then
 * it takes a "cold" mutex, used twice: first on top of the held list (it
 * gets its lock-order id), then, at the next such turn, again, and a hot
 * lock on top of it.  That edge "cold, then hot" is seen once, in whatever
 * context: a cache that answered for a context it never saw would lose it.
 * The model keeps the held locks and the distinct edges "held X, then
 * acquired Y" the blocking locks make; the program notes their number.  The
 * shim's count (the exit dump's lock_order.edges) must equal it.  (Mutants
 * of the shim whose contexts leave out the bottom lock, or most of the
 * list, lose 1 to 47 of the 3,361 edges.)  Random orders make inversions:
 * reported. */
#include "lo_common.h"

#include <stdint.h>

#define NHOT 6
#define NRECURSIVE 3
#define NCOLD 1500
#define NLOCKS (NHOT + NCOLD)
#define STEPS 60000
#define COLD_EVERY 40 /* steps, on average */
#define MAX_HELD 10

static pthread_mutex_t L[NLOCKS];
static int held[MAX_HELD + 1], nheld; /* lock indexes, oldest first */
static int count[NLOCKS];             /* how often each is held */
static unsigned char edge[NLOCKS][NLOCKS];
static int ncold;
static uint64_t rng = 0x9e3779b97f4a7c15ull;

static unsigned next(unsigned n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng >> 33) % n;
}

static int can_take(int k)
{
    return !count[k] || k < NRECURSIVE;
}

/* A blocking lock of k, not held or recursive. */
static void take(int k)
{
    if (!count[k]) /* a relock makes no edge */
        for (int i = 0; i < nheld; i++)
            edge[held[i]][k] = 1;
    CHECK(pthread_mutex_lock(&L[k]));
    held[nheld++] = k;
    count[k]++;
}

/* Unlocks the held entry i (not necessarily the last one). */
static void release(int i)
{
    int k = held[i];
    CHECK(pthread_mutex_unlock(&L[k]));
    count[k]--;
    for (; i + 1 < nheld; i++)
        held[i] = held[i + 1];
    nheld--;
}

static void walk(void *arg)
{
    (void)arg;
    for (int s = 0; s < STEPS; s++) {
        unsigned op = next(COLD_EVERY) ? next(20) : 20;
        int k = (int)next(NHOT);
        if (op < 8) { /* blocking lock */
            if (nheld < MAX_HELD && can_take(k))
                take(k);
        } else if (op < 10) { /* try-lock: no edge */
            if (nheld < MAX_HELD && can_take(k)) {
                EXPECT_RC(pthread_mutex_trylock(&L[k]), 0);
                held[nheld++] = k;
                count[k]++;
            }
        } else if (op < 20) { /* unlock any held lock */
            if (nheld > 0)
                release((int)next((unsigned)nheld));
        } else if (ncold < NCOLD && count[k] == 0 && nheld < MAX_HELD) {
            /* a cold lock's first use: it gets its id as the lock taken */
            int c = NHOT + ncold++;
            take(c);
            release(nheld - 1);
            /* the one before it, its second and last use: then a hot lock */
            if (c > NHOT) {
                take(c - 1);
                take(k);
                release(nheld - 1);
                release(nheld - 1);
            }
        }
    }
    while (nheld > 0)
        release(nheld - 1);
}

int main(void)
{
    pthread_mutexattr_t rec;
    CHECK(pthread_mutexattr_init(&rec));
    CHECK(pthread_mutexattr_settype(&rec, PTHREAD_MUTEX_RECURSIVE));
    for (int i = 0; i < NLOCKS; i++)
        CHECK(pthread_mutex_init(&L[i], i < NRECURSIVE ? &rec : NULL));
    lo_run("t1", walk, NULL);
    long n = 0;
    for (int i = 0; i < NLOCKS; i++)
        for (int j = 0; j < NLOCKS; j++)
            n += edge[i][j];
    scen_note("edges", n);
    scen_note("cold", ncold);
    return 0;
}
