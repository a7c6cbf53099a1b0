/* SPDX-License-Identifier: MIT */
/* No verdict: main blocks in waitpid() on a child process that sleeps 1 s,
 * while a worker waits on a condition variable that main signals only after
 * the child has exited. */
#include "scen.h"
#include <sys/wait.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ready_cv = PTHREAD_COND_INITIALIZER;
static pthread_cond_t go_cv = PTHREAD_COND_INITIALIZER;
static int ready, go;

static void *worker(void *arg)
{
    scen_name("worker");
    CHECK(pthread_mutex_lock(&m));
    ready = 1;
    CHECK(pthread_cond_signal(&ready_cv));
    while (!go)
        CHECK(pthread_cond_wait(&go_cv, &m));
    CHECK(pthread_mutex_unlock(&m));
    return arg;
}

int main(void)
{
    pthread_t t;
    CHECK(pthread_create(&t, NULL, worker, NULL));
    CHECK(pthread_mutex_lock(&m));
    while (!ready)
        CHECK(pthread_cond_wait(&ready_cv, &m));
    CHECK(pthread_mutex_unlock(&m));   /* worker is now in pthread_cond_wait */

    pid_t pid = fork();
    if (pid == -1)
        scen_die("fork: %s", strerror(errno));
    if (pid == 0) {
        sleep(1);   /* the scenario is about a slow child */
        _exit(5);
    }
    int st;
    pid_t r;
    while ((r = waitpid(pid, &st, 0)) == -1 && errno == EINTR)
        ;
    if (r != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 5)
        scen_die("waitpid: r=%d status=0x%x", (int)r, st);

    CHECK(pthread_mutex_lock(&m));
    go = 1;
    CHECK(pthread_cond_signal(&go_cv));
    CHECK(pthread_mutex_unlock(&m));
    CHECK(pthread_join(t, NULL));
    return 0;
}
