/* SPDX-License-Identifier: MIT */
/* Verdict (glib_idle's mirror): a thread runs a GLib main loop whose only
 * source main removes while it waits for that thread; the loop never quits
 * and main joins it forever.  All asleep: the loop's wake-up fd was written
 * (the removal woke it), so it is no unused wake-up channel. */
#include <glib.h>
#include <unistd.h>

static GMainContext *ctx;
static GMainLoop *loop;
static GMutex m;
static GCond running_cond;
static gboolean running;

static gboolean say_running(gpointer data)
{
    (void)data;
    g_mutex_lock(&m);
    running = TRUE;
    g_cond_signal(&running_cond);
    g_mutex_unlock(&m);
    return G_SOURCE_REMOVE;
}

static gboolean never(gpointer data)
{
    (void)data;
    return G_SOURCE_CONTINUE;
}

static gpointer run_loop(gpointer data)
{
    (void)data;
    g_main_context_push_thread_default(ctx);
    g_main_loop_run(loop);
    g_printerr("scenario glib_source_removed: the loop quit\n");
    _exit(99);
    return NULL;
}

int main(void)
{
    ctx = g_main_context_new();
    loop = g_main_loop_new(ctx, FALSE);
    GSource *only = g_timeout_source_new_seconds(3600);
    g_source_set_callback(only, never, NULL, NULL);
    g_source_attach(only, ctx);
    GThread *t = g_thread_new("loop", run_loop, NULL);
    g_main_context_invoke(ctx, say_running, NULL);
    g_mutex_lock(&m);
    while (!running)
        g_cond_wait(&running_cond, &m);
    g_mutex_unlock(&m);
    g_source_destroy(only);    /* the loop's only source */
    g_main_context_wakeup(ctx); /* it looks again: nothing left to wait for, no timeout */
    g_thread_join(t);
    g_printerr("scenario glib_source_removed: joined the loop\n");
    return 99;
}
