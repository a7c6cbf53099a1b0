/* SPDX-License-Identifier: MIT */
/* Verdict: two threads, each reading a pipe that only the other writes, and
 * each writing only after its own read returns; main joins the first. Nobody
 * ever writes: all asleep, both threads in pipe-read. (Channels have no
 * owners, so this is not reported as a wait-for cycle.) */
#include "scen.h"

/* p[i]: the pipe thread i reads and the other thread writes */
static int p[2][2];

static void *side(void *arg)
{
    int me = (int)(long)arg;
    scen_name(me ? "b" : "a");
    char ch;
    ssize_t n = read(p[me][0], &ch, 1);
    if (n == 1 && write(p[!me][1], &ch, 1) == 1)
        scen_die("side %d got a byte nobody sent", me);
    scen_die("read returned %zd", n);
    return arg;
}

int main(void)
{
    pthread_t t[2];
    CHECK_ERRNO(pipe(p[0]));
    CHECK_ERRNO(pipe(p[1]));
    /* what each thread waits on, and that pipe's other end */
    scen_note("a_fd", p[0][0]);
    scen_note("a_peer", p[0][1]);
    scen_note("b_fd", p[1][0]);
    scen_note("b_peer", p[1][1]);
    for (long i = 0; i < 2; i++)
        CHECK(pthread_create(&t[i], NULL, side, (void *)i));
    CHECK(pthread_join(t[0], NULL));
    scen_die("joined a");
}
