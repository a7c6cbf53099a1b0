/* SPDX-License-Identifier: MIT */
/* C11 threads: t1 takes mtx A then B, t2 B then A (mtx_lock, thrd_create):
 * reported like the pthread form.  (The unreported side: lo_c11_timed.) */
#include "lo_common.h"

#include <threads.h>

static mtx_t A, B;

struct job {
    const char *name;
    void (*fn)(void);
};

static int c11_start(void *arg)
{
    struct job *j = arg;
    char key[64];
    scen_name(j->name);
    snprintf(key, sizeof key, "tid_%s", j->name);
    scen_note(key, (long)scen_gettid());
    j->fn();
    return 0;
}

static void run_c11(const char *name, void (*fn)(void))
{
    struct job j = {name, fn};
    thrd_t t;
    if (thrd_create(&t, c11_start, &j) != thrd_success || thrd_join(t, NULL) != thrd_success)
        scen_die("thrd_create/thrd_join failed");
}

static void must(int rc, const char *what)
{
    if (rc != thrd_success)
        scen_die("%s failed (%d)", what, rc);
}

static void a_then_b(void)
{
    must(mtx_lock(&A), "mtx_lock A");
    must(mtx_lock(&B), "mtx_lock B");
    must(mtx_unlock(&B), "mtx_unlock B");
    must(mtx_unlock(&A), "mtx_unlock A");
}

static void b_then_a(void)
{
    must(mtx_lock(&B), "mtx_lock B");
    must(mtx_lock(&A), "mtx_lock A");
    must(mtx_unlock(&A), "mtx_unlock A");
    must(mtx_unlock(&B), "mtx_unlock B");
}

int main(void)
{
    must(mtx_init(&A, mtx_plain), "mtx_init A");
    must(mtx_init(&B, mtx_timed), "mtx_init B");
    lo_note_lock("A", &A);
    lo_note_lock("B", &B);
    run_c11("t1", a_then_b);
    run_c11("t2", b_then_a);
    mtx_destroy(&A);
    mtx_destroy(&B);
    return 0;
}
