/* SPDX-License-Identifier: MIT */
/* No verdict: the child that writes the pipe is made with glibc's clone()
 * (no fork, so no fork handler of the shim runs). */
#include "child_writer.h"

#include <sched.h>

static char child_stack[64 * 1024] __attribute__((aligned(16)));

static int child_main(void *arg)
{
    (void)arg;
    writer_child();
    return 0;
}

int main(void)
{
    CHECK_ERRNO(pipe(writer_fds));
    pid_t child = clone(child_main, child_stack + sizeof child_stack, SIGCHLD, NULL);
    if (child < 0)
        scen_die("clone: %s", strerror(errno));
    return writer_parent(child);
}
