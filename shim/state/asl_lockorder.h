/* SPDX-License-Identifier: MIT */
/* Potential deadlocks: the lock-order check.  Each blocking acquisition made
 * while other locks are held records "held X, then acquired Y" edges in the
 * lock-order graph (asl_lograph.h); a new edge that closes a cycle able to
 * deadlock is reported once as lock-order-inversion.
 *
 * Cost: an acquisition with nothing held costs one compare (has this thread
 * seen this call site?).  With locks held, one step of a hash from the
 * context the top held entry keeps (its locks' ids, in order) and one probe
 * of the thread's cache of vetted acquisitions (two ways per set), whatever
 * the number held.  A miss probes each of the k edges "held X, then
 * acquired Y" in the same cache; only an edge missing there takes the
 * global lock, for a lookup first; only a new edge or call site unwinds.
 *
 * Lock identity: a lock is not its address.  Each mutex/rwlock gets a fresh
 * id at first sight, kept in a field glibc leaves unused for that lock type
 * (see asl_lock_id); pthread_*_init, PTHREAD_*_INITIALIZER, calloc and any
 * re-initialization zero that field, so a heap object or stack frame reused
 * at the same address is a new lock and inherits no edges. */
#ifndef ASL_LOCKORDER_H
#define ASL_LOCKORDER_H

#include "asl_glibc.h"
#include "asl_options.h"
#include "asl_stack.h"
#include "asl_thread.h"

/* lock-order-inversion: one edge of the cycle, "held X, then acquired Y". */
struct asl_lo_step {
	pid_t tid;
	char name[16];
	uintptr_t held, acquired;
	int held_kind, acquired_kind; /* enum asl_lock_kind */
	int ngates;
	uintptr_t gates[4]; /* exclusively held around every sighting */
	int held_depth, acquired_depth;
	int held_inferred; /* held_stack is the requester's: both locks went through one wrapper call */
	uintptr_t held_stack[ASL_STACK_MAX];     /* where X was taken (first seen at that site) */
	uintptr_t acquired_stack[ASL_STACK_MAX]; /* where Y was requested while X was held */
};

/* A cycle, and how many cycles through the same call sites it stands for
 * (its group: one bug), with the lock pairs (held, acquired) they took. */
#define ASL_LO_PAIRS 16
struct asl_lo_cycle {
	unsigned long count;
	int npairs;
	uintptr_t pairs[ASL_LO_PAIRS][2];
	int n;
	struct asl_lo_step step[];
};

/* The graph's size now, for dumps ("lock_order") and benchmarks. */
struct asl_lo_stats {
	unsigned long locks, edges, dropped;
	size_t bytes; /* mapped for the graph and its stacks */
};
void asl_lo_stats(struct asl_lo_stats *st);

/* Before a blocking (untimed) acquisition of obj, asked for at `site` (the
 * lock call's return address); the caller has checked me->nheld > 0.
 * Returns the lock-order context the held list will have with obj on top
 * (0: none), for asl_lo_took_ctx. */
uint64_t asl_lo_before_lock(struct asl_thread *me, const void *obj, int kind, void *site);
/* The same for a mutex (kind ASL_L_MUTEX), the common case, made for it. */
uint64_t asl_lo_before_mutex(struct asl_thread *me, const pthread_mutex_t *m, void *site);

/* The lock-order context of a held list: a hash of its locks' ids and read
 * flags, in order, one step per lock (a lock without an id adds nothing).
 * Each held entry keeps the context up to itself (asl_held_ctx), so a
 * nested acquisition's key is one step from the top entry's, with no loop
 * over the held locks.  That key is the context of the list the
 * acquisition makes, and every edge key of the acquisition (held X, then
 * acquired Y, with the other exclusive holds as gates) is a function of
 * it: once all of them were found in the cache, it stands for them.  The
 * order is in it: [a, b] then c and [b, a] then c are two keys for the
 * same edges, the price of a step instead of a sum (one more miss).
 *
 * A step is one multiply (odd: a bijection of the input) of the context
 * xor'ed with the lock's id and read flag.  Contexts have their low 8 bits
 * 0 (the held entry keeps its kind there) and bit 8 set (never 0, the empty
 * slot and "not known"); edge keys have bit 0 set, so the two never meet in
 * the cache. */
#define ASL_LO_CTX_SEED 0x5851f42d4c957f00ull

static inline uint64_t asl_lo_ctx_key(uint64_t ctx, uint64_t id, int read)
{
	uint64_t k = (ctx ^ (id << 1 | (uint64_t)read)) * 0xbf58476d1ce4e5b9ull;
	return (k & ASL_HELD_CTX_MASK) | 0x100;
}

/* The thread's cache of vetted acquisitions and recorded edges: two ways
 * per set, so that a few keys sharing a set do not evict each other on
 * every acquisition (each miss costs a trip to the graph's lock).  The set
 * comes from the key's top bits (the multiply's best-mixed ones). */
#define ASL_LO_SEEN_WAYS 2
static inline uint64_t *asl_lo_seen_set(struct asl_thread *me, uint64_t key)
{
	return &me->lo_seen[(key >> 58) % (ASL_LO_SEEN / ASL_LO_SEEN_WAYS) * ASL_LO_SEEN_WAYS];
}

static inline int asl_lo_seen(const uint64_t *set, uint64_t key)
{
	return set[0] == key || set[1] == key;
}

/* Where a mutex keeps its lock-order id: the robust list's link, which
 * glibc leaves alone for a mutex that is not robust (asl_lockorder.c's
 * id_field says which mutexes have one). */
static inline unsigned long *asl_lo_mutex_id_field(const pthread_mutex_t *m)
{
	return (unsigned long *)(void *)&m->__data.__list.__next;
}

/* The id of a default mutex (asl_mutex_is_default); 0 until the graph
 * first names it. */
static inline uint64_t asl_lo_default_mutex_id(const pthread_mutex_t *m)
{
	return __atomic_load_n(asl_lo_mutex_id_field(m), __ATOMIC_RELAXED);
}

/* The mutex hook's hot path for a default mutex m while me holds locks:
 * the acquisition's key one step from the top entry's context, found in
 * the thread's cache.  1 with *ctx set (0 when the check is off): nothing
 * more to do before the lock.  0: asl_lo_before_mutex must run (a miss,
 * m without an id yet, a top entry without its context).  A single held
 * default mutex taken on that same path gets its context here, one step
 * from the seed (the hooks push the first lock without one). */
static inline int asl_lo_mutex_vetted(struct asl_thread *me, const pthread_mutex_t *m, uint64_t *ctx)
{
	if (__builtin_expect(!asl_opts.lock_order, 0)) {
		*ctx = 0;
		return 1;
	}
	struct asl_held *top = &me->held[me->nheld - 1];
	uint64_t base = asl_held_ctx(top), to = asl_lo_default_mutex_id(m);
	if (!base && me->nheld == 1 && asl_held_kind(top) == ASL_L_MUTEX &&
	    asl_mutex_is_default((const pthread_mutex_t *)top->obj)) {
		uint64_t id = asl_lo_default_mutex_id((const pthread_mutex_t *)top->obj);
		if (id) {
			base = asl_lo_ctx_key(ASL_LO_CTX_SEED, id, 0);
			asl_held_set_ctx(top, base);
		}
	}
	if (!base || !to)
		return 0;
	uint64_t key = asl_lo_ctx_key(base, to, 0);
	*ctx = key;
	return asl_lo_seen(asl_lo_seen_set(me, key), key);
}

/* Remembers where the lock at the top of me's held list was taken. */
void asl_lo_site_slow(struct asl_thread *me, uintptr_t site);

static inline int asl_lo_site_known(const struct asl_thread *me, void *site)
{
	uintptr_t s = (uintptr_t)site;
	return me->lo_sites[(s >> 2) % ASL_LO_SITES] == s;
}

static inline void asl_lo_site(struct asl_thread *me, void *site)
{
	if (__builtin_expect(!asl_lo_site_known(me, site), 0))
		asl_lo_site_slow(me, (uintptr_t)site);
}

/* A lock is held now: pushed on the thread's list, its call site known to
 * the lock-order check.  The uncontended path of every lock hook.  ctx:
 * what asl_lo_before_lock returned on this held list (the new entry keeps
 * it, so the next nested acquisition starts from it), or 0. */
static inline void asl_lo_took_ctx(struct asl_thread *me, const void *obj, int kind, void *site, uint64_t ctx)
{
	asl_held_push_ctx(me, obj, kind, site, ctx);
	asl_lo_site(me, site);
}

/* The same when no check came first (a try-lock, a timed lock). */
static inline void asl_lo_took(struct asl_thread *me, const void *obj, int kind, void *site)
{
	asl_lo_took_ctx(me, obj, kind, site, 0);
}

/* init/destroy: the lock at obj (if it had an id) is gone.  Called from
 * the hooks as they are (they guard reentrancy themselves). */
void asl_lo_forget_mutex(void *m);
void asl_lo_forget_rwlock(void *rw);
void asl_lo_forget_spin(void *l);

/* A cycle the graph found, copied out for a report (malloc'd; free()). */
struct asl_lo_due {
	struct asl_lo_cycle *c;
	unsigned long long key; /* the same edges, whatever the order */
};

/* Takes the queued cycles due for a report (all of them with `all`, else
 * those queued long enough for a real deadlock over the same locks to have
 * shown) and copies them.  Returns how many (at most max); *dropped: cycles
 * lost while the queue was full, since the last call.  The monitor's or
 * the exit check's, one at a time. */
int asl_lo_take_due(struct asl_lo_due *out, int max, int all, unsigned long *dropped);
void asl_lo_reset_after_fork(void);

/* fork: nobody may be inside the graph's lock when the child is made. */
void asl_lo_fork_prepare(void);
void asl_lo_fork_done(void);

#endif
