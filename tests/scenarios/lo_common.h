/* SPDX-License-Identifier: MIT */
/* Helpers for the lock-order scenarios (lo_*.c).
 *
 * Each program runs its threads strictly one after another (create, then
 * join), so that nothing can ever really deadlock: a lock-order inversion is
 * a potential deadlock seen in the orders alone.  What the harness needs to
 * check a dump it cannot get from output (a scenario prints nothing), so the
 * program notes it in NAME.notes: "tid_THREAD" for each thread it runs and
 * the addresses of its locks under names of its choosing. */
#ifndef ASLEEP_LO_COMMON_H
#define ASLEEP_LO_COMMON_H

#include "scen.h"

#include <stdint.h>

struct lo_job {
    const char *name;
    void (*fn)(void *);
    void *arg;
};

static void *lo_start(void *p)
{
    struct lo_job *j = p;
    char key[64];
    scen_name(j->name);
    snprintf(key, sizeof key, "tid_%s", j->name);
    scen_note(key, (long)scen_gettid());
    j->fn(j->arg);
    return NULL;
}

/* Runs fn(arg) in a thread named `name` (attributes `attr`, may be NULL) and
 * waits for it to end. */
__attribute__((unused))
static void lo_run_attr(const char *name, void (*fn)(void *), void *arg, const pthread_attr_t *attr)
{
    struct lo_job j = {name, fn, arg};
    pthread_t t;
    CHECK(pthread_create(&t, attr, lo_start, &j));
    CHECK(pthread_join(t, NULL));
}

__attribute__((unused))
static void lo_run(const char *name, void (*fn)(void *), void *arg)
{
    lo_run_attr(name, fn, arg, NULL);
}

/* Notes a lock's address under `key`, as the harness reads it back. */
__attribute__((unused))
static void lo_note_lock(const char *key, const void *lock)
{
    scen_note(key, (long)(uintptr_t)lock);
}

#endif
