/* SPDX-License-Identifier: MIT */
/* Built against the installed asleep.h (pkg-config --cflags asleep): one
 * thread is left running past asleep_verify_none.  Prints the check's
 * result: "leaked=N" (N threads beyond the snapshot), or "no-shim". */
#include <asleep.h>

#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

static void *stay(void *arg)
{
    pthread_mutex_lock(&m);
    pthread_mutex_unlock(&m);
    return arg;
}

int main(void)
{
    asleep_snapshot_t snap;
    pthread_t t;
    pthread_mutex_lock(&m);
    if (asleep_snapshot(&snap) == ASLEEP_NO_SHIM) {
        puts("no-shim");
        return 0;
    }
    pthread_create(&t, NULL, stay, NULL);
    int n = asleep_verify_none(&snap, NULL);
    asleep_snapshot_free(&snap);
    printf("leaked=%d\n", n);
    pthread_mutex_unlock(&m);
    pthread_join(t, NULL);
    return 0;
}
