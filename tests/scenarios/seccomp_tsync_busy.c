/* SPDX-License-Identifier: MIT */
/* No harm: a filter with TSYNC goes in while other threads are inside the
 * shim's own system calls.  Four threads read an empty non-blocking pipe
 * over and over (under the shim each read is tried with preadv2 first);
 * once each has read a while, main puts every thread under a filter that
 * kills on preadv2 (scen_seccomp.h), the readers read on as long again,
 * and the program exits 0.  A shim that checked its stop flag and then
 * made its call, with the filter going in between, was killed (SIGSYS);
 * the seccomp hook now waits for calls of the shim's under way to end. */
#include "scen_seccomp.h"

#include <fcntl.h>
#include <stdatomic.h>

#define READERS 4
#define ROUNDS 20000

static int p[2];
static _Atomic int reads[READERS];
static _Atomic int filtered;

static void *reader(void *arg)
{
    int me = (int)(intptr_t)arg;
    char c;
    for (int i = 0; i < ROUNDS || !atomic_load(&filtered); i++) {
        if (read(p[0], &c, 1) != -1 || errno != EAGAIN)
            scen_die("read of an empty non-blocking pipe: not EAGAIN");
        if (i < ROUNDS)
            atomic_store(&reads[me], i + 1);
    }
    for (int i = 0; i < ROUNDS; i++) /* as long again under the filter */
        if (read(p[0], &c, 1) != -1 || errno != EAGAIN)
            scen_die("read under the filter: not EAGAIN");
    return NULL;
}

int main(void)
{
    pthread_t t[READERS];
    CHECK_ERRNO(pipe2(p, O_NONBLOCK));
    for (int i = 0; i < READERS; i++)
        CHECK(pthread_create(&t[i], NULL, reader, (void *)(intptr_t)i));
    for (int i = 0; i < READERS; i++) /* each reader well under way */
        while (atomic_load(&reads[i]) < ROUNDS / 4)
            ;
    scen_seccomp_sandbox(1);
    atomic_store(&filtered, 1);
    for (int i = 0; i < READERS; i++)
        CHECK(pthread_join(t[i], NULL));
    return 0;
}
