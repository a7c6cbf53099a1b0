/* SPDX-License-Identifier: MIT */
/* Raw system calls through syscall(): futex waits, where custom locks and
 * runtimes block (libstdc++ atomic waits, Rust's std, Abseil, GLib), and
 * children made without fork(), whose channels are exposed as after a fork.
 * A private futex waited on without a timeout can only be woken by a thread
 * of this process. */
#define _GNU_SOURCE
#include "hook.h"
#include "asl_fd.h"
#include "asl_real.h"
#include "asl_thread.h"
#include "asl_wait.h"

#include <linux/futex.h>
#include <stdarg.h>
#include <stdint.h>
#include <sys/syscall.h>

#ifndef SYS_futex_waitv
#define SYS_futex_waitv 449
#endif

/* The kernel's struct futex_waitv. */
struct waitv {
	uint64_t val;
	uint64_t uaddr;
	uint32_t flags;
	uint32_t reserved;
};

static long futex_wait(struct asl_thread *me, long a[6])
{
	int op = (int)a[1];
	/* Without FUTEX_PRIVATE_FLAG (libstdc++'s futures and static guards,
	 * for one) the kernel keys the futex by its mapping: only memory that
	 * is shared (MAP_SHARED, shm) can be woken from another process.  That
	 * is for the verdict to look up (asl_confirm.c). */
	struct asl_wait_req w = { .kind = ASL_W_FUTEX,
		                  .obj = (const void *)a[0],
		                  .timed = a[3] != 0,
		                  .by_mapping = !(op & FUTEX_PRIVATE_FLAG),
		                  .peer = -1,
		                  .expect = (int)a[2] };
	asl_wait_begin(me, &w);
	return ASL_WAIT_CALL(me, REAL(syscall)(SYS_futex, a[0], a[1], a[2], a[3], a[4], a[5]));
}

static long futex_waitv(struct asl_thread *me, long a[6])
{
	const struct waitv *v = (const struct waitv *)a[0];
	int shared = 0;
	for (long i = 0; v && i < a[1]; i++)
		shared |= !(v[i].flags & FUTEX_PRIVATE_FLAG);
	struct asl_wait_req w = { .kind = ASL_W_FUTEX,
		                  .obj = v && a[1] > 0 ? (const void *)(uintptr_t)v[0].uaddr : NULL,
		                  .timed = a[3] != 0,
		                  .shared = shared,
		                  .peer = -1,
		                  .expect = v && a[1] > 0 ? (int)v[0].val : 0 };
	asl_wait_begin(me, &w);
	return ASL_WAIT_CALL(me, REAL(syscall)(SYS_futex_waitv, a[0], a[1], a[2], a[3], a[4], a[5]));
}

/* syscall() takes up to six register-sized arguments; reading six is what
 * glibc's own implementation does. */
ASL_EXPORT long syscall(long n, ...)
{
	long a[6];
	va_list ap;
	va_start(ap, n);
	for (int i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	struct asl_thread *me;
	asl_seccomp_syscall(n, a[0]);
	if (n == SYS_fork || n == SYS_vfork)
		asl_fd_before_clone(0);
	else if (n == SYS_clone)
		asl_fd_before_clone((unsigned long)a[0]);
	else if (n == SYS_clone3)
		asl_fd_before_clone(a[0] ? *(const uint64_t *)a[0] : 0); /* struct clone_args: flags first */
	if (n == SYS_futex && ((int)a[1] & FUTEX_CMD_MASK) != FUTEX_WAIT &&
	    ((int)a[1] & FUTEX_CMD_MASK) != FUTEX_WAIT_BITSET)
		return REAL(syscall)(n, a[0], a[1], a[2], a[3], a[4], a[5]);
	if ((n == SYS_futex || n == SYS_futex_waitv) && (me = asl_hook_self()) && !asl_in_signal(me))
		return n == SYS_futex ? futex_wait(me, a) : futex_waitv(me, a);
	return REAL(syscall)(n, a[0], a[1], a[2], a[3], a[4], a[5]);
}
