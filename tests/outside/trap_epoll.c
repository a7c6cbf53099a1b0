/* SPDX-License-Identifier: MIT */
/* Trap, run natively: a server idle in epoll_wait on a socket whose other
 * end another process (its child) holds; SIGUSR1 is blocked and may be
 * sent while it waits.  When the child writes (on SIGUSR2 from the test),
 * the server reads the message, unblocks SIGUSR1 (its handler runs for a
 * signal left pending), prints "got MSG, usr1 N" and exits 0: what
 * attaching must not change (no verdict, the system call restarted, the
 * pending signal kept). */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t usr1, usr2;

static void on_usr1(int sig)
{
    (void)sig;
    usr1++;
}

static void on_usr2(int sig)
{
    (void)sig;
    usr2 = 1;
}

int main(void)
{
    int sv[2];
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, NULL);
    signal(SIGUSR1, on_usr1);
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
        return 2;
    pid_t child = fork();
    if (child == 0) { /* the other end: writes when the test says so */
        close(sv[0]);
        signal(SIGUSR2, on_usr2);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        while (!usr2)
            pause();
        if (write(sv[1], "hello", 5) != 5)
            _exit(3);
        _exit(0);
    }
    close(sv[1]);
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = sv[0]}, got;
    epoll_ctl(ep, EPOLL_CTL_ADD, sv[0], &ev);
    printf("child %d\n", (int)child);
    fflush(stdout);
    int n;
    while ((n = epoll_wait(ep, &got, 1, -1)) < 0)
        ;
    char buf[16] = "";
    ssize_t len = read(sv[0], buf, sizeof buf - 1);
    buf[len > 0 ? len : 0] = '\0';
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    int status;
    waitpid(child, &status, 0);
    printf("got %s, usr1 %d\n", buf, (int)usr1);
    return 0;
}
