/* SPDX-License-Identifier: MIT */
/* Verdict: four readers share one pipe the program made and never shares;
 * main writes 4 KiB before they start, they read it a byte at a time and
 * race for the last bytes, then all wait on the empty pipe; nothing writes
 * again; main joins them.  All asleep (wait kind pipe-read), every reader
 * recorded: only a pipe's sole reader may skip the shim's try (hook_io.c
 * sole_reader); once a second thread reads, every read tries, so the losers
 * of the race for the last bytes wait recorded. */
#include "scen.h"

#define READERS 4
#define BYTES 4096

static int fds[2];

static void *reader(void *arg)
{
    char name[24], ch;
    snprintf(name, sizeof name, "reader%d", (int)(intptr_t)arg + 1);
    scen_name(name);
    for (;;) {
        ssize_t n = read(fds[0], &ch, 1);
        if (n != 1)
            scen_die("read returned %zd", n);
    }
    return arg;
}

int main(void)
{
    pthread_t t[READERS];
    static char buf[BYTES];
    CHECK_ERRNO(pipe(fds));
    if (write(fds[1], buf, sizeof buf) != (ssize_t)sizeof buf)
        scen_die("short write");
    for (int i = 0; i < READERS; i++)
        CHECK(pthread_create(&t[i], NULL, reader, (void *)(intptr_t)i));
    CHECK(pthread_join(t[0], NULL));
    scen_die("joined a reader");
}
