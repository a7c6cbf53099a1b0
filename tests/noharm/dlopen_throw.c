/* SPDX-License-Identifier: MIT */
/* A C program dlopens a C++ library that throws and catches, from four
 * threads at once.  Prints the number of exceptions caught. */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

static int (*thrower)(int);

static void *run(void *arg)
{
    long caught = 0;
    (void)arg;
    for (int i = 0; i < 2000; i++)
        caught += thrower(i);
    return (void *)caught;
}

int main(int argc, char **argv)
{
    void *h = dlopen(argc > 1 ? argv[1] : "./libthrower.so", RTLD_NOW);
    if (!h) {
        fprintf(stderr, "dlopen: %s\n", dlerror());
        return 9;
    }
    thrower = (int (*)(int))dlsym(h, "thrower");
    pthread_t t[4];
    long total = 0;
    void *r;
    for (int i = 0; i < 4; i++)
        pthread_create(&t[i], NULL, run, NULL);
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], &r);
        total += (long)r;
    }
    printf("caught %ld\n", total);
    return 0;
}
