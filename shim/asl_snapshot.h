/* A copy of every live thread record, taken without stopping anyone.
 * Blocked threads are copied seqlock-style (see asl_thread.h), so the copy of
 * a blocked thread is one consistent wait episode. */
#ifndef ASL_SNAPSHOT_H
#define ASL_SNAPSHOT_H

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
	int nlost;                     /* fork child: locks of vanished threads */
	const struct asl_lost *lost;
};

uint64_t asl_now_ns(void);

/* Allocates; returns -1 when out of memory. */
int asl_snapshot_take(struct asl_snapshot *s);
void asl_snapshot_free(struct asl_snapshot *s);

int asl_snap_find_tid(const struct asl_snapshot *s, pid_t tid);

/* Indices of the threads that must act for thread i's wait to end (lock
 * holders, the join target); i itself when it waits on itself.  Returns the
 * count (at most max).  *unknown_owner is set when a lock's holder is not a
 * live thread (exited, lost at fork, or never seen). */
int asl_snap_owners(const struct asl_snapshot *s, int i, int *out, int max, pid_t *unknown_owner);

#endif
