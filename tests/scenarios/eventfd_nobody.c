/* SPDX-License-Identifier: MIT */
/* Verdict: a thread reads an eventfd the program made and never shares;
 * nobody ever increments it; main joins the reader. All asleep (wait kind
 * eventfd). */
#include "scen.h"
#include <stdint.h>
#include <sys/eventfd.h>

static int efd;

static void *reader(void *arg)
{
    scen_name("reader");
    uint64_t v;
    ssize_t n = read(efd, &v, sizeof v);
    scen_die("read returned %zd", n);
    return arg;
}

int main(void)
{
    pthread_t t;
    CHECK_ERRNO(efd = eventfd(0, EFD_CLOEXEC));
    scen_note("efd", efd);
    CHECK(pthread_create(&t, NULL, reader, NULL));
    CHECK(pthread_join(t, NULL));
    scen_die("joined reader");
}
