/* SPDX-License-Identifier: MIT */
/* A copy of every live thread record, taken without stopping anyone.
 * Blocked threads are copied seqlock-style (see asl_thread.h), so the copy of
 * a blocked thread is one consistent wait episode. */
#ifndef ASL_SNAPSHOT_H
#define ASL_SNAPSHOT_H

#include "asl_sys.h"
#include "asl_thread.h"

struct asl_tsnap {
	int slot;
	unsigned gen, seq;
	int life;
	pid_t tid, parent_tid;
	pthread_t self;
	int is_main, detached;
	int blocked; /* a consistent blocked episode was copied */
	int in_signal;
	struct asl_wait wait;
	int nheld, held_lost;
	struct asl_held *held; /* nheld entries, in the snapshot's pool */
	int create_depth;
	uintptr_t create_stack[ASL_STACK_MAX];
	char name[ASL_NAME_MAX]; /* FINISHED threads only: the name it ended with */
};

struct asl_snapshot {
	int n;
	uint64_t now_ns;
	struct asl_tsnap *t;
	int nlost; /* fork child: locks of vanished threads */
	const struct asl_lost *lost;
	struct asl_held *pool; /* the threads' held locks, one block (a few per thread, not 64) */
};

/* Allocates; returns -1 when out of memory.  Live threads only. */
int asl_snapshot_take(struct asl_snapshot *s);
/* The exit check's: live threads and FINISHED ones (ended, never joined),
 * which no verdict may count: they are copied neither blocked nor holding. */
int asl_snapshot_take_at_exit(struct asl_snapshot *s);
/* A thread's name: /proc's for live threads, the saved one for FINISHED
 * threads (whose tid may already belong to another thread). */
void asl_tsnap_name(const struct asl_tsnap *t, char *buf, size_t len);
void asl_snapshot_free(struct asl_snapshot *s);

#endif
