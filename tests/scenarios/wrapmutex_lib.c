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

/* The next definition of a mutex call (glibc's, or the shim's when it is
 * preloaded), looked up once. */
typedef int (*mutex_fn)(pthread_mutex_t *);
static mutex_fn next_of(mutex_fn _Atomic *slot, const char *name)
{
    if (!*slot)
        *slot = (mutex_fn)dlsym(RTLD_NEXT, name);
    return *slot;
}

int pthread_mutex_lock(pthread_mutex_t *m)
{
    static mutex_fn _Atomic next;
    if (m == watched)
        locks++;
    return next_of(&next, "pthread_mutex_lock")(m);
}

int pthread_mutex_trylock(pthread_mutex_t *m)
{
    static mutex_fn _Atomic next;
    int r = next_of(&next, "pthread_mutex_trylock")(m);
    if (m == watched && r == 0)
        locks++;
    return r;
}

int pthread_mutex_unlock(pthread_mutex_t *m)
{
    static mutex_fn _Atomic next;
    if (m == watched)
        unlocks++;
    return next_of(&next, "pthread_mutex_unlock")(m);
}
