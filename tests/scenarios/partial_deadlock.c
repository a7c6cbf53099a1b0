/* SPDX-License-Identifier: MIT */
/* Verdict: t1 and t2 deadlock AB/BA while main keeps computing. The shim
 * must report the deadlock once and let the program run on. Main computes
 * until a dump file appears in $ASLEEP_TEST_DUMP_DIR (at most 10 s), then
 * returns 0; the exit-time check then reports t1 and t2 as leaked.
 * Without ASLEEP_TEST_DUMP_DIR, main computes until both threads are blocked
 * and returns 0. Exit 3 if no dump appeared in time. */
#include "scen.h"
#include <dirent.h>

static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t b = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t bar;
static atomic_int tids[2];

static void *t1(void *arg)
{
    scen_name("t1");
    atomic_store(&tids[0], scen_gettid());
    CHECK(pthread_mutex_lock(&a));
    pthread_barrier_wait(&bar);
    CHECK(pthread_mutex_lock(&b));
    scen_die("t1 got both locks");
    return arg;
}

static void *t2(void *arg)
{
    scen_name("t2");
    atomic_store(&tids[1], scen_gettid());
    CHECK(pthread_mutex_lock(&b));
    pthread_barrier_wait(&bar);
    CHECK(pthread_mutex_lock(&a));
    scen_die("t2 got both locks");
    return arg;
}

static int dump_appeared(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    struct dirent *e;
    int found = 0;
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (strncmp(e->d_name, "asleep.", 7) == 0 && n > 5 && strcmp(e->d_name + n - 5, ".json") == 0) {
            found = 1;
            break;
        }
    }
    closedir(d);
    return found;
}

static int both_blocked(void)
{
    for (int i = 0; i < 2; i++) {
        int tid = atomic_load(&tids[i]);
        if (tid == 0)
            return 0;
        char s = scen_task_state(tid);
        if (s != 'S' && s != 'D')
            return 0;
    }
    return 1;
}

static volatile unsigned long sink;

int main(void)
{
    pthread_t x, y;
    const char *dir = getenv("ASLEEP_TEST_DUMP_DIR");
    CHECK(pthread_barrier_init(&bar, NULL, 2));
    CHECK(pthread_create(&x, NULL, t1, NULL));
    CHECK(pthread_create(&y, NULL, t2, NULL));

    double start = scen_now(CLOCK_MONOTONIC);
    unsigned long v = 88172645463325252UL;
    for (;;) {
        for (int i = 0; i < 200000; i++) {   /* some real work between checks */
            v ^= v << 13;
            v ^= v >> 7;
            v ^= v << 17;
        }
        sink = v;
        if (dir ? dump_appeared(dir) : both_blocked())
            return 0;
        if (scen_now(CLOCK_MONOTONIC) - start > 10.0) {
            fprintf(stderr, "scenario partial_deadlock: %s within 10 s\n",
                    dir ? "no dump appeared" : "threads did not block");
            return 3;
        }
    }
}
