/* SPDX-License-Identifier: MIT */
/* No verdict: a thread reads a pipe whose write end was handed (posix_spawn
 * file action) to a child shell that writes after ~0.5 s. The parent keeps
 * its own copy of the write end open, so only the exposure tells the shim
 * that someone else may write. Main joins the reader. */
#include "scen.h"
#include <spawn.h>
#include <sys/wait.h>

extern char **environ;
static int fds[2];

static void *reader(void *arg)
{
    scen_name("reader");
    char buf[16];
    ssize_t n;
    while ((n = read(fds[0], buf, sizeof buf)) == -1 && errno == EINTR)
        ;
    if (n < 1 || buf[0] != 'x')
        scen_die("read returned %zd", n);
    return arg;
}

int main(void)
{
    pthread_t t;
    pid_t pid;
    posix_spawn_file_actions_t fa;
    CHECK_ERRNO(pipe(fds));
    CHECK(posix_spawn_file_actions_init(&fa));
    CHECK(posix_spawn_file_actions_adddup2(&fa, fds[1], 1));
    CHECK(posix_spawn_file_actions_addclose(&fa, fds[0]));
    char *argv[] = {"sh", "-c", "sleep 0.5; echo x", NULL};
    CHECK(posix_spawn(&pid, "/bin/sh", &fa, NULL, argv, environ));
    CHECK(pthread_create(&t, NULL, reader, NULL));
    CHECK(pthread_join(t, NULL));
    int st;
    if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
        scen_die("child failed");
    return 0;
}
