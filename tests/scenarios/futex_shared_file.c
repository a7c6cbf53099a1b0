/* SPDX-License-Identifier: MIT */
/* No verdict: the only thread waits on a futex (without FUTEX_PRIVATE_FLAG)
 * in a MAP_SHARED mapping of a file, with the file closed.  Another program
 * (this one, run again as "waker FILE") maps the file, closes it, computes
 * for a second, then sets the word and wakes the waiter.  No fd, pipe or
 * process tie shows the kernel's side: only the mapping does. */
#include "scen.h"
#include <linux/futex.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/wait.h>

extern char **environ;

static atomic_int *map_file(const char *path)
{
    int fd = open(path, O_RDWR | O_CLOEXEC);
    if (fd < 0)
        scen_die("open %s: %s", path, strerror(errno));
    atomic_int *word = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (word == MAP_FAILED)
        scen_die("mmap: %s", strerror(errno));
    close(fd);
    return word;
}

static int waker(const char *path)
{
    atomic_int *word = map_file(path);
    unsigned long v = 1;
    double start = scen_now(CLOCK_THREAD_CPUTIME_ID);
    do {
        for (int i = 0; i < 100000; i++)
            v = v * 2862933555777941757UL + 3037000493UL;
    } while (scen_now(CLOCK_THREAD_CPUTIME_ID) - start < 1.0);
    atomic_store(word, (int)(v | 1));
    syscall(SYS_futex, word, FUTEX_WAKE, 1, NULL, NULL, 0);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[1], "waker"))
        return waker(argv[2]);
    char path[] = "/tmp/asleep-futex-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0 || ftruncate(fd, 4096) != 0)
        scen_die("mkstemp: %s", strerror(errno));
    close(fd);
    atomic_int *word = map_file(path);
    pid_t pid;
    char *args[] = {"/proc/self/exe", "waker", path, NULL};
    int rc = posix_spawn(&pid, "/proc/self/exe", NULL, NULL, args, environ);
    if (rc != 0)
        scen_die("posix_spawn: %s", strerror(rc));
    while (atomic_load(word) == 0) {
        long r = syscall(SYS_futex, word, FUTEX_WAIT, 0, NULL, NULL, 0);
        if (r == -1 && errno != EINTR && errno != EAGAIN)
            scen_die("futex: %s", strerror(errno));
    }
    unlink(path);
    int status;
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        scen_die("the waker failed");
    return 0;
}
