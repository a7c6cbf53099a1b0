/* SPDX-License-Identifier: MIT */
/* No verdict: main waits (untimed) on a condition variable that a thread
 * signals after sleeping 0.6 s, while another thread sits in poll() and
 * select() timeouts. Everyone is asleep for a while, but sleeps end. */
#include "scen.h"
#include <poll.h>
#include <sys/select.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
static int flag;

static void *sleeper(void *arg)
{
    scen_name("sleeper");
    struct timespec d = {0, 600 * 1000 * 1000};
    while (nanosleep(&d, &d) == -1 && errno == EINTR)
        ;
    CHECK(pthread_mutex_lock(&m));
    flag = 1;
    CHECK(pthread_cond_signal(&c));
    CHECK(pthread_mutex_unlock(&m));
    return arg;
}

static void *poller(void *arg)
{
    scen_name("poller");
    if (poll(NULL, 0, 700) != 0)
        scen_die("poll");
    struct timeval tv = {0, 300 * 1000};
    if (select(0, NULL, NULL, NULL, &tv) != 0)
        scen_die("select");
    return arg;
}

int main(void)
{
    pthread_t s, p;
    CHECK(pthread_create(&s, NULL, sleeper, NULL));
    CHECK(pthread_create(&p, NULL, poller, NULL));
    CHECK(pthread_mutex_lock(&m));
    while (!flag)
        CHECK(pthread_cond_wait(&c, &m));
    CHECK(pthread_mutex_unlock(&m));
    CHECK(pthread_join(s, NULL));
    CHECK(pthread_join(p, NULL));
    return 0;
}
