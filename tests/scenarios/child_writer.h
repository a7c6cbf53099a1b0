/* SPDX-License-Identifier: MIT */
/* The shared body of the *_writer scenarios: the main thread reads a pipe
 * that a child process, made behind the shim's back in some way, writes
 * after WRITER_DELAY_S.  No verdict: another process holds the pipe. */
#ifndef ASLEEP_CHILD_WRITER_H
#define ASLEEP_CHILD_WRITER_H

#include "scen.h"

#include <sys/wait.h>

#define WRITER_DELAY_S 0.8

static int writer_fds[2];

/* The child's side, with raw system calls only (its libc state may be that
 * of another process). */
__attribute__((unused)) static void writer_child(void)
{
    struct timespec d = {0, (long)(WRITER_DELAY_S * 1e9)};
    syscall(SYS_nanosleep, &d, NULL);
    syscall(SYS_write, writer_fds[1], "x", 1);
    syscall(SYS_exit_group, 0);
}

/* The parent's side: blocks in read until the child writes. */
__attribute__((unused)) static int writer_parent(pid_t child)
{
    char c;
    if (read(writer_fds[0], &c, 1) != 1 || c != 'x')
        scen_die("read from the child's pipe failed");
    int st;
    if (waitpid(child, &st, __WALL) != child || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
        scen_die("the child did not exit 0");
    return 0;
}

#endif
