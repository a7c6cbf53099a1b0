/* SPDX-License-Identifier: MIT */
/* Verdict in a child process: main forks; the child starts two threads that
 * deadlock AB/BA and joins them. The shim must judge the child (exit 2) while
 * the parent, blocked in waitpid, is left alone. The parent exits 0 when the
 * child exited 2 and 1 otherwise. */
#include "scen.h"
#include <sys/wait.h>

static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t b = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t bar;

static void *t1(void *arg)
{
    scen_name("t1");
    CHECK(pthread_mutex_lock(&a));
    pthread_barrier_wait(&bar);
    CHECK(pthread_mutex_lock(&b));
    scen_die("t1 got both locks");
    return arg;
}

static void *t2(void *arg)
{
    scen_name("t2");
    CHECK(pthread_mutex_lock(&b));
    pthread_barrier_wait(&bar);
    CHECK(pthread_mutex_lock(&a));
    scen_die("t2 got both locks");
    return arg;
}

int main(void)
{
    pid_t pid = fork();
    if (pid == -1)
        scen_die("fork: %s", strerror(errno));
    if (pid == 0) {
        pthread_t x, y;
        CHECK(pthread_barrier_init(&bar, NULL, 2));
        CHECK(pthread_create(&x, NULL, t1, NULL));
        CHECK(pthread_create(&y, NULL, t2, NULL));
        CHECK(pthread_join(x, NULL));
        CHECK(pthread_join(y, NULL));
        scen_die("joined deadlocked threads");
    }
    int st;
    pid_t r;
    while ((r = waitpid(pid, &st, 0)) == -1 && errno == EINTR)
        ;
    if (r != pid)
        scen_die("waitpid: %s", strerror(errno));
    if (WIFEXITED(st) && WEXITSTATUS(st) == 2)
        return 0;
    fprintf(stderr, "scenario fork_child_deadlock: child ended with status 0x%x, want exit 2\n", st);
    return 1;
}
