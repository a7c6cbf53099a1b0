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
