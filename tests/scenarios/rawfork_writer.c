/* SPDX-License-Identifier: MIT */
/* No verdict: the child that writes the pipe is made with syscall(SYS_fork),
 * which runs no fork handler. */
#include "child_writer.h"

int main(void)
{
    CHECK_ERRNO(pipe(writer_fds));
    long child = syscall(SYS_fork);
    if (child < 0)
        scen_die("SYS_fork: %s", strerror(errno));
    if (child == 0)
        writer_child();
    return writer_parent((pid_t)child);
}
