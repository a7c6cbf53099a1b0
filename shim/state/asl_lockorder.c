/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "asl_syscalls.h"
#include "asl_lockorder.h"

#include "asl_diag.h"
#include "asl_forklock.h"
#include "asl_glibc.h"
#include "asl_lograph.h"
#include "asl_options.h"
#include "asl_real.h"
#include "asl_stack.h"
#include "asl_stackdepot.h"
#include "asl_sys.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>

/* Everything below is guarded by graph_lock (slow paths only).  Holders
 * only read and write these tables (and map memory for them: mmap, never
 * malloc): stacks are captured, names read and reports allocated before the
 * lock is taken or after it is released. */
static struct asl_forklock graph_lock = ASL_FORKLOCK_INIT;
static __thread struct asl_forklock_tls inside __attribute__((tls_model("initial-exec")));
static struct asl_lograph graph;
static int graph_ready;  /* guarded by graph_lock */
static int graph_warned; /* guarded by graph_lock: the cap was said */

/* Who first recorded each edge, and where: the graph's payload per edge,
 * 16 bytes (the locks' addresses and kinds are the graph's, per lock).
 * Stacks are depot ids (asl_stackdepot.h). */
struct edge_info {
	uint32_t who; /* a thread_seen entry */
	uint32_t acquired_stack;
	uintptr_t held_site;
};

/* The threads that recorded edges, by (tid, name) as they were then: an
 * append-only table (a thread adds an entry when it records its first edge
 * or records one under a new name), in chunks mapped on demand.  Guarded
 * by graph_lock. */
struct thread_seen {
	pid_t tid;
	char name[16];
};
#define WHO_CHUNK 4096
#define WHO_CHUNKS 4096
static struct thread_seen *who_chunk[WHO_CHUNKS]; /* guarded by graph_lock */
static uint32_t nwho;                             /* guarded by graph_lock */

static struct thread_seen *who_at(uint32_t i)
{
	return &who_chunk[i / WHO_CHUNK][i % WHO_CHUNK];
}

static _Atomic uint64_t next_id;

/* Cycles found but not yet reported, grouped by call sites: cycles whose
 * edges come from the same (where held, where acquired) pairs are one bug,
 * one finding with a count and the lock pairs seen (as lockdep and TSan
 * report one conflict per pair of sites, whatever the instances).  Each
 * group keeps a copy of its first cycle (the locks may be destroyed before
 * the report).  The monitor reports them at its next tick, all in one
 * dump, unless their locks are deadlocked for real by then: the deadlock
 * verdict comes first, and says it better.  Cycles of new groups found
 * while the queue is full are counted in pending_dropped and said once. */
#define PENDING_MAX 64
struct pending_step {
	pid_t tid;
	char name[16];
	uintptr_t held, acquired, held_site;
	unsigned char held_kind, acquired_kind, ngates;
	uintptr_t gates[ASL_LO_GATES];
	uint32_t acquired_stack;
};
struct pending_group {
	unsigned long long key;
	uint64_t ns;
	unsigned long count;
	int n;
	struct pending_step step[ASL_LO_CYCLE_MAX];
	int npairs;
	uintptr_t pairs[ASL_LO_PAIRS][2];
};
static struct pending_group pending[PENDING_MAX]; /* guarded by graph_lock */
static unsigned long pending_dropped;             /* guarded by graph_lock */
/* Long enough for the threads of a real deadlock to be seen blocked. */
#define PENDING_HOLD_NS 300000000ull
static int npending; /* guarded by graph_lock */

static void *graph_map(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

static void graph_unmap(void *p, size_t len)
{
	munmap(p, len);
}

/* Under graph_lock: the graph, made at the first edge. */
static void graph_make(void)
{
	if (graph_ready)
		return;
	struct asl_lo_mem mem = { graph_map, graph_unmap };
	asl_lograph_init(&graph, &mem, (uint32_t)asl_opts.lock_order_max_edges, sizeof(struct edge_info));
	graph_ready = 1;
}

/* Spinlocks are a bare int: their ids live in a table keyed by address
 * (lock-free open addressing).  A slot, once claimed by an address, stays
 * that address's: forgetting (init/destroy) zeroes the id, so a new lock at
 * the same address gets a fresh one.  When the table is full, further
 * spinlocks get no id and take no part in the graph. */
#define SPIN_IDS 4096
static struct {
	_Atomic uintptr_t addr;
	unsigned long id; /* accessed with __atomic builtins, as the lock fields */
} spin_ids[SPIN_IDS];

static unsigned long *spin_id_field(const void *obj)
{
	uintptr_t a = (uintptr_t)obj;
	unsigned h = (unsigned)asl_lograph_mix(a) % SPIN_IDS;
	for (unsigned i = 0; i < SPIN_IDS; i++, h = (h + 1) % SPIN_IDS) {
		uintptr_t have = atomic_load_explicit(&spin_ids[h].addr, memory_order_acquire);
		if (have == a)
			return &spin_ids[h].id;
		if (have == 0 && (atomic_compare_exchange_strong(&spin_ids[h].addr, &have, a) || have == a))
			return &spin_ids[h].id;
	}
	return NULL;
}

/* The id lives in a field glibc never touches for the lock types we tag:
 * a mutex's robust-list link (used by robust mutexes only) and an rwlock's
 * padding.  Robust, priority and process-shared locks get no id: they take
 * no part in the lock-order graph.  tests/unit/test_glibc_layout.c checks
 * that glibc's init zeroes these fields and its lock/unlock leave them be. */
static inline unsigned long *id_field(const void *obj, int kind)
{
#if defined(__x86_64__) || defined(__aarch64__)
	if (kind == ASL_L_MUTEX) {
		pthread_mutex_t *m = (pthread_mutex_t *)obj;
		if (asl_mutex_kind(m) &
		    (ASL_MUTEX_ROBUST | ASL_MUTEX_PRIO_INHERIT | ASL_MUTEX_PRIO_PROTECT | ASL_MUTEX_PSHARED))
			return NULL;
		return asl_lo_mutex_id_field(m);
	}
	if (kind == ASL_L_RWLOCK_READ || kind == ASL_L_RWLOCK_WRITE) {
		pthread_rwlock_t *rw = (pthread_rwlock_t *)obj;
		return asl_rwlock_shared(rw) ? NULL : &rw->__data.__pad2;
	}
	if (kind == ASL_L_SPIN)
		return spin_id_field(obj);
#else
	(void)obj;
	(void)kind;
#endif
	return NULL;
}

static inline uint64_t lock_id(const void *obj, int kind)
{
	unsigned long *f = id_field(obj, kind);
	if (!f)
		return 0;
	unsigned long id = __atomic_load_n(f, __ATOMIC_RELAXED);
	if (id)
		return id;
	unsigned long fresh = (unsigned long)atomic_fetch_add(&next_id, 1) + 1;
	if (__atomic_compare_exchange_n(f, &id, fresh, 0, __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		return fresh;
	return id; /* another thread named it first */
}

static int exclusive(int kind)
{
	return kind == ASL_L_MUTEX || kind == ASL_L_RWLOCK_WRITE || kind == ASL_L_SPIN;
}

/* glibc's reader preference (the default, and PREFER_WRITER_NP, which glibc
 * treats alike) lets a reader in while readers hold the lock. */
static int shares_reads(const void *obj, int kind)
{
	const pthread_rwlock_t *rw = obj;
	return kind == ASL_L_RWLOCK_READ &&
	       __atomic_load_n(&rw->__data.__flags, __ATOMIC_RELAXED) != PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP;
}

/* The monitor's way in: it holds no lock of the program, so it may wait. */
static void graph_enter(void)
{
	asl_forklock_enter(&graph_lock, &inside);
}

/* A hook's way in: 0 when in, -1 while a fork is under way (skip). */
static int graph_try_enter(void)
{
	return asl_forklock_try_enter(&graph_lock, &inside);
}

static void graph_leave(void)
{
	asl_forklock_leave(&graph_lock, &inside);
}

void asl_lo_fork_prepare(void)
{
	asl_forklock_prepare(&graph_lock, &inside);
}

void asl_lo_fork_done(void)
{
	asl_forklock_done(&graph_lock, &inside);
}

void asl_lo_site_slow(struct asl_thread *me, uintptr_t site)
{
	int was = asl_inside_enter();
	if (asl_opts.lock_order && asl_syscalls_begin(me)) {
		uintptr_t stack[ASL_STACK_MAX];
		int depth = asl_stack_capture(stack, ASL_STACK_MAX);
		if (graph_try_enter() != 0) {
			asl_syscalls_end(me);
			asl_inside_leave(was); /* a fork is under way: next time */
			return;
		}
		if (!asl_depot_site_get(site))
			asl_depot_site_put(site, asl_depot_put(stack, depth));
		graph_leave();
		asl_syscalls_end(me);
	}
	me->lo_sites[(site >> 2) % ASL_LO_SITES] = site;
	asl_inside_leave(was);
}

static void forget(unsigned long *f)
{
	unsigned long id = f ? __atomic_load_n(f, __ATOMIC_RELAXED) : 0;
	if (!id)
		return;
	/* Skipped during a fork: nobody takes the old id again, so its node
	 * can gain no edge and join no new cycle anyway. */
	if (graph_try_enter() == 0) {
		if (graph_ready)
			asl_lograph_kill(&graph, id);
		graph_leave();
	}
	__atomic_store_n(f, 0, __ATOMIC_RELAXED);
}

static void forget_guarded(void *obj, int kind)
{
	struct asl_thread *me = asl_hook_self();
	if (!me || asl_sandboxed())
		return;
	asl_inside_enter();
	forget(id_field(obj, kind));
	asl_inside_leave(0);
}

void asl_lo_forget_mutex(void *m)
{
	forget_guarded(m, ASL_L_MUTEX);
}

void asl_lo_forget_rwlock(void *rw)
{
	forget_guarded(rw, ASL_L_RWLOCK_WRITE);
}

void asl_lo_forget_spin(void *l)
{
	forget_guarded(l, ASL_L_SPIN);
}

/* A lock's kind in one edge: the graph keeps one kind per lock, and the
 * edge says whether an rwlock was held or taken for reading. */
static unsigned char kind_in_edge(unsigned char kind, int read)
{
	if (kind == ASL_L_RWLOCK_READ || kind == ASL_L_RWLOCK_WRITE)
		return read ? ASL_L_RWLOCK_READ : ASL_L_RWLOCK_WRITE;
	return kind;
}

/* Under graph_lock: a step of a cycle, copied from the graph's edge. */
static void copy_step(struct pending_step *st, int ei)
{
	struct asl_lo_edge e;
	const struct edge_info *in = asl_lograph_payload(&graph, ei);
	asl_lograph_edge(&graph, ei, &e);
	if (in->who < nwho) {
		st->tid = who_at(in->who)->tid;
		memcpy(st->name, who_at(in->who)->name, sizeof st->name);
	} else {
		st->tid = 0;
		strcpy(st->name, "?");
	}
	st->held = e.from_obj;
	st->acquired = e.to_obj;
	st->held_site = in->held_site;
	st->held_kind = kind_in_edge(e.from_kind, e.from_read);
	st->acquired_kind = kind_in_edge(e.to_kind, e.to_read);
	st->ngates = e.ngates;
	for (int g = 0; g < e.ngates; g++)
		st->gates[g] = e.gate_obj[g];
	st->acquired_stack = in->acquired_stack;
}

/* Where the edge's lock was acquired: its stack's first frames, enough to
 * tell the callers of a locking wrapper (_dbus_lock, g_mutex_lock) apart. */
#define GROUP_FRAMES 4
static uintptr_t acquired_site(const struct pending_step *st)
{
	uintptr_t f[GROUP_FRAMES], h = 0;
	int n = asl_depot_get(st->acquired_stack, f, GROUP_FRAMES);
	if (!n)
		return st->acquired;
	for (int i = 0; i < n; i++)
		h = (uintptr_t)asl_lograph_mix(h ^ f[i]);
	return h;
}

/* Under graph_lock: the group of a cycle, from the set of its (where held,
 * where acquired) pairs (whatever the locks, the length or the rotation). */
static unsigned long long group_key(const struct pending_step *st, int n)
{
	unsigned long long key = 0x6c6f636b6f726465ull;
	for (int k = 0; k < n; k++) {
		uintptr_t a = st[k].held_site, b = acquired_site(&st[k]);
		int dup = 0;
		for (int j = 0; j < k && !dup; j++)
			dup = st[j].held_site == a && acquired_site(&st[j]) == b;
		if (!dup)
			key ^= asl_lograph_mix(asl_lograph_mix(a) + b);
	}
	return key;
}

static void group_add_pairs(struct pending_group *p, const struct pending_step *st, int n)
{
	for (int k = 0; k < n && p->npairs < ASL_LO_PAIRS; k++) {
		int dup = 0;
		for (int j = 0; j < p->npairs && !dup; j++)
			dup = p->pairs[j][0] == st[k].held && p->pairs[j][1] == st[k].acquired;
		if (!dup) {
			p->pairs[p->npairs][0] = st[k].held;
			p->pairs[p->npairs++][1] = st[k].acquired;
		}
	}
}

/* Under graph_lock: queues a cycle for the monitor, into its group (no
 * allocation here). */
static void queue_cycle(const int *cyc, int n)
{
	static struct pending_step st[ASL_LO_CYCLE_MAX]; /* guarded by graph_lock */
	for (int k = 0; k < n; k++)
		copy_step(&st[k], cyc[k]);
	unsigned long long key = group_key(st, n);
	for (int i = 0; i < npending; i++)
		if (pending[i].key == key) {
			pending[i].count++;
			group_add_pairs(&pending[i], st, n);
			return;
		}
	if (npending == PENDING_MAX) {
		pending_dropped++;
		return;
	}
	struct pending_group *p = &pending[npending++];
	p->key = key;
	p->ns = asl_now_ns();
	p->count = 1;
	p->n = n;
	memcpy(p->step, st, (size_t)n * sizeof st[0]);
	p->npairs = 0;
	group_add_pairs(p, st, n);
}

/* Who recorded an edge and where: gathered before graph_lock is taken. */
struct edge_seen {
	pid_t tid;
	char name[16];
	int depth;
	uintptr_t stack[ASL_STACK_MAX];
};

/* Under graph_lock: the thread_seen entry for `by`, the thread's last one
 * when it still says the same (*last: index + 1, 0: none yet).  NWHO_NONE
 * when the table cannot grow. */
#define NWHO_NONE 0xffffffffu
static uint32_t who_is(const struct edge_seen *by, uint32_t *last)
{
	if (*last && *last - 1 < nwho) {
		const struct thread_seen *w = who_at(*last - 1);
		if (w->tid == by->tid && memcmp(w->name, by->name, sizeof w->name) == 0)
			return *last - 1;
	}
	uint32_t i = nwho;
	if (i / WHO_CHUNK >= WHO_CHUNKS)
		return NWHO_NONE;
	if (!who_chunk[i / WHO_CHUNK] &&
	    !(who_chunk[i / WHO_CHUNK] = graph_map(WHO_CHUNK * sizeof(struct thread_seen))))
		return NWHO_NONE;
	struct thread_seen *w = who_at(i);
	w->tid = by->tid;
	memcpy(w->name, by->name, sizeof w->name);
	nwho = i + 1;
	*last = i + 1;
	return i;
}

/* Under graph_lock, for a new edge: who and where (`stack`: a depot id). */
static void note_edge(struct asl_thread *me, int ei, const struct edge_seen *by, const struct asl_held *h,
                      uint32_t stack)
{
	struct edge_info *in = asl_lograph_payload(&graph, ei);
	in->who = who_is(by, &me->lo_who);
	in->held_site = h->site;
	in->acquired_stack = stack;
}

/* The cap (lock_order_max_edges) or memory ran out: said once on stderr
 * (after graph_lock is left), and in every dump (asl_lo_stats). */
static void say_dropped(void)
{
	static const char msg[] = "asleep: the lock-order graph is full (lock_order_max_edges, or out of memory): "
	                          "new lock orders are no longer checked\n";
	asl_write_diag(msg, sizeof msg - 1);
}

static inline uint64_t held_id(const struct asl_held *h);

/* The stack of a request at `site` while holding a lock taken at
 * held_site, as a depot id (0: none).  Unwound whole for the first edge
 * between the two sites; the next PAIR_CHECKS edges unwind PAIR_FRAMES
 * frames to see that they come from the same caller, and after that edges
 * between them share the stack for free.  A pair seen from two callers (a
 * locking wrapper's call sites) keeps unwinding a few frames per edge, and
 * its stacks are looked up by caller. */
#define PAIR_FRAMES 3
#define PAIR_CHECKS 8

static uintptr_t caller_of(uintptr_t site)
{
	uintptr_t top[PAIR_FRAMES], key = site;
	int n = asl_stack_capture(top, PAIR_FRAMES);
	for (int k = 0; k < n; k++)
		key = (uintptr_t)asl_lograph_mix(key ^ top[k]);
	return key;
}

static uint32_t request_stack(uintptr_t held_site, uintptr_t site, struct edge_seen *by)
{
	struct asl_depot_pair p, q;
	int have;
	if (graph_try_enter() != 0)
		return 0;
	have = asl_depot_pair_get(held_site, site, &p);
	graph_leave();
	if (have && !p.ambiguous && p.checks >= PAIR_CHECKS)
		return p.stack; /* settled: one caller */
	uintptr_t caller = caller_of(site);
	if (have && !p.ambiguous && p.caller == caller) {
		p.checks++;
		if (graph_try_enter() != 0)
			return p.stack;
		asl_depot_pair_put(held_site, site, &p);
		graph_leave();
		return p.stack;
	}
	/* new, or another caller: look the caller's own stack up, or unwind */
	if (graph_try_enter() != 0)
		return 0;
	int known = have && asl_depot_pair_get(held_site, caller, &q);
	graph_leave();
	if (known)
		return q.stack;
	by->depth = asl_stack_capture(by->stack, ASL_STACK_MAX);
	if (graph_try_enter() != 0)
		return 0;
	uint32_t stack = asl_depot_put(by->stack, by->depth);
	if (!have) {
		p = (struct asl_depot_pair){ stack, 1, caller, 0 };
		asl_depot_pair_put(held_site, site, &p);
	} else {
		p.ambiguous = 1;
		asl_depot_pair_put(held_site, site, &p);
		q = (struct asl_depot_pair){ stack, 0, caller, 1 };
		asl_depot_pair_put(held_site, caller, &q); /* by caller */
	}
	graph_leave();
	return stack;
}

/* Returns 0 once the edge is in the graph, -1 when it could not be added now. */
static __attribute__((noinline, cold)) int record(struct asl_thread *me, int i, uint64_t to, const void *obj, int kind,
                                                  uintptr_t site)
{
	const struct asl_held *h = &me->held[i];
	uint64_t from = held_id(&me->held[i]);
	struct asl_lo_edge e;
	struct edge_seen by;
	memset(&e, 0, sizeof e);
	e.from = from;
	e.to = to;
	e.from_read = asl_held_kind(h) == ASL_L_RWLOCK_READ;
	e.to_read = kind == ASL_L_RWLOCK_READ;
	e.to_shares = (unsigned char)shares_reads(obj, kind);
	e.from_obj = h->obj;
	e.from_kind = (unsigned char)asl_held_kind(h);
	e.to_obj = (uintptr_t)obj;
	e.to_kind = (unsigned char)kind;
	/* Gates: the other locks held exclusively, most recent first. */
	for (int j = me->nheld - 1; j >= 0 && e.ngates < ASL_LO_GATES; j--) {
		uint64_t id = held_id(&me->held[j]);
		int dup = id == 0 || id == from || !exclusive(asl_held_kind(&me->held[j]));
		for (int g = 0; g < e.ngates && !dup; g++)
			dup = e.gates[g] == id;
		if (dup)
			continue;
		e.gates[e.ngates] = id;
		e.gate_obj[e.ngates++] = me->held[j].obj;
	}
	/* Already in the graph with no gate to narrow (the thread's cache lost
	 * it): nothing to gather, no stack to take. */
	if (graph_try_enter() != 0)
		return -1;
	int known = graph_ready && asl_lograph_known(&graph, &e);
	graph_leave();
	if (known)
		return 0;
	by.tid = me->tid;
	if (prctl(PR_GET_NAME, by.name) != 0)
		strcpy(by.name, "?");
	uint32_t stack = request_stack(h->site, site, &by); /* 0: the edge goes in without one */
	int cyc[ASL_LO_CYCLE_MAX], n = 0, changed, is_new;
	if (graph_try_enter() != 0)
		return -1;
	graph_make();
	int ei = asl_lograph_add(&graph, &e, &changed, &is_new);
	if (ei >= 0 && is_new)
		note_edge(me, ei, &by, h, stack);
	if (ei >= 0 && changed)
		n = asl_lograph_cycle(&graph, ei, cyc, ASL_LO_CYCLE_MAX);
	if (n > 0)
		queue_cycle(cyc, n);
	int say = ei < 0 && !graph_warned;
	if (say)
		graph_warned = 1;
	graph_leave();
	if (say)
		say_dropped();
	return 0; /* a dropped edge is not retried: the cap holds */
}

/* The report's copy of a queued group: allocated before graph_lock is
 * taken, filled under it (the depot's stacks). */
static struct asl_lo_cycle *group_copy(const struct pending_group *p)
{
	struct asl_lo_cycle *c = malloc(sizeof *c + (size_t)p->n * sizeof c->step[0]);
	if (!c)
		return NULL;
	c->n = p->n;
	c->count = p->count;
	c->npairs = p->npairs;
	memcpy(c->pairs, p->pairs, sizeof c->pairs);
	graph_enter();
	for (int k = 0; k < p->n; k++) {
		const struct pending_step *in = &p->step[k];
		struct asl_lo_step *st = &c->step[k];
		st->tid = in->tid;
		memcpy(st->name, in->name, sizeof st->name);
		st->held = in->held;
		st->acquired = in->acquired;
		st->held_kind = in->held_kind;
		st->acquired_kind = in->acquired_kind;
		st->ngates = in->ngates;
		memcpy(st->gates, in->gates, sizeof st->gates);
		st->acquired_depth = asl_depot_get(in->acquired_stack, st->acquired_stack, ASL_STACK_MAX);
		st->held_depth = asl_depot_get(asl_depot_site_get(in->held_site), st->held_stack, ASL_STACK_MAX);
		st->held_inferred = 0;
		if (!st->held_depth) {
			st->held_depth = 1; /* the site alone */
			st->held_stack[0] = in->held_site;
		} else if (st->acquired_depth > 1 && st->acquired_stack[0] == in->held_site && st->held_depth > 1 &&
		           st->held_stack[1] != st->acquired_stack[1]) {
			/* Both locks went through the same call (a locking wrapper's),
			 * first seen there from another caller: the one asking for the
			 * second lock most likely took the first. */
			memcpy(st->held_stack, st->acquired_stack,
			       (size_t)st->acquired_depth * sizeof st->held_stack[0]);
			st->held_depth = st->acquired_depth;
			st->held_inferred = 1;
		}
	}
	graph_leave();
	return c;
}

/* Takes the groups due for a report out of the queue (under graph_lock). */
static int take_due(struct pending_group *out, uint64_t t, int now, unsigned long *dropped)
{
	int n = 0, keep = 0;
	graph_enter();
	for (int i = 0; i < npending; i++) {
		if (!now && t - pending[i].ns < PENDING_HOLD_NS)
			pending[keep++] = pending[i];
		else
			out[n++] = pending[i];
	}
	npending = keep;
	*dropped = pending_dropped;
	pending_dropped = 0;
	graph_leave();
	return n;
}

int asl_lo_take_due(struct asl_lo_due *out, int max, int all, unsigned long *dropped)
{
	static struct pending_group due[PENDING_MAX]; /* one caller at a time: the monitor, or the exit check */
	int n = take_due(due, asl_now_ns(), all, dropped), k = 0;
	for (int i = 0; i < n && k < max; i++) {
		struct asl_lo_cycle *c = group_copy(&due[i]);
		if (c)
			out[k++] = (struct asl_lo_due){ c, due[i].key };
	}
	return k;
}

void asl_lo_stats(struct asl_lo_stats *st)
{
	memset(st, 0, sizeof *st);
	graph_enter();
	if (graph_ready) {
		st->locks = graph.nnodes;
		st->edges = graph.nedges;
		st->dropped = graph.dropped;
		st->bytes = asl_lograph_bytes(&graph) + asl_depot_bytes() +
		            (nwho + WHO_CHUNK - 1) / WHO_CHUNK * WHO_CHUNK * sizeof(struct thread_seen);
	}
	graph_leave();
}

void asl_lo_reset_after_fork(void)
{
	npending = 0; /* the parent reports them */
}

/* The thread's cache key for one edge in one gate context: a few
 * multiplies, no loop (this runs on every nested acquisition). */
static inline uint64_t edge_key(uint64_t from, int from_read, uint64_t to, int to_read, uint64_t gates)
{
	uint64_t k = (from * 0x9e3779b97f4a7c15ull) ^ (to * 0xc2b2ae3d27d4eb4full) ^ (gates * 0x165667b19e3779f9ull);
	return (k ^ (uint64_t)(from_read * 2 + to_read)) | 1; /* never 0, the empty slot */
}

/* Gate context: a sum, so that one lock's share is taken out by
 * subtraction.  Each share is mixed, not a multiple of the id: with
 * id * k, locks {1, 4} and {2, 3} made the same context. */
static inline uint64_t gate_share(uint64_t id)
{
	uint64_t x = id * 0x27d4eb2f165667c5ull;
	x ^= x >> 29;
	return x * 0xbf58476d1ce4e5b9ull;
}

/* Most recent first: the older way is the one replaced. */
static inline void seen_put(uint64_t *set, uint64_t key)
{
	if (set[0] != key) {
		set[1] = set[0];
		set[0] = key;
	}
}

/* A held lock's id (0: none). */
static inline uint64_t held_id(const struct asl_held *h)
{
	return lock_id((const void *)h->obj, asl_held_kind(h));
}

/* The context of held[0..top] where the entries do not keep it yet (the
 * first lock, taken on the fast path; a trylock; a list closed up after an
 * out-of-order unlock): computed up from the highest entry that keeps one. */
static uint64_t held_ctx_fill(struct asl_thread *me, int top)
{
	int i = top;
	while (i >= 0 && !asl_held_ctx(&me->held[i]))
		i--;
	uint64_t ctx = i >= 0 ? asl_held_ctx(&me->held[i]) : ASL_LO_CTX_SEED;
	for (i++; i <= top; i++) {
		struct asl_held *h = &me->held[i];
		uint64_t id = held_id(h);
		if (id)
			ctx = asl_lo_ctx_key(ctx, id, asl_held_kind(h) == ASL_L_RWLOCK_READ);
		asl_held_set_ctx(h, ctx);
	}
	return ctx;
}

static inline uint64_t held_ctx(struct asl_thread *me, int top)
{
	uint64_t ctx = asl_held_ctx(&me->held[top]);
	return ctx ? ctx : held_ctx_fill(me, top);
}

/* The full pass: records every edge of this acquisition the thread's cache
 * does not hold yet. */
static __attribute__((noinline)) void record_missing(struct asl_thread *me, const void *obj, int kind, uint64_t to,
                                                     uint64_t gates, uintptr_t site)
{
	int to_read = kind == ASL_L_RWLOCK_READ;
	int was = asl_inside_enter();
	for (int i = 0; i < me->nheld; i++) {
		struct asl_held *h = &me->held[i];
		uint64_t id = held_id(h);
		if (!id)
			continue;
		uint64_t own = exclusive(asl_held_kind(h)) ? gate_share(id) : 0;
		uint64_t key = edge_key(id, asl_held_kind(h) == ASL_L_RWLOCK_READ, to, to_read, gates - own);
		uint64_t *set = asl_lo_seen_set(me, key);
		if (asl_lo_seen(set, key))
			continue;
		if (record(me, i, to, obj, kind, site) == 0)
			seen_put(set, key);
	}
	asl_inside_leave(was);
}

/* The acquisition's key missed: probe its edges one by one, and record
 * those missing.  Once all were there, the key goes in the cache. */
static __attribute__((noinline)) uint64_t check_edges(struct asl_thread *me, const void *obj, int kind, uint64_t to,
                                                      uint64_t key, uintptr_t site)
{
	int n = me->nheld, to_read = kind == ASL_L_RWLOCK_READ;
	uint64_t gates = 0;
	for (int i = 0; i < n; i++) {
		struct asl_held *h = &me->held[i];
		if (h->obj == (uintptr_t)obj) {
			/* a relock (recursive, or a self-deadlock caught elsewhere):
			 * no edges, and this key says so from now on */
			seen_put(asl_lo_seen_set(me, key), key);
			return key;
		}
		uint64_t id = held_id(h);
		if (id && exclusive(asl_held_kind(h)))
			gates += gate_share(id);
	}
	for (int i = 0; i < n; i++) {
		struct asl_held *h = &me->held[i];
		uint64_t id = held_id(h);
		if (!id)
			continue;
		uint64_t own = exclusive(asl_held_kind(h)) ? gate_share(id) : 0;
		uint64_t k = edge_key(id, asl_held_kind(h) == ASL_L_RWLOCK_READ, to, to_read, gates - own);
		if (__builtin_expect(!asl_lo_seen(asl_lo_seen_set(me, k), k), 0)) {
			if (asl_syscalls_begin(me)) { /* the graph may map memory, take its lock, unwind */
				record_missing(me, obj, kind, to, gates, site);
				asl_syscalls_end(me);
			}
			return key; /* the key goes in once a pass finds every edge */
		}
	}
	seen_put(asl_lo_seen_set(me, key), key);
	return key;
}

/* The whole check, for whatever the fast path below leaves: the lock's first
 * id, a top entry without its context, a spinlock, a miss. */
static __attribute__((noinline)) uint64_t before_lock_slow(struct asl_thread *me, const void *obj, int kind,
                                                           uintptr_t site)
{
	uint64_t to;
	if (!asl_opts.lock_order || !(to = lock_id(obj, kind)))
		return 0;
	uint64_t key = asl_lo_ctx_key(held_ctx(me, me->nheld - 1), to, kind == ASL_L_RWLOCK_READ);
	if (asl_lo_seen(asl_lo_seen_set(me, key), key))
		return key;
	return check_edges(me, obj, kind, to, key, site);
}

/* A mutex's or rwlock's id when it has one already: no atomics, no call
 * (0: ask lock_id). */
static inline uint64_t known_id(const void *obj, int kind)
{
	unsigned long *f;
	if (kind == ASL_L_SPIN || !(f = id_field(obj, kind)))
		return 0;
	return __atomic_load_n(f, __ATOMIC_RELAXED);
}

/* The top entry's context, taking one step where only it lacks one (the
 * first lock, pushed on the hooks' fast path without its id); 0: ask
 * held_ctx. */
static inline uint64_t top_ctx(struct asl_thread *me)
{
	int top = me->nheld - 1;
	struct asl_held *h = &me->held[top];
	uint64_t ctx = asl_held_ctx(h), below, id;
	if (__builtin_expect(ctx != 0, 1))
		return ctx;
	below = top > 0 ? asl_held_ctx(&me->held[top - 1]) : ASL_LO_CTX_SEED;
	if (!below || !(id = known_id((const void *)h->obj, asl_held_kind(h))))
		return 0;
	ctx = asl_lo_ctx_key(below, id, asl_held_kind(h) == ASL_L_RWLOCK_READ);
	asl_held_set_ctx(h, ctx);
	return ctx;
}

/* The usual nested acquisition: one step, one probe, no call. */
static inline uint64_t before_lock(struct asl_thread *me, const void *obj, int kind, void *site)
{
	uint64_t base, to;
	if (__builtin_expect(asl_opts.lock_order && (base = top_ctx(me)) && (to = known_id(obj, kind)), 1)) {
		uint64_t key = asl_lo_ctx_key(base, to, kind == ASL_L_RWLOCK_READ);
		if (__builtin_expect(asl_lo_seen(asl_lo_seen_set(me, key), key), 1))
			return key;
	}
	return before_lock_slow(me, obj, kind, (uintptr_t)site);
}

uint64_t asl_lo_before_lock(struct asl_thread *me, const void *obj, int kind, void *site)
{
	return before_lock(me, obj, kind, site);
}

uint64_t asl_lo_before_mutex(struct asl_thread *me, const pthread_mutex_t *m, void *site)
{
	return before_lock(me, m, ASL_L_MUTEX, site);
}
