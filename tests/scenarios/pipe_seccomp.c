/* SPDX-License-Identifier: MIT */
/* No verdict, same answers: a program started under a seccomp filter that
 * refuses preadv2 and pwritev2 (EPERM) still reads and writes its pipes as
 * without the shim, which then tries its calls no more and asks poll.  The
 * filter is inherited across exec, as from a container runtime: the shim
 * never sees it go in, and keeps working under it (a filter the program
 * installs itself stops the shim instead: seccomp_kill). */
#include "scen.h"

#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

static void refuse_nowait_calls(void)
{
    struct sock_filter f[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_preadv2, 2, 0),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_pwritev2, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
    };
    struct sock_fprog prog = { sizeof f / sizeof f[0], f };
    CHECK_ERRNO(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
    CHECK_ERRNO(prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog));
}

static int p[2];

static void *writer(void *arg)
{
    (void)arg;
    scen_name("writer");
    for (int i = 0; i < 1000; i++) {
        char c = (char)i;
        if (write(p[1], &c, 1) != 1)
            scen_die("write %d: %s", i, strerror(errno));
    }
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        refuse_nowait_calls();
        execv("/proc/self/exe", (char *[]){ argv[0], "under-filter", NULL });
        scen_die("exec: %s", strerror(errno));
    }
    char buf[64];
    int q[2];
    CHECK_ERRNO(pipe2(q, O_NONBLOCK));
    if (read(q[0], buf, sizeof buf) != -1 || errno != EAGAIN)
        scen_die("empty non-blocking pipe: want EAGAIN, got %s", strerror(errno));
    if (write(q[1], "abc", 3) != 3 || read(q[0], buf, sizeof buf) != 3)
        scen_die("small write and read: %s", strerror(errno));
    /* a reader that blocks while another thread writes */
    CHECK_ERRNO(pipe(p));
    pthread_t t;
    CHECK(pthread_create(&t, NULL, writer, NULL));
    for (int i = 0; i < 1000; i++) {
        char c;
        ssize_t n;
        while ((n = read(p[0], &c, 1)) == -1 && errno == EINTR)
            ;
        if (n != 1 || c != (char)i)
            scen_die("read %d: %zd (%s)", i, n, n < 0 ? strerror(errno) : "-");
    }
    CHECK(pthread_join(t, NULL));
    return 0;
}
