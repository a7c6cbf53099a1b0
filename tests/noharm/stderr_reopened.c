/* SPDX-License-Identifier: MIT */
/* A program that closes fds 0-2 and opens its own files there: argv[1] ends
 * up on fd 2 and gets one line of data.  Then it takes two locks in both
 * orders (a lock-order-inversion the shim reports at exit): that report must
 * not land in the data file. */
#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>

static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;

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

int main(int argc, char **argv)
{
    if (argc < 2)
        return 9;
    close(0);
    close(1);
    close(2);
    if (open("/dev/null", O_RDONLY) != 0 || open("/dev/null", O_WRONLY) != 1 ||
        open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644) != 2)
        return 8;
    const char line[] = "the program's own data\n";
    if (write(2, line, strlen(line)) != (ssize_t)strlen(line))
        return 7;
    pthread_t t;
    pthread_create(&t, NULL, ab, NULL);
    pthread_join(t, NULL);
    pthread_create(&t, NULL, ba, NULL);
    pthread_join(t, NULL);
    return 0;
}
