/* SPDX-License-Identifier: MIT */
/* No verdict: two threads pass one byte back and forth 30,000 times over two
 * pipes (each reads its own pipe and writes the other's) while main joins
 * them. For an instant in every round all threads look asleep. */
#include "scen.h"

#define ROUNDS 30000

/* p[i]: the pipe thread i reads and the other thread writes */
static int p[2][2];

static void *player(void *arg)
{
    int me = (int)(long)arg;
    scen_name(me ? "pong" : "ping");
    for (int i = 0; i < ROUNDS; i++) {
        unsigned char b;
        ssize_t n;
        while ((n = read(p[me][0], &b, 1)) == -1 && errno == EINTR)
            ;
        /* ping sees 0, 2, 4, ...; pong 1, 3, 5, ... (mod 256) */
        if (n != 1 || b != (unsigned char)(2 * i + me))
            scen_die("round %d: read %zd, byte %u", i, n, b);
        b++;
        while ((n = write(p[!me][1], &b, 1)) == -1 && errno == EINTR)
            ;
        if (n != 1)
            scen_die("round %d: write %zd", i, n);
    }
    return NULL;
}

int main(void)
{
    pthread_t t[2];
    CHECK_ERRNO(pipe(p[0]));
    CHECK_ERRNO(pipe(p[1]));
    unsigned char b = 0;
    if (write(p[0][1], &b, 1) != 1) /* ping serves first */
        scen_die("first write: %s", strerror(errno));
    for (long i = 0; i < 2; i++)
        CHECK(pthread_create(&t[i], NULL, player, (void *)i));
    for (int i = 0; i < 2; i++)
        CHECK(pthread_join(t[i], NULL));
    /* pong's last byte is still in ping's pipe */
    if (read(p[0][0], &b, 1) != 1 || b != (unsigned char)(2 * ROUNDS))
        scen_die("last byte %u", b);
    return 0;
}
