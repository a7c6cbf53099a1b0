/* SPDX-License-Identifier: MIT */
/* Trap, run natively: two threads compute while main joins them, then it
 * prints "done 2" and exits 0.  Nothing to report, and attaching must not
 * change that outcome.  Each worker computes until the file argv[1] exists. */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static const char *go;

static void *work(void *arg)
{
    volatile unsigned long v = 1;
    while (access(go, F_OK) != 0)
        for (int i = 0; i < 100000; i++)
            v = v * 2862933555777941757UL + 3037000493UL;
    return arg;
}

int main(int argc, char **argv)
{
    pthread_t t[2];
    if (argc != 2)
        return 2;
    go = argv[1];
    for (int i = 0; i < 2; i++)
        pthread_create(&t[i], NULL, work, NULL);
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    printf("done 2\n");
    return 0;
}
