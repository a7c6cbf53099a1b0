/* SPDX-License-Identifier: MIT */
/* The thread registry: one record per thread the program created through the
 * hooks (plus the main thread), in a static array so that no hook allocates.
 *
 * Invariants (the monitor and reporters read records of other threads
 * without locks, so these are what make those reads meaningful):
 *  - Only the owning thread writes its wait, held[] and stack fields.
 *  - wait_seq is odd exactly while the thread is blocked.  The owner writes
 *    the wait fields and wait stack, then bumps wait_seq with release order;
 *    it bumps it again when the wait ends.  A reader that sees the same odd
 *    wait_seq before and after copying a record has a consistent picture of
 *    one blocked episode, held[] included (a blocked thread takes no locks).
 *  - A slot's gen changes each time the slot is handed to a new thread, so a
 *    (slot, gen, wait_seq) triple names one wait of one thread.
 *  - A signal handler's entry and exit each move wait_seq on by 2 (parity
 *    kept), so a wait interrupted by a handler is never "the same episode".
 *  - asl_me is set only in the owning thread and only while its record is
 *    live.  asl_gate is asl_me while the thread's hooks do their work, and
 *    NULL while the thread is inside the shim (asl_inside_enter) or has no
 *    record: hooks that find it NULL pass straight through.
 */
#ifndef ASL_THREAD_H
#define ASL_THREAD_H

#include "asl_invariant.h"
#include "asl_kinds.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/types.h>

/* The registry grows in chunks of ASL_THREAD_CHUNK records (mmap'ed, never
 * freed), up to ASL_MAX_THREADS: no fixed ceiling a real program reaches. */
#define ASL_THREAD_CHUNK 1024
#define ASL_MAX_THREADS (1024 * ASL_THREAD_CHUNK)
#define ASL_HELD_MAX 48 /* as lockdep's MAX_LOCK_DEPTH */
#define ASL_STACK_MAX 32
#define ASL_NAME_MAX 16

/* FINISHED: a joinable thread that has ended and nobody has joined yet (its
 * slot is kept: at exit it is a leaked thread, as TSan reports it). */
enum asl_life { ASL_FREE, ASL_STARTING, ASL_ALIVE, ASL_EXITING, ASL_EXITED, ASL_FINISHED };

/* Waits on file descriptors: obj is the fd, fds[] the ones it depends on. */
static inline int asl_wait_on_fds(int kind)
{
	return kind >= ASL_W_PIPE_READ && kind <= ASL_W_POLL;
}

#define ASL_WAIT_FDS 8

/* A lock the thread holds: 24 bytes, ASL_HELD_MAX of them in every record
 * (two fifths of it: they count in the shim's memory per thread).  Its kind
 * and lock-order context share a word, so that a push is three stores.
 * Invariant: a nonzero context is the lock-order context of the entries
 * below and up to this one as they are now.  Kept by asl_held_push_ctx (0,
 * or the context asl_lo_before_lock computed on exactly the list it pushes
 * onto) and asl_held_release_slow (zeroes the entries it moves down). */
struct asl_held {
	uintptr_t obj;
	uintptr_t site;    /* return address of the locking call */
	uint64_t kind_ctx; /* enum asl_lock_kind | the context (0: not known yet) */
};

/* A context (asl_lockorder.c) is a nonzero word whose low 8 bits are 0. */
#define ASL_HELD_CTX_MASK (~(uint64_t)0xff)

static inline int asl_held_kind(const struct asl_held *h)
{
	return (int)(h->kind_ctx & 0xff);
}

static inline uint64_t asl_held_ctx(const struct asl_held *h)
{
	return h->kind_ctx & ASL_HELD_CTX_MASK;
}

static inline void asl_held_set_ctx(struct asl_held *h, uint64_t ctx)
{
	h->kind_ctx = ctx | (h->kind_ctx & 0xff);
}

struct asl_wait {
	int kind;         /* enum asl_wait_kind */
	int timed;        /* a finite timeout: the wait ends by itself */
	int shared;       /* process-shared object: another process may end it */
	int by_mapping;   /* a futex without FUTEX_PRIVATE_FLAG: shared only if its memory is (asl_confirm) */
	int sig_wakeable; /* a signal handler may legally end it (sem_post) */
	int certain;      /* waits for a lock the thread holds itself: it never ends */
	uintptr_t obj;    /* the object waited on (pthread_t for joins) */
	uintptr_t aux;    /* cond: the mutex given back for the wait */
	pid_t owner_hint; /* the owner as libc records it (mutex __owner, rwlock writer) */
	int peer;         /* pipe/socketpair: the other end's fd, or -1 */
	int nfds;         /* fd waits: how many fds; more than ASL_WAIT_FDS counts as shared */
	int fds[ASL_WAIT_FDS];
	uint64_t since_ns; /* CLOCK_MONOTONIC */
	int depth;
	uintptr_t stack[ASL_STACK_MAX];
};

#define ASL_LO_SEEN 64
#define ASL_LO_SITES 64

struct asl_thread {
	int slot;         /* its index in the registry (asl_thread_at) */
	_Atomic int life; /* enum asl_life */
	_Atomic unsigned gen;
	_Atomic unsigned wait_seq; /* odd while blocked */
	pid_t tid;
	pid_t lock_tid; /* glibc's idea of the thread's id, as its locks write it (asl_mutex_take_default); 0: never in place */
	pid_t parent_tid;
	pthread_t self;
	int is_main;
	int detached;
	_Atomic int in_signal; /* running a program's signal handler (nesting depth) */
	_Atomic int sys_depth; /* inside a stretch of shim code that makes system calls (asl_syscalls.h) */
	uintptr_t signal_sp;   /* the outermost handler's frame (asl_in_signal) */
	void *(*start)(void *);
	int (*c11_start)(void *);
	void *arg;
	struct asl_wait wait;
	int nheld;
	int held_lost; /* acquisitions beyond ASL_HELD_MAX: untracked */
	struct asl_held held[ASL_HELD_MAX];
	int create_depth;
	uintptr_t create_stack[ASL_STACK_MAX];
	size_t stack_size, guard_size; /* its pthread_attr_t's, for asl_stack_thread_started */
	/* Lock-order check (asl_lockorder.h): edges and acquisition sites this
	 * thread has already recorded, so that repeats cost a compare. */
	uint64_t lo_seen[ASL_LO_SEEN];
	uintptr_t lo_sites[ASL_LO_SITES];
	uint32_t lo_who;         /* its last entry in the lock-order graph's table of threads, + 1 */
	unsigned longwait_seq;   /* the monitor's: the wait_seq it reported as long-wait */
	char name[ASL_NAME_MAX]; /* its name as it ended (FINISHED threads are gone from /proc) */
};

/* Chunk c holds slots [c * ASL_THREAD_CHUNK, (c + 1) * ASL_THREAD_CHUNK);
 * NULL until a slot there is first needed.  Slots [0, asl_threads_hwm)
 * lie in allocated chunks. */
extern struct asl_thread *_Atomic asl_thread_chunks[ASL_MAX_THREADS / ASL_THREAD_CHUNK];

/* The record in slot i (below asl_threads_hwm), or NULL. */
static inline struct asl_thread *asl_thread_at(int i)
{
	struct asl_thread *c = atomic_load_explicit(&asl_thread_chunks[i / ASL_THREAD_CHUNK], memory_order_acquire);
	return c ? &c[i % ASL_THREAD_CHUNK] : NULL;
}

/* In a fork child: locks that threads which did not survive the fork held.
 * They stay locked forever; reports name their vanished holders. */
#define ASL_LOST_MAX 64
struct asl_lost {
	uintptr_t obj;
	pid_t tid;
	int kind; /* enum asl_lock_kind */
};
extern struct asl_lost asl_lost_at_fork[ASL_LOST_MAX];
extern int asl_nlost;
extern _Atomic int asl_threads_hwm;   /* slots [0, hwm) have ever been used */
extern _Atomic int asl_registry_full; /* a thread once ran untracked: no all-asleep verdict */
extern _Atomic int asl_live_threads, asl_peak_threads;

extern __thread struct asl_thread *asl_me __attribute__((tls_model("initial-exec"), visibility("hidden")));
/* The re-entrancy guard, folded into one pointer so that a hot hook's whole
 * check is one thread-local load (see the invariants above). */
extern __thread struct asl_thread *asl_gate __attribute__((tls_model("initial-exec"), visibility("hidden")));

/* The calling thread enters the shim (its own locks and calls): its hooks
 * pass straight through until asl_inside_leave.  Returns whether it was
 * inside already, for asl_inside_leave. */
static inline int asl_inside_enter(void)
{
	int was = asl_gate == NULL;
	asl_gate = NULL;
	return was;
}

static inline void asl_inside_leave(int was)
{
	asl_gate = was ? NULL : asl_me;
}

/* How many shim-internal locks (asl_forklock.h) the calling thread holds. */
extern __thread int asl_shim_locks_held __attribute__((tls_model("initial-exec"), visibility("hidden")));

/* The calling thread's record if hooks should do their work, else NULL. */
static inline struct asl_thread *asl_hook_self(void)
{
	ASL_INVARIANT(asl_shim_locks_held == 0, "a hook was reached while a shim lock is held");
	return asl_gate;
}

/* Is the thread running a program's signal handler right now?  A handler
 * left by longjmp never counts itself out; the slow path sees that the
 * thread is back above the handler's frame, and forgets it. */
int asl_in_signal_slow(struct asl_thread *t);

static inline int asl_in_signal(struct asl_thread *t)
{
	if (__builtin_expect(!atomic_load_explicit(&t->in_signal, memory_order_relaxed), 1))
		return 0;
	return asl_in_signal_slow(t);
}

static inline int asl_is_blocked(unsigned wait_seq)
{
	return wait_seq & 1u;
}

/* Held-lock bookkeeping: the uncontended lock/unlock path, thread-local. */
static inline void asl_held_push_ctx(struct asl_thread *t, const void *obj, int kind, void *site, uint64_t ctx)
{
	ASL_INVARIANT(t->nheld >= 0 && t->nheld <= ASL_HELD_MAX, "held-lock list out of bounds");
	if (__builtin_expect(t->nheld < ASL_HELD_MAX, 1)) {
		struct asl_held *h = &t->held[t->nheld];
		h->obj = (uintptr_t)obj;
		h->site = (uintptr_t)site;
		h->kind_ctx = (uint64_t)(kind & 0xff) | ctx;
		t->nheld++;
	} else {
		t->held_lost++;
	}
}

static inline void asl_held_push(struct asl_thread *t, const void *obj, int kind, void *site)
{
	asl_held_push_ctx(t, obj, kind, site, 0);
}

/* Not the most recent lock: search and close the gap (rare). */
__attribute__((visibility("hidden"))) void asl_held_release_slow(struct asl_thread *t, const void *obj);

/* Pops obj when it is the most recent lock, the usual case: 1.  Else 0,
 * and nothing changed (asl_held_release_slow's case). */
static inline int asl_held_pop_top(struct asl_thread *t, const void *obj)
{
	int n = t->nheld;
	ASL_INVARIANT(n >= 0 && n <= ASL_HELD_MAX, "held-lock list out of bounds");
	if (__builtin_expect(n > 0 && t->held[n - 1].obj == (uintptr_t)obj, 1)) {
		t->nheld = n - 1;
		return 1;
	}
	return 0;
}

static inline void asl_held_pop(struct asl_thread *t, const void *obj)
{
	if (!asl_held_pop_top(t, obj))
		asl_held_release_slow(t, obj);
}

/* Index of obj in t's held list (most recent first), or -1. */
int asl_held_find(const struct asl_thread *t, uintptr_t obj);

/* Registry management. */
struct asl_thread *asl_thread_alloc(void); /* by the creating thread */
void asl_thread_free_unstarted(struct asl_thread *t);
void asl_thread_attach(struct asl_thread *t); /* by the new thread, first thing */
void asl_thread_register_main(void);
void asl_thread_reset_after_fork(void); /* in the child */
struct asl_thread *asl_thread_by_pthread(pthread_t th);
/* th was joined or detached (with success): a FINISHED record is freed. */
void asl_thread_joined(pthread_t th);
/* The thread-exit hook: runs in the exiting thread (TSD destructor). */
void asl_thread_exit_cleanup(struct asl_thread *t);
/* Called there when the thread still holds locks (runtime/asl_abandon.c
 * registers it at start-up). */
extern void (*asl_thread_exit_holding_fn)(struct asl_thread *t) __attribute__((visibility("hidden")));
int asl_thread_key_init(void);

pid_t asl_gettid(void);

#endif
