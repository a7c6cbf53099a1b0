/* SPDX-License-Identifier: MIT */
/* No verdict: a clean multi-threaded program: counters under a mutex, a spin
 * lock and a rwlock, pthread_once, and a final barrier; everything joined. */
#include "scen.h"

#define ADDERS 4
#define READERS 2
#define ITER 100000

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static pthread_spinlock_t sp;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static pthread_barrier_t end;
static long counter, spin_counter, table[16], once_count;

static void init_once(void)
{
    once_count++;
}

static void *adder(void *arg)
{
    scen_name("adder");
    CHECK(pthread_once(&once, init_once));
    for (int i = 0; i < ITER; i++) {
        CHECK(pthread_mutex_lock(&m));
        counter++;
        CHECK(pthread_mutex_unlock(&m));
        CHECK(pthread_spin_lock(&sp));
        spin_counter++;
        CHECK(pthread_spin_unlock(&sp));
        if (i % 100 == 0) {
            CHECK(pthread_rwlock_wrlock(&rw));
            table[i % 16]++;
            CHECK(pthread_rwlock_unlock(&rw));
        }
    }
    pthread_barrier_wait(&end);
    return arg;
}

static void *reader(void *arg)
{
    scen_name("reader");
    CHECK(pthread_once(&once, init_once));
    long seen = 0;
    for (int i = 0; i < ITER / 10; i++) {
        CHECK(pthread_rwlock_rdlock(&rw));
        long sum = 0;
        for (int j = 0; j < 16; j++)
            sum += table[j];
        CHECK(pthread_rwlock_unlock(&rw));
        if (sum < seen)
            scen_die("table sum went backwards");
        seen = sum;
    }
    pthread_barrier_wait(&end);
    return arg;
}

int main(void)
{
    pthread_t t[ADDERS + READERS];
    CHECK(pthread_spin_init(&sp, PTHREAD_PROCESS_PRIVATE));
    CHECK(pthread_barrier_init(&end, NULL, ADDERS + READERS));
    for (int i = 0; i < ADDERS + READERS; i++)
        CHECK(pthread_create(&t[i], NULL, i < ADDERS ? adder : reader, NULL));
    for (int i = 0; i < ADDERS + READERS; i++)
        CHECK(pthread_join(t[i], NULL));
    long sum = 0;
    for (int j = 0; j < 16; j++)
        sum += table[j];
    if (counter != ADDERS * ITER || spin_counter != ADDERS * ITER ||
        sum != ADDERS * (ITER / 100) || once_count != 1)
        scen_die("counter %ld spin %ld table %ld once %ld", counter, spin_counter, sum, once_count);
    CHECK(pthread_barrier_destroy(&end));
    CHECK(pthread_spin_destroy(&sp));
    return 0;
}
