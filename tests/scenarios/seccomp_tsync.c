/* SPDX-License-Identifier: MIT */
/* No harm: after its first thread (and with it the shim's monitor) is
 * running, the program puts every thread under a filter that kills on
 * anything it does not need itself (scen_seccomp.h), then plays pipe
 * ping-pong, joins and exits 0.  The in-test leak check answers as without
 * the shim (ASLEEP_NO_SHIM): the shim has stopped. */
#include "scen_seccomp.h"

#include "../../include/asleep.h"

int main(void)
{
    pthread_barrier_t start;
    CHECK_ERRNO(pipe(scen_ab));
    CHECK_ERRNO(pipe(scen_ba));
    CHECK(pthread_barrier_init(&start, NULL, 2));
    pthread_t t;
    CHECK(pthread_create(&t, NULL, scen_answerer, (void *)(intptr_t)500));
    scen_seccomp_sandbox(1);
    scen_pingpong(scen_ba[0], scen_ab[1], 1, 500);
    CHECK(pthread_join(t, NULL));
    asleep_snapshot_t snap;
    int rc = asleep_snapshot(&snap);
    if (rc != ASLEEP_NO_SHIM)
        scen_die("asleep_snapshot under the filter: %d, want ASLEEP_NO_SHIM", rc);
    return 0;
}
