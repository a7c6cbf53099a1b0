/* SPDX-License-Identifier: MIT */
/* No verdict: a thread blocks reading a pipe whose only writer is a child
 * process (which writes after ~0.5 s); main joins the reader. Inside the
 * process everyone is asleep, but the wake-up comes from outside. */
#include "scen.h"
#include <sys/wait.h>

static int fds[2];

static void *reader(void *arg)
{
    scen_name("reader");
    char ch;
    ssize_t n;
    while ((n = read(fds[0], &ch, 1)) == -1 && errno == EINTR)
        ;
    if (n != 1 || ch != 'x')
        scen_die("read returned %zd", n);
    return arg;
}

int main(void)
{
    pthread_t t;
    CHECK_ERRNO(pipe(fds));
    pid_t pid = fork();
    if (pid == -1)
        scen_die("fork: %s", strerror(errno));
    if (pid == 0) {
        close(fds[0]);
        struct timespec d = {0, 500 * 1000 * 1000};
        nanosleep(&d, NULL);   /* the scenario is about a slow outside writer */
        if (write(fds[1], "x", 1) != 1)
            _exit(1);
        _exit(0);
    }
    close(fds[1]);
    CHECK(pthread_create(&t, NULL, reader, NULL));
    CHECK(pthread_join(t, NULL));
    int st;
    if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
        scen_die("child failed");
    return 0;
}
