/* SPDX-License-Identifier: MIT */
/* No verdict: the only thread waits on a futex (without FUTEX_PRIVATE_FLAG)
 * in MAP_SHARED anonymous memory; a forked child computes for a second, then
 * sets the word and wakes it.  Only the memory says another process can. */
#include "scen.h"
#include <linux/futex.h>
#include <sys/mman.h>
#include <sys/wait.h>

static void crunch(double seconds)
{
    unsigned long v = 1;
    double start = scen_now(CLOCK_THREAD_CPUTIME_ID);
    do {
        for (int i = 0; i < 100000; i++)
            v = v * 2862933555777941757UL + 3037000493UL;
    } while (scen_now(CLOCK_THREAD_CPUTIME_ID) - start < seconds);
    if (v == 0)
        scen_die("no result");
}

int main(void)
{
    atomic_int *word = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (word == MAP_FAILED)
        scen_die("mmap: %s", strerror(errno));
    pid_t pid = fork();
    if (pid < 0)
        scen_die("fork: %s", strerror(errno));
    if (pid == 0) {
        crunch(1.0);
        atomic_store(word, 1);
        syscall(SYS_futex, word, FUTEX_WAKE, 1, NULL, NULL, 0);
        _exit(0);
    }
    while (atomic_load(word) == 0) {
        long r = syscall(SYS_futex, word, FUTEX_WAIT, 0, NULL, NULL, 0);
        if (r == -1 && errno != EINTR && errno != EAGAIN)
            scen_die("futex: %s", strerror(errno));
    }
    int status;
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        scen_die("the child failed");
    return 0;
}
