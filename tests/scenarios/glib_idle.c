/* SPDX-License-Identifier: MIT */
/* No verdict, and no end: a GLib main loop with no sources at all, waiting
 * to be killed (GLib's own gsubprocess-testprog sleep-forever).  The harness
 * kills it after its time limit. */
#include <glib.h>

int main(void)
{
    GMainLoop *loop = g_main_loop_new(NULL, FALSE);
    g_main_loop_run(loop);
    return 1;
}
