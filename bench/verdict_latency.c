/* SPDX-License-Identifier: MIT */
/* How soon the all-asleep verdict comes: two threads deadlock (A then B, B
 * then A) while main joins them.  Just before the last thread blocks, it
 * writes the time (CLOCK_REALTIME, ms) to the file named by argv[1];
 * bench/scale compares it with the verdict dump's time_unix_ms. */
#include "bench.h"

#include <pthread.h>
#include <stdatomic.h>

static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;
static atomic_int holding;
static const char *stamp;

static void *take(void *first)
{
    pthread_mutex_t *x = first ? &a : &b, *y = first ? &b : &a;
    pthread_mutex_lock(x);
    if (atomic_fetch_add(&holding, 1) == 1) { /* the second: main and the other are about to sleep */
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        FILE *f = fopen(stamp, "w");
        if (f) {
            fprintf(f, "%lld\n", (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
            fclose(f);
        }
    }
    while (atomic_load(&holding) < 2)
        ;
    pthread_mutex_lock(y);
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return 2;
    stamp = argv[1];
    pthread_t t1, t2;
    pthread_create(&t1, NULL, take, &a);
    pthread_create(&t2, NULL, take, NULL);
    pthread_join(t1, NULL);
    pthread_join(t2, NULL);
    return 0;
}
