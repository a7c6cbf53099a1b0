/* SPDX-License-Identifier: MIT */
/* No verdict: the only thread waits on a process-shared mutex held by a child
 * process, then on a process-shared semaphore the child posts. Inside the
 * process nobody can wake it, but another process does. */
#include "scen.h"
#include <semaphore.h>
#include <sys/mman.h>
#include <sys/wait.h>

struct shared {
    pthread_mutex_t m;
    sem_t s;
};

static void nap(long ms)
{
    struct timespec d = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&d, &d) == -1 && errno == EINTR)
        ;
}

int main(void)
{
    struct shared *sh = mmap(NULL, sizeof *sh, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (sh == MAP_FAILED)
        scen_die("mmap: %s", strerror(errno));
    pthread_mutexattr_t at;
    CHECK(pthread_mutexattr_init(&at));
    CHECK(pthread_mutexattr_setpshared(&at, PTHREAD_PROCESS_SHARED));
    CHECK(pthread_mutex_init(&sh->m, &at));
    CHECK_ERRNO(sem_init(&sh->s, 1, 0));
    int p[2];
    CHECK_ERRNO(pipe(p));

    pid_t pid = fork();
    if (pid == -1)
        scen_die("fork: %s", strerror(errno));
    if (pid == 0) {
        CHECK(pthread_mutex_lock(&sh->m));
        if (write(p[1], "x", 1) != 1)
            _exit(1);
        nap(700);   /* the scenario is about a slow other process */
        CHECK(pthread_mutex_unlock(&sh->m));
        nap(400);
        CHECK_ERRNO(sem_post(&sh->s));
        _exit(0);
    }
    char ch;
    if (read(p[0], &ch, 1) != 1)
        scen_die("read");
    CHECK(pthread_mutex_lock(&sh->m));   /* held by the child for ~0.7 s */
    CHECK(pthread_mutex_unlock(&sh->m));
    while (sem_wait(&sh->s) == -1)       /* posted by the child after ~0.4 s */
        if (errno != EINTR)
            scen_die("sem_wait: %s", strerror(errno));
    int st;
    if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
        scen_die("child failed");
    return 0;
}
