/* SPDX-License-Identifier: MIT */
/* For the secure-execution test: run set-user-ID root by an unprivileged
 * user.  Takes a few locks, prints its real and effective uid. */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

static void *run(void *arg)
{
    pthread_mutex_lock(&m);
    pthread_mutex_unlock(&m);
    return arg;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, run, NULL);
    pthread_join(t, NULL);
    printf("uid %d euid %d\n", (int)getuid(), (int)geteuid());
    return 0;
}
