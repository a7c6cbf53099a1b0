/* SPDX-License-Identifier: MIT */
/* Verdict: two GThreads take two GMutex in opposite orders (GMutex is a raw
 * futex: the shim sees the waits, not the owners).  All asleep. */
#include "scen.h"
#include <glib.h>

static GMutex a, b;
static atomic_int holding;

static gpointer take(gpointer ab)
{
    GMutex *first = ab ? &a : &b, *second = ab ? &b : &a;
    g_mutex_lock(first);
    atomic_fetch_add(&holding, 1);
    while (atomic_load(&holding) < 2) /* both hold their first lock */
        sched_yield();
    g_mutex_lock(second);
    scen_die("took both");
}

int main(void)
{
    GThread *t1 = g_thread_new("ab", take, GINT_TO_POINTER(1));
    GThread *t2 = g_thread_new("ba", take, NULL);
    g_thread_join(t1);
    g_thread_join(t2);
    scen_die("joined");
}
