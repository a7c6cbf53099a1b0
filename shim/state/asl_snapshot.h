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
	struct asl_held held[ASL_HELD_MAX];
	int create_depth;
	uintptr_t create_stack[ASL_STACK_MAX];
};

struct asl_snapshot {
	int n;
	uint64_t now_ns;
	struct asl_tsnap *t;
	int nlost; /* fork child: locks of vanished threads */
	const struct asl_lost *lost;
};

/* Allocates; returns -1 when out of memory. */
int asl_snapshot_take(struct asl_snapshot *s);
void asl_snapshot_free(struct asl_snapshot *s);

#endif
