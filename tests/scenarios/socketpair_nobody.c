/* SPDX-License-Identifier: MIT */
/* Verdict: a thread recv()s on one end of an AF_UNIX socketpair the program
 * made and never shares; nobody writes to the other end (which stays open);
 * main joins the receiver. All asleep (wait kind socket). */
#include "scen.h"
#include <sys/socket.h>

static int sv[2];

static void *receiver(void *arg)
{
    scen_name("receiver");
    char ch;
    ssize_t n = recv(sv[0], &ch, 1, 0);
    scen_die("recv returned %zd", n);
    return arg;
}

int main(void)
{
    pthread_t t;
    CHECK_ERRNO(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv));
    scen_note("sock", sv[0]);
    scen_note("peer", sv[1]);
    CHECK(pthread_create(&t, NULL, receiver, NULL));
    CHECK(pthread_join(t, NULL));
    scen_die("joined receiver");
}
