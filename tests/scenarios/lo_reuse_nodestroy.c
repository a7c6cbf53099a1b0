/* SPDX-License-Identifier: MIT */
/* Address reuse, (b): as lo_reuse_destroy, but the first object is freed
 * WITHOUT pthread_mutex_destroy (legal for an unlocked default mutex), and
 * the new object's mutex is set with "= PTHREAD_MUTEX_INITIALIZER" (no init
 * call either): the shim sees no call that ends the first lock.  glibc
 * hands back the same address (lo_malloc_again; malloc, not calloc: glibc 2.36's
 * calloc bypasses the tcache and returns another chunk).  Not reported. */
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
    free(o);

    struct lo_obj *o2 = lo_malloc_again(first);
    *o2 = (struct lo_obj){.m = PTHREAD_MUTEX_INITIALIZER};
    lo_run("t2", lo_obj_then_gate, o2);
    free(o2);
    return 0;
}
