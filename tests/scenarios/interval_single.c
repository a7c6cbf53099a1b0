/* SPDX-License-Identifier: MIT */
/* Periodic dumps in a program that never makes a thread: with interval_ms
 * set the shim starts its monitor at start-up.  Main waits (inotify, no
 * sleeps) for three periodic dumps and exits 0.  Without the shim it just
 * runs through. */
#include "dumpwatch.h"

int main(void)
{
    struct dumpwatch w;
    dumpwatch_open(&w);
    dumpwatch_wait(&w, "\"interval\"", 3);
    return 0;
}
