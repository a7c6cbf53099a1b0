/* SPDX-License-Identifier: MIT */
/* A seccomp filter that kills the process on the system calls the shim may
 * make of its own and these programs never make: a sandbox whose list holds
 * only what the program needs (sshd's, say).  No-harm traps: natively they
 * run to the end; a shim that tries a read with preadv2, asks fcntl or poll,
 * reads /proc, unwinds through sigaltstack or reports at exit kills them. */
#ifndef ASLEEP_SCEN_SECCOMP_H
#define ASLEEP_SCEN_SECCOMP_H

#include "scen.h"

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/prctl.h>

static const int scen_denied[] = {
    SYS_preadv2,       SYS_pwritev2,        SYS_poll,     SYS_ppoll,        SYS_fcntl,
    SYS_open,          SYS_openat,          SYS_getdents64, SYS_readlink,   SYS_readlinkat,
    SYS_sigaltstack,   SYS_process_vm_readv, SYS_prctl,   SYS_gettid,       SYS_getpid,
    SYS_tgkill,        SYS_rt_sigaction,    SYS_nanosleep, SYS_clock_nanosleep, SYS_clock_gettime,
};
#define SCEN_NDENIED ((int)(sizeof scen_denied / sizeof scen_denied[0]))

/* tsync: for every thread of the process, by seccomp(); else for the calling
 * thread and those it makes later, by prctl(). */
static void scen_seccomp_sandbox(int tsync)
{
    struct sock_filter f[2 + SCEN_NDENIED + 2];
    int n = 0;
    f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
    for (int i = 0; i < SCEN_NDENIED; i++) /* a match jumps to the kill at the end */
        f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)scen_denied[i],
                                              (unsigned char)(SCEN_NDENIED - i), 0);
    f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
    f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
    struct sock_fprog prog = { (unsigned short)n, f };
    CHECK_ERRNO(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
    if (tsync)
        CHECK_ERRNO(syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, &prog));
    else
        CHECK_ERRNO(prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog));
}

/* What the sandboxed threads do: a pipe ping-pong (every read blocks until
 * the other side writes) with a lock pair taken nested on one side and a
 * mutex both sides want. */
static int scen_ab[2], scen_ba[2];
static pthread_mutex_t scen_outer = PTHREAD_MUTEX_INITIALIZER, scen_inner = PTHREAD_MUTEX_INITIALIZER,
                       scen_shared = PTHREAD_MUTEX_INITIALIZER;

__attribute__((unused)) static void scen_pingpong(int rfd, int wfd, int first, int rounds)
{
    for (int i = 0; i < rounds; i++) {
        char c = (char)i, got;
        if (first && write(wfd, &c, 1) != 1)
            scen_die("write %d: %s", i, strerror(errno));
        ssize_t r;
        while ((r = read(rfd, &got, 1)) == -1 && errno == EINTR)
            ;
        if (r != 1 || got != c)
            scen_die("read %d: %zd", i, r);
        CHECK(pthread_mutex_lock(&scen_shared));
        if (!first) {
            CHECK(pthread_mutex_lock(&scen_outer));
            CHECK(pthread_mutex_lock(&scen_inner));
            CHECK(pthread_mutex_unlock(&scen_inner));
            CHECK(pthread_mutex_unlock(&scen_outer));
        }
        CHECK(pthread_mutex_unlock(&scen_shared));
        if (!first && write(wfd, &c, 1) != 1)
            scen_die("write back %d: %s", i, strerror(errno));
    }
}

__attribute__((unused)) static void *scen_answerer(void *arg)
{
    scen_pingpong(scen_ab[0], scen_ba[1], 0, (int)(intptr_t)arg);
    return NULL;
}

#endif
