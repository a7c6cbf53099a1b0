/* SPDX-License-Identifier: MIT */
/* The slow path shared by every blocking hook: publish "I am blocked on X"
 * for the monitor (and let the runtime check it at the attempt), and
 * retract it when the wait is over. */
#ifndef ASL_WAIT_H
#define ASL_WAIT_H

#include "asl_thread.h"

struct asl_wait_req {
	int kind;        /* enum asl_wait_kind */
	const void *obj; /* pthread_t for joins */
	const void *aux; /* cond: its mutex */
	int timed;
	int shared;
	int by_mapping; /* futex: shared or not is its mapping's to say */
	pid_t owner_hint;
	int peer; /* fd waits: the other end, or -1 */
	int nfds; /* fd waits: the fds it depends on */
	const int *fds;
	int expect; /* futex: the value the kernel compares the word with */
};

/* Call before the real blocking function.  Preserves errno. */
void asl_wait_begin(struct asl_thread *t, const struct asl_wait_req *w);
/* Call after it returns.  Preserves errno. */
void asl_wait_end(struct asl_thread *t);

/* Ends the wait of a thread cancelled inside the real call. */
void asl_wait_cancelled(void *thread);

/* The real call of a begun wait, and the wait's end: when the call returns,
 * or when the thread is cancelled inside it (sem_wait, join, read... are
 * cancellation points).  Its value is the call's. */
#define ASL_WAIT_CALL(me, call)                               \
	({                                                    \
		__typeof__(call) r_;                          \
		pthread_cleanup_push(asl_wait_cancelled, me); \
		r_ = call;                                    \
		pthread_cleanup_pop(0);                       \
		asl_wait_end(me);                             \
		r_;                                           \
	})

/* The check at a wait's attempt (runtime/asl_attempt.c registers it at
 * start-up): called for untimed waits, after the wait is published. */
extern void (*asl_wait_attempt_fn)(struct asl_thread *t, const struct asl_wait_req *w)
        __attribute__((visibility("hidden")));

#endif
