/* SPDX-License-Identifier: MIT */
/* Mirror of the lo_reuse_* scenarios: ONE object, its mutex used as
 * G -> obj.m by t1 and obj.m -> G by t2: reported. */
#include "lo_reuse.h"

int main(void)
{
    lo_note_lock("G", &G);
    struct lo_obj *o = malloc(sizeof *o);
    if (!o)
        scen_die("out of memory");
    CHECK(pthread_mutex_init(&o->m, NULL));
    lo_note_lock("obj", &o->m);
    lo_run("t1", lo_gate_then_obj, o);
    lo_run("t2", lo_obj_then_gate, o);
    CHECK(pthread_mutex_destroy(&o->m));
    free(o);
    return 0;
}
