/* SPDX-License-Identifier: MIT */
/* Address reuse, (c): two functions each with a stack-local mutex
 * (PTHREAD_MUTEX_INITIALIZER, never destroyed), one taking G -> local, the
 * other local -> G.  They run in two threads given the same stack memory
 * (pthread_attr_setstack), at the same call depth, so both locals have the
 * same address (asserted).  Two different locks: not reported. */
#include "lo_common.h"

#include <sys/mman.h>

#define STACK_SIZE (256 * 1024)

static pthread_mutex_t G = PTHREAD_MUTEX_INITIALIZER;
static void *local_at[2]; /* where each function's local mutex was */

__attribute__((noinline)) static void gate_then_local(void *arg)
{
    (void)arg;
    pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
    local_at[0] = &m;
    CHECK(pthread_mutex_lock(&G));
    CHECK(pthread_mutex_lock(&m));
    CHECK(pthread_mutex_unlock(&m));
    CHECK(pthread_mutex_unlock(&G));
}

__attribute__((noinline)) static void local_then_gate(void *arg)
{
    (void)arg;
    pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
    local_at[1] = &m;
    CHECK(pthread_mutex_lock(&m));
    CHECK(pthread_mutex_lock(&G));
    CHECK(pthread_mutex_unlock(&G));
    CHECK(pthread_mutex_unlock(&m));
}

int main(void)
{
    void *stack = mmap(NULL, STACK_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (stack == MAP_FAILED)
        scen_die("mmap: %s", strerror(errno));
    pthread_attr_t at;
    CHECK(pthread_attr_init(&at));
    CHECK(pthread_attr_setstack(&at, stack, STACK_SIZE));
    lo_note_lock("G", &G);
    lo_run_attr("t1", gate_then_local, NULL, &at);
    lo_run_attr("t2", local_then_gate, NULL, &at);
    if (local_at[0] != local_at[1]) /* what makes this scenario about reuse */
        scen_die("the two locals are at %p and %p", local_at[0], local_at[1]);
    lo_note_lock("local", local_at[0]);
    CHECK(pthread_attr_destroy(&at));
    munmap(stack, STACK_SIZE);
    return 0;
}
