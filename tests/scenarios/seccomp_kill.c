/* SPDX-License-Identifier: MIT */
/* No harm: the main thread alone goes under a filter that kills on anything
 * the program does not need itself (scen_seccomp.h), the way a daemon drops
 * into its sandbox, with its other thread (and the shim's monitor) left
 * outside; the two play pipe ping-pong, and the program joins and exits 0. */
#include "scen_seccomp.h"

int main(void)
{
    CHECK_ERRNO(pipe(scen_ab));
    CHECK_ERRNO(pipe(scen_ba));
    pthread_t t;
    CHECK(pthread_create(&t, NULL, scen_answerer, (void *)(intptr_t)500));
    scen_seccomp_sandbox(0);
    scen_pingpong(scen_ba[0], scen_ab[1], 1, 500);
    CHECK(pthread_join(t, NULL));
    return 0;
}
