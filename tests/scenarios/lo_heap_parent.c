/* SPDX-License-Identifier: MIT */
/* No inversion: 50,000 heap objects, each with its own mutex, each locked
 * under one parent lock (parent, then child), one consistent order; then
 * freed.  Nothing to report, whatever the count. */
#include "lo_common.h"

#define OBJECTS 50000

struct object {
    pthread_mutex_t lock;
    long value;
};

static pthread_mutex_t parent = PTHREAD_MUTEX_INITIALIZER;

static void children(void *arg)
{
    struct object **objs = arg;
    for (int i = 0; i < OBJECTS; i++) {
        CHECK(pthread_mutex_lock(&parent));
        CHECK(pthread_mutex_lock(&objs[i]->lock));
        objs[i]->value++;
        CHECK(pthread_mutex_unlock(&objs[i]->lock));
        CHECK(pthread_mutex_unlock(&parent));
    }
}

int main(void)
{
    struct object **objs = calloc(OBJECTS, sizeof *objs);
    if (!objs)
        scen_die("out of memory");
    for (int i = 0; i < OBJECTS; i++) {
        if (!(objs[i] = calloc(1, sizeof *objs[i])))
            scen_die("out of memory");
        CHECK(pthread_mutex_init(&objs[i]->lock, NULL));
    }
    lo_run("worker", children, objs);
    for (int i = 0; i < OBJECTS; i++) {
        CHECK(pthread_mutex_destroy(&objs[i]->lock));
        free(objs[i]);
    }
    free(objs);
    return 0;
}
