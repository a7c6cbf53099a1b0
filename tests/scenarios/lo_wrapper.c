/* SPDX-License-Identifier: MIT */
/* Locks taken through the program's own wrapper (app_lock, as libdbus's
 * _dbus_lock): t1 in lo_wrapped_ab takes A then B, t2 in lo_wrapped_ba B
 * then A.  The report's "taken at" and "requested at" name those two
 * functions, through the wrapper. */
#include "lo_common.h"

static pthread_mutex_t A = PTHREAD_MUTEX_INITIALIZER, B = PTHREAD_MUTEX_INITIALIZER;

__attribute__((noinline)) void app_lock(pthread_mutex_t *m)
{
    CHECK(pthread_mutex_lock(m));
    __asm__ volatile("" ::: "memory"); /* not a tail call */
}

__attribute__((noinline)) void app_unlock(pthread_mutex_t *m)
{
    CHECK(pthread_mutex_unlock(m));
}

__attribute__((noinline)) void lo_wrapped_ab(void *arg)
{
    (void)arg;
    app_lock(&A);
    app_lock(&B);
    app_unlock(&B);
    app_unlock(&A);
}

__attribute__((noinline)) void lo_wrapped_ba(void *arg)
{
    (void)arg;
    app_lock(&B);
    app_lock(&A);
    app_unlock(&A);
    app_unlock(&B);
}

int main(void)
{
    lo_note_lock("A", &A);
    lo_note_lock("B", &B);
    lo_run("t1", lo_wrapped_ab, NULL);
    lo_run("t2", lo_wrapped_ba, NULL);
    return 0;
}
