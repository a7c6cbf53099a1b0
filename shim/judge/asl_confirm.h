/* SPDX-License-Identifier: MIT */
/* The verdict's last gate.  The registry says what the hooks saw; the kernel
 * knows what actually is.  Before anyone is told "all asleep" or "deadlock",
 * every check below must agree, in this order, and the first that does not
 * vetoes the verdict (the reason goes to the next dump as "vetoed_by"):
 *
 *  1. threads  - the kernel's thread list is the registry's (all-asleep),
 *                every thread is asleep in the kernel (S), and in the system
 *                call its wait implies (futex for locks, read for a pipe...);
 *  2. memory   - a futex waited on without FUTEX_PRIVATE_FLAG lies in a
 *                private mapping (/proc/self/maps): only shared memory can be
 *                woken from another process;
 *     channels - every fd a waiter depends on is what the shim thinks it is:
 *                a pipe, eventfd or socketpair made here, or an epoll set
 *                whose members (the kernel's list, /proc/self/fdinfo) are;
 *                anything else (a socket to the outside, a tty, a timerfd,
 *                a signalfd, a closed fd) can be ended from outside;
 *  3. io_uring - a process with an io_uring instance may be woken by a
 *                completion the shim cannot see: no verdict on fd waits;
 *  4. others   - no other process holds any of those channels (pipe and
 *                socket inodes in /proc/PID/fd, eventfds compared with
 *                kcmp); a descendant we cannot inspect vetoes;
 *  5. idle     - (all-asleep only) every thread waits on a wake-up channel
 *                nobody in the process ever wrote to: a process idle until a
 *                signal or an outside event ends it, not a hang.
 *
 * The verdict is rare, so these checks read /proc freely; they allocate
 * nothing and take no lock (the lone thread runs them at its wait's attempt,
 * from inside a hook). */
#ifndef ASL_CONFIRM_H
#define ASL_CONFIRM_H

#include "asl_snapshot.h"
#include "asl_verdict.h"

struct asl_veto {
	char check[16];   /* "threads", "channels", "io_uring", "others", "idle" */
	char reason[160]; /* one line */
	pid_t tid;        /* the thread it is about, or 0 */
};

enum {
	ASL_CONFIRM_ALL = 1,  /* all-asleep: every thread, and the idle rule */
	ASL_CONFIRM_SELF = 2, /* the lone thread, at its wait's attempt: it is running */
};

/* 0 when the kernel confirms the verdict over the snapshot's threads
 * `threads` (indices; NULL with ASL_CONFIRM_ALL: all of them); else 1 with
 * *v filled. */
int asl_confirm(const struct asl_snapshot *s, const struct asl_world *w, const int *threads, int n, int flags,
                struct asl_veto *v);

/* How often the kernel has switched the snapshot's threads out, summed
 * (never decreasing): the same sum at two moments means none of them ran
 * in between.  -1 when /proc cannot say. */
int asl_confirm_switches(const struct asl_snapshot *s, unsigned long long *sum);

/* The last veto of a verdict the monitor was about to give (for dumps);
 * 0 when there was none since the last verdict. */
int asl_confirm_last_veto(struct asl_veto *out);
void asl_confirm_note_veto(const struct asl_veto *v);
void asl_confirm_clear_veto(void);

#endif
