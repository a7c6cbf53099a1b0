/* SPDX-License-Identifier: MIT */
/* Four threads fork 200 times each, at once, taking a shared mutex between
 * forks; each child exits at once.  Prints "forked 800". */
#include <pthread.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static int forked;

static void *run(void *arg)
{
    for (int i = 0; i < 200; i++) {
        pid_t p = fork();
        if (p == 0)
            _exit(0);
        int st;
        if (p > 0 && waitpid(p, &st, 0) == p && WIFEXITED(st) && WEXITSTATUS(st) == 0) {
            pthread_mutex_lock(&m);
            forked++;
            pthread_mutex_unlock(&m);
        }
    }
    return arg;
}

int main(void)
{
    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        pthread_create(&t[i], NULL, run, NULL);
    for (int i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
    printf("forked %d\n", forked);
    return 0;
}
