/* SPDX-License-Identifier: MIT */
/* asleep.h used from a plain program (run by run_supp_check.c, not by the
 * scenario lists: it prints its results on stdout).  After a snapshot it
 * starts three threads: "joined" (joined before the check), "leaver" (told
 * to stop just before the check, not joined: on its way out) and "leaker"
 * (blocked on a pipe nobody writes until after the check).  Prints
 * "verify=N scans=K snap=M"; with the shim N is 1 (only "leaker"), without it
 * -1 (ASLEEP_NO_SHIM).  Exits 0 either way, every thread ended. */
#include "scen.h"

#include "asleep.h"

static int leaver_pipe[2], leaker_pipe[2];

static void *joined(void *arg)
{
    scen_name("joined");
    return arg;
}

/* Inlined, so that the top frame of the waits is the thread's function. */
__attribute__((always_inline)) static inline void *read_one(int fd, const char *name)
{
    char c;
    scen_name(name);
    if (read(fd, &c, 1) != 1)
        scen_die("%s: read", name);
    return NULL;
}

static void *leaver(void *arg)
{
    (void)arg;
    return read_one(leaver_pipe[0], "leaver");
}

static void *start_leaker(void *arg)
{
    (void)arg;
    return read_one(leaker_pipe[0], "leaker");
}

int main(void)
{
    asleep_snapshot_t snap;
    asleep_verify_opts_t opts = { .max_scans = 100, .wait_ms = 5 };
    pthread_t j, lv, lk;
    int rc = asleep_snapshot(&snap);
    if (rc != ASLEEP_OK && rc != ASLEEP_NO_SHIM)
        scen_die("asleep_snapshot: %d", rc);
    CHECK(pipe(leaver_pipe) ? errno : 0);
    CHECK(pipe(leaker_pipe) ? errno : 0);
    CHECK(pthread_create(&j, NULL, joined, NULL));
    CHECK(pthread_join(j, NULL));
    CHECK(pthread_create(&lv, NULL, leaver, NULL));
    CHECK(pthread_create(&lk, NULL, start_leaker, NULL));
    if (write(leaver_pipe[1], "x", 1) != 1)
        scen_die("write");
    rc = asleep_verify_none(&snap, &opts);
    printf("verify=%d scans=%d snap=%d\n", rc, opts.scans, snap.nthreads);
    if (rc < 0)
        printf("%s\n", asleep_strerror(rc));
    fflush(stdout);
    asleep_snapshot_free(&snap);
    if (write(leaker_pipe[1], "x", 1) != 1)
        scen_die("write");
    CHECK(pthread_join(lv, NULL));
    CHECK(pthread_join(lk, NULL));
    return 0;
}
