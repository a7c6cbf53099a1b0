/* SPDX-License-Identifier: MIT */
/* After contended locks, nested locks in both orders (a lock-order report
 * on the way) and thread creation, the program's view of its descriptors:
 * the next free fd and every open one, as /proc/self/fd lists them. */
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;

static void *contend(void *arg)
{
    for (int i = 0; i < 20000; i++) {
        pthread_mutex_lock(&a);
        pthread_mutex_unlock(&a);
    }
    return arg;
}

static void *ab(void *arg)
{
    pthread_mutex_lock(&a);
    pthread_mutex_lock(&b);
    pthread_mutex_unlock(&b);
    pthread_mutex_unlock(&a);
    return arg;
}

static void *ba(void *arg)
{
    pthread_mutex_lock(&b);
    pthread_mutex_lock(&a);
    pthread_mutex_unlock(&a);
    pthread_mutex_unlock(&b);
    return arg;
}

static void run(void *(*fn)(void *), int n)
{
    pthread_t t[2];
    for (int i = 0; i < n; i++)
        pthread_create(&t[i], NULL, fn, NULL);
    for (int i = 0; i < n; i++)
        pthread_join(t[i], NULL);
}

int main(void)
{
    run(contend, 2);
    run(ab, 1);
    run(ba, 1);
    int fd = open("/dev/null", O_RDONLY);
    printf("next free fd: %d\nopen:", fd);
    DIR *d = opendir("/proc/self/fd");
    struct dirent *e;
    int dfd = dirfd(d);
    while ((e = readdir(d)) != NULL)
        if (e->d_name[0] != '.' && atoi(e->d_name) != dfd)
            printf(" %s", e->d_name);
    closedir(d);
    printf("\n");
    return 0;
}
