/* SPDX-License-Identifier: MIT */
/* Verdict: a GThread pops from a GAsyncQueue nobody pushes to; main joins
 * it.  GLib waits with raw futex system calls (GMutex, GCond).  All asleep. */
#include "scen.h"
#include <glib.h>

static gpointer popper(gpointer q)
{
    gpointer item = g_async_queue_pop(q);
    scen_die("popped %p", item);
}

int main(void)
{
    GAsyncQueue *q = g_async_queue_new();
    GThread *t = g_thread_new("popper", popper, q);
    g_thread_join(t);
    scen_die("joined");
}
