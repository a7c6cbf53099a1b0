/* SPDX-License-Identifier: MIT */
/* No verdict: worker threads keep a mutex/condvar queue busy while main forks
 * 30 children; each child (single-threaded, maybe forked while a worker held
 * a lock) creates and joins a thread and exits 0. Neither side may hang or
 * report anything: the children have no other threads to leak. */
#include "scen.h"
#include <sys/wait.h>

#define WORKERS 3
#define FORKS 30

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
static long tokens, consumed;
static int stop;

static void *worker(void *arg)
{
    scen_name("worker");
    for (;;) {
        CHECK(pthread_mutex_lock(&m));
        while (tokens == 0 && !stop)
            CHECK(pthread_cond_wait(&c, &m));
        if (tokens == 0 && stop) {
            CHECK(pthread_mutex_unlock(&m));
            return arg;
        }
        tokens--;
        consumed++;
        CHECK(pthread_mutex_unlock(&m));
    }
}

static pthread_mutex_t child_m = PTHREAD_MUTEX_INITIALIZER;

static void *child_thread(void *arg)
{
    CHECK(pthread_mutex_lock(&child_m));
    CHECK(pthread_mutex_unlock(&child_m));
    return arg;
}

int main(void)
{
    pthread_t t[WORKERS];
    long produced = 0;
    for (int i = 0; i < WORKERS; i++)
        CHECK(pthread_create(&t[i], NULL, worker, NULL));
    for (int f = 0; f < FORKS; f++) {
        for (int k = 0; k < 200; k++) {
            CHECK(pthread_mutex_lock(&m));
            tokens++;
            produced++;
            CHECK(pthread_cond_signal(&c));
            CHECK(pthread_mutex_unlock(&m));
        }
        pid_t pid = fork();
        if (pid == -1)
            scen_die("fork: %s", strerror(errno));
        if (pid == 0) {
            pthread_t ct;
            CHECK(pthread_create(&ct, NULL, child_thread, NULL));
            CHECK(pthread_join(ct, NULL));
            if (f % 2)
                exit(0);
            _exit(0);
        }
        int st;
        if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
            scen_die("child %d failed (status 0x%x)", f, st);
    }
    CHECK(pthread_mutex_lock(&m));
    stop = 1;
    CHECK(pthread_cond_broadcast(&c));
    CHECK(pthread_mutex_unlock(&m));
    for (int i = 0; i < WORKERS; i++)
        CHECK(pthread_join(t[i], NULL));
    if (consumed != produced)
        scen_die("consumed %ld of %ld", consumed, produced);
    return 0;
}
