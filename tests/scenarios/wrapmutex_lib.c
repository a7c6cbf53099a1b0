/* SPDX-License-Identifier: MIT */
/* For wrapped_mutex: a library that wraps glibc's mutex lock, trylock and
 * unlock, as a lock profiler does, and counts the calls on one mutex it is
 * told of (the shim asks for a lock as a trylock first: both count). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>

static pthread_mutex_t *_Atomic watched;
static _Atomic long locks, unlocks;

void wrapmutex_watch(pthread_mutex_t *m)
{
    watched = m;
}

long wrapmutex_locks(void)
{
    return locks;
}

long wrapmutex_unlocks(void)
{
    return unlocks;
}

int pthread_mutex_lock(pthread_mutex_t *m)
{
    static int (*_Atomic next)(pthread_mutex_t *);
    if (!next)
        next = (int (*)(pthread_mutex_t *))dlsym(RTLD_NEXT, "pthread_mutex_lock");
    if (m == watched)
        locks++;
    return next(m);
}

int pthread_mutex_trylock(pthread_mutex_t *m)
{
    static int (*_Atomic next)(pthread_mutex_t *);
    if (!next)
        next = (int (*)(pthread_mutex_t *))dlsym(RTLD_NEXT, "pthread_mutex_trylock");
    int r = next(m);
    if (m == watched && r == 0)
        locks++;
    return r;
}

int pthread_mutex_unlock(pthread_mutex_t *m)
{
    static int (*_Atomic next)(pthread_mutex_t *);
    if (!next)
        next = (int (*)(pthread_mutex_t *))dlsym(RTLD_NEXT, "pthread_mutex_unlock");
    if (m == watched)
        unlocks++;
    return next(m);
}
