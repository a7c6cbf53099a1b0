/* SPDX-License-Identifier: MIT */
/* The address-reuse scenarios (lo_reuse_*.c): an object with an embedded
 * mutex, taken in the order G -> obj.m by one thread and obj.m -> G by
 * another.  Reported only when it is the same object both times. */
#ifndef ASLEEP_LO_REUSE_H
#define ASLEEP_LO_REUSE_H

#include "lo_common.h"

struct lo_obj {
    pthread_mutex_t m;
    long payload[6];
};

static pthread_mutex_t G = PTHREAD_MUTEX_INITIALIZER;

/* malloc until the freed address `first` comes back: glibc returns it at
 * once (tcache), other allocators (mimalloc, run in the allocator suites)
 * after a few more blocks of the size.  The extra blocks are freed. */
__attribute__((unused)) static struct lo_obj *lo_malloc_again(uintptr_t first)
{
    enum { TRIES = 4096 };
    static struct lo_obj *extra[TRIES];
    struct lo_obj *got = NULL;
    int n = 0;
    while (n < TRIES) {
        struct lo_obj *o = malloc(sizeof *o);
        if (!o)
            scen_die("out of memory");
        if ((uintptr_t)o == first) {
            got = o;
            break;
        }
        extra[n++] = o;
    }
    while (n > 0)
        free(extra[--n]);
    if (!got) /* what makes this scenario about reuse */
        scen_die("malloc never handed back the freed address %#lx", (unsigned long)first);
    return got;
}

static void lo_gate_then_obj(void *arg)
{
    struct lo_obj *o = arg;
    CHECK(pthread_mutex_lock(&G));
    CHECK(pthread_mutex_lock(&o->m));
    o->payload[0]++;
    CHECK(pthread_mutex_unlock(&o->m));
    CHECK(pthread_mutex_unlock(&G));
}

static void lo_obj_then_gate(void *arg)
{
    struct lo_obj *o = arg;
    CHECK(pthread_mutex_lock(&o->m));
    CHECK(pthread_mutex_lock(&G));
    o->payload[0]++;
    CHECK(pthread_mutex_unlock(&G));
    CHECK(pthread_mutex_unlock(&o->m));
}

#endif
