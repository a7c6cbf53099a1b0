/* SPDX-License-Identifier: MIT */
/* "Who could end it" for a long-wait: the owners the verdict code knows
 * (lock holders, the join target), else who may act on the object.  Pure
 * over a snapshot, so it is unit-tested. */
#define _GNU_SOURCE
#include "asl_enders.h"
#include "asl_owners.h"

#include <stdio.h>
#include <string.h>

/* Lock holders and join targets are known; for the rest, say who may act. */
void asl_wait_enders(const struct asl_snapshot *s, int i, char *buf, size_t len)
{
	const struct asl_wait *w = &s->t[i].wait;
	int owners[8], n;
	pid_t unknown;
	size_t off = 0;
	buf[0] = '\0';
	n = asl_snap_owners(s, i, owners, 8, &unknown);
	switch (w->kind) {
	case ASL_W_JOIN:
		if (n)
			snprintf(buf, len, "thread %d must exit", s->t[owners[0]].tid);
		else
			snprintf(buf, len, "the target thread must exit");
		return;
	case ASL_W_MUTEX:
	case ASL_W_RWLOCK_READ:
	case ASL_W_RWLOCK_WRITE:
	case ASL_W_SPIN:
		for (int j = 0; j < n && off < len; j++)
			off += (size_t)snprintf(buf + off, len - off, "%s%d", j ? ", " : "held by thread ",
			                        s->t[owners[j]].tid);
		if (off >= len)
			off = len - 1;
		if (unknown)
			snprintf(buf + off, len - off, "%sheld by thread %d, which no longer exists", n ? "; " : "",
			         (int)unknown);
		else if (!n)
			snprintf(buf, len, "the holder is not known");
		break;
	case ASL_W_ONCE:
		if (n)
			snprintf(buf, len, "thread %d must finish the once routine", s->t[owners[0]].tid);
		else
			snprintf(buf, len, "the thread running the once routine must finish it");
		break;
	case ASL_W_COND_DESTROY:
		for (int j = 0; j < n && off < len; j++)
			off += (size_t)snprintf(buf + off, len - off, "%s%d",
			                        j ? ", " : "its waiters must leave: thread ", s->t[owners[j]].tid);
		if (!n)
			snprintf(buf, len, "its waiters must leave");
		return;
	case ASL_W_COND:
		snprintf(buf, len, "any thread that signals it");
		break;
	case ASL_W_SEM:
		snprintf(buf, len, "any thread that posts it");
		break;
	case ASL_W_BARRIER:
		snprintf(buf, len, "the other threads arriving at it");
		break;
	case ASL_W_FUTEX:
		snprintf(buf, len, "any thread that wakes the futex");
		break;
	case ASL_W_PIPE_WRITE:
		snprintf(buf, len, "any thread that reads the other end");
		break;
	case ASL_W_POLL:
		snprintf(buf, len, "any thread that makes one of its fds ready");
		break;
	default:
		snprintf(buf, len, "any thread that writes %s", w->peer >= 0 ? "the other end" : "to it");
	}
	off = strlen(buf);
	if (w->shared && off < len)
		snprintf(buf + off, len - off, ", or another process");
}
