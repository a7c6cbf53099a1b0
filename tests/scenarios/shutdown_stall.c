/* SPDX-License-Identifier: MIT */
/* Handles SIGTERM, then stalls in its shutdown: main joins "stuck", which
 * waits on a condition variable nobody signals during shutdown.  The shim
 * must publish a shutdown-stall finding naming both.  "watcher" models the
 * operator who then intervenes: it waits (polling, as an outside actor
 * would) for the shim's dump in $ASLEEP_TEST_DUMP_DIR and releases "stuck";
 * without that variable (no shim) it releases it at once.  Exits 0. */
#include "scen.h"
#include <dirent.h>
#include <signal.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
static int released;
static atomic_int ready, stuck_tid;
static volatile sig_atomic_t stop;

static void on_term(int sig)
{
    (void)sig;
    stop = 1;
}

static void *stuck(void *arg)
{
    scen_name("stuck");
    CHECK(pthread_mutex_lock(&m));
    atomic_store(&stuck_tid, scen_gettid());
    atomic_store(&ready, 1);
    while (!released)
        CHECK(pthread_cond_wait(&c, &m));
    CHECK(pthread_mutex_unlock(&m));
    return arg;
}

/* Any dump of this process in dir. */
static int dump_exists(const char *dir)
{
    char prefix[64];
    snprintf(prefix, sizeof prefix, "asleep.%d.", (int)getpid());
    DIR *d = opendir(dir);
    struct dirent *e;
    int found = 0;
    while (d && !found && (e = readdir(d)) != NULL)
        found = strncmp(e->d_name, prefix, strlen(prefix)) == 0;
    if (d)
        closedir(d);
    return found;
}

static void *watcher(void *arg)
{
    scen_name("watcher");
    const char *dir = getenv("ASLEEP_TEST_DUMP_DIR");
    double limit = scen_now(CLOCK_MONOTONIC) + 15.0;
    struct timespec poll = {0, 20 * 1000 * 1000};
    while (dir && !dump_exists(dir)) {
        if (scen_now(CLOCK_MONOTONIC) > limit)
            scen_die("no dump appeared in %s", dir);
        nanosleep(&poll, NULL);
    }
    CHECK(pthread_mutex_lock(&m));
    released = 1;
    CHECK(pthread_cond_signal(&c));
    CHECK(pthread_mutex_unlock(&m));
    return arg;
}

int main(void)
{
    pthread_t s, w;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_term;
    sigemptyset(&sa.sa_mask);
    CHECK_ERRNO(sigaction(SIGTERM, &sa, NULL));
    CHECK(pthread_create(&s, NULL, stuck, NULL));
    scen_wait_blocked(&ready, &stuck_tid);
    CHECK(raise(SIGTERM));
    if (!stop)
        scen_die("SIGTERM not handled");
    /* shutting down: wait for the worker, which does not know about it */
    CHECK(pthread_create(&w, NULL, watcher, NULL));
    CHECK(pthread_join(s, NULL));
    CHECK(pthread_join(w, NULL));
    return 0;
}
