/* SPDX-License-Identifier: MIT */
/* Exec with threads alive: a thread waits on a condition variable when main
 * execs the program again (argument "child"), which exits 0. The exec must
 * work under the shim and the new image must not be judged for the old
 * image's threads. */
#include "scen.h"

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t go_cv = PTHREAD_COND_INITIALIZER;
static pthread_cond_t ready_cv = PTHREAD_COND_INITIALIZER;
static int ready, go;

static void *waiter(void *arg)
{
    scen_name("waiter");
    CHECK(pthread_mutex_lock(&m));
    ready = 1;
    CHECK(pthread_cond_signal(&ready_cv));
    while (!go)
        CHECK(pthread_cond_wait(&go_cv, &m));
    scen_die("waiter woke up");
    return arg;
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "child"))
        return 0;
    pthread_t t;
    CHECK(pthread_create(&t, NULL, waiter, NULL));
    CHECK(pthread_mutex_lock(&m));
    while (!ready)
        CHECK(pthread_cond_wait(&ready_cv, &m));
    CHECK(pthread_mutex_unlock(&m));
    char *args[] = {argv[0], "child", NULL};
    execv("/proc/self/exe", args);
    scen_die("execv: %s", strerror(errno));
}
