/* SPDX-License-Identifier: MIT */
/* Address reuse, (a): an object's mutex is initialized, used as G -> obj.m,
 * destroyed and the object freed; a new object of the same size is
 * malloc'ed, and glibc hands back the very same address (the chunk just
 * freed: lo_malloc_again).  Its fresh mutex is used
 * as obj.m -> G.  Two different locks at one address: not reported. */
#include "lo_reuse.h"

int main(void)
{
    lo_note_lock("G", &G);
    struct lo_obj *o = malloc(sizeof *o);
    if (!o)
        scen_die("out of memory");
    CHECK(pthread_mutex_init(&o->m, NULL));
    lo_note_lock("obj", &o->m);
    uintptr_t first = (uintptr_t)o; /* compared after the free */
    lo_run("t1", lo_gate_then_obj, o);
    CHECK(pthread_mutex_destroy(&o->m));
    free(o);

    struct lo_obj *o2 = lo_malloc_again(first);
    CHECK(pthread_mutex_init(&o2->m, NULL));
    lo_run("t2", lo_obj_then_gate, o2);
    CHECK(pthread_mutex_destroy(&o2->m));
    free(o2);
    return 0;
}
