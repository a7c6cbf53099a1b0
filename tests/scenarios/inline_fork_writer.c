/* SPDX-License-Identifier: MIT */
/* No verdict: the child that writes the pipe is made by an inline fork
 * system call, which no interposer can see.  Only the kernel's view of the
 * pipe (another process holds it) can stop the verdict. */
#include "child_writer.h"

static long inline_fork(void)
{
#if defined(__x86_64__)
    long r;
    __asm__ volatile("syscall" : "=a"(r) : "0"((long)SYS_fork) : "rcx", "r11", "memory");
    return r;
#else
    return syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
#endif
}

int main(void)
{
    CHECK_ERRNO(pipe(writer_fds));
    long child = inline_fork();
    if (child < 0)
        scen_die("inline fork failed: %ld", child);
    if (child == 0)
        writer_child();
    return writer_parent((pid_t)child);
}
