/* SPDX-License-Identifier: MIT */
/* Dump on demand: "waiter" is blocked on a condition variable; main asks
 * the shim for a dump as a user would (creates DIR/asleep.<pid>.request,
 * DIR = $ASLEEP_TEST_DUMP_DIR) and waits, polling as an outside reader
 * would, until the request is gone and a dump is there; then it releases
 * the waiter and exits 0.  Without the variable (no shim) it just ends. */
#include "scen.h"
#include <dirent.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
static int released;
static atomic_int ready, waiter_tid;

static void *waiter(void *arg)
{
    scen_name("waiter");
    CHECK(pthread_mutex_lock(&m));
    atomic_store(&waiter_tid, scen_gettid());
    atomic_store(&ready, 1);
    while (!released)
        CHECK(pthread_cond_wait(&c, &m));
    CHECK(pthread_mutex_unlock(&m));
    return arg;
}

static int dump_exists(const char *dir)
{
    char prefix[64];
    snprintf(prefix, sizeof prefix, "asleep.%d.", (int)getpid());
    DIR *d = opendir(dir);
    struct dirent *e;
    int found = 0;
    while (d && !found && (e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        found = strncmp(e->d_name, prefix, strlen(prefix)) == 0 && n > 5 && !strcmp(e->d_name + n - 5, ".json");
    }
    if (d)
        closedir(d);
    return found;
}

int main(void)
{
    pthread_t t;
    const char *dir = getenv("ASLEEP_TEST_DUMP_DIR");
    CHECK(pthread_create(&t, NULL, waiter, NULL));
    scen_wait_blocked(&ready, &waiter_tid);
    if (dir) {
        char req[4096];
        snprintf(req, sizeof req, "%s/asleep.%d.request", dir, (int)getpid());
        int fd = open(req, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
        if (fd < 0)
            scen_die("open %s: %s", req, strerror(errno));
        close(fd);
        double limit = scen_now(CLOCK_MONOTONIC) + 15.0;
        struct timespec poll = {0, 20 * 1000 * 1000};
        while (access(req, F_OK) == 0 || !dump_exists(dir)) {
            if (scen_now(CLOCK_MONOTONIC) > limit)
                scen_die("the request was not answered");
            nanosleep(&poll, NULL);
        }
    }
    CHECK(pthread_mutex_lock(&m));
    released = 1;
    CHECK(pthread_cond_signal(&c));
    CHECK(pthread_mutex_unlock(&m));
    CHECK(pthread_join(t, NULL));
    return 0;
}
