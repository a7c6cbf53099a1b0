/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "asl_syscalls.h"
#include "asl_thread.h"

#include "asl_diag.h"
#include "asl_real.h"
#include "asl_stack.h"

#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The first chunk is static (the main thread's record lives there from the
 * constructor on); the others are mapped when needed. */
static struct asl_thread first_chunk[ASL_THREAD_CHUNK]; /* records: see asl_thread.h for who writes what */
struct asl_thread *_Atomic asl_thread_chunks[ASL_MAX_THREADS / ASL_THREAD_CHUNK] = { first_chunk };
static _Atomic int alloc_hint = 1; /* where the next free slot is looked for first */
_Atomic int asl_threads_hwm;
_Atomic int asl_registry_full;
_Atomic int asl_live_threads, asl_peak_threads;
struct asl_lost asl_lost_at_fork[ASL_LOST_MAX];
int asl_nlost;
__thread struct asl_thread *asl_me __attribute__((tls_model("initial-exec")));
__thread struct asl_thread *asl_gate __attribute__((tls_model("initial-exec")));
__thread int asl_shim_locks_held __attribute__((tls_model("initial-exec")));

static pthread_key_t asl_exit_key;

int asl_in_signal_slow(struct asl_thread *t)
{
	uintptr_t sp = (uintptr_t)__builtin_frame_address(0);
	stack_t ss;
	if (!asl_syscalls_begin(t))
		return 1; /* sigaltstack is a system call: pass through, as in a handler */
	int got = sigaltstack(NULL, &ss);
	asl_syscalls_end(t);
	if (got == 0 && !(ss.ss_flags & SS_DISABLE)) {
		uintptr_t lo = (uintptr_t)ss.ss_sp, hi = lo + ss.ss_size;
		if (ss.ss_flags & SS_ONSTACK)
			return 1; /* only handlers run there */
		if (t->signal_sp >= lo && t->signal_sp < hi)
			goto left; /* the handler ran there, and we are back */
	}
	if (sp < t->signal_sp)
		return 1; /* below the handler's frame: inside it */
left:
	atomic_store(&t->in_signal, 0);
	return 0;
}

pid_t asl_gettid(void)
{
	return gettid();
}

void asl_held_release_slow(struct asl_thread *t, const void *obj)
{
	int i = asl_held_find(t, (uintptr_t)obj);
	if (i < 0) {
		/* Taken before we tracked it, or past ASL_HELD_MAX. */
		if (t->held_lost > 0)
			t->held_lost--;
		return;
	}
	memmove(&t->held[i], &t->held[i + 1], (size_t)(t->nheld - i - 1) * sizeof t->held[0]);
	t->nheld--;
	for (int j = i; j < t->nheld; j++)
		asl_held_set_ctx(&t->held[j], 0); /* their contexts had the released lock in them */
}

int asl_held_find(const struct asl_thread *t, uintptr_t obj)
{
	for (int i = t->nheld - 1; i >= 0; i--)
		if (t->held[i].obj == obj)
			return i;
	return -1;
}

static void note_live(int delta)
{
	int live = atomic_fetch_add(&asl_live_threads, delta) + delta;
	int peak = atomic_load(&asl_peak_threads);
	while (live > peak && !atomic_compare_exchange_weak(&asl_peak_threads, &peak, live))
		;
}

/* The chunk for slot i, mapped on first need (from a hook: mmap, never
 * malloc).  NULL when memory is out. */
static struct asl_thread *chunk_for(int i)
{
	int c = i / ASL_THREAD_CHUNK;
	struct asl_thread *have = atomic_load(&asl_thread_chunks[c]);
	if (have)
		return have;
	size_t len = ASL_THREAD_CHUNK * sizeof(struct asl_thread);
	struct asl_thread *fresh = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (fresh == MAP_FAILED)
		return NULL;
	if (!atomic_compare_exchange_strong(&asl_thread_chunks[c], &have, fresh)) {
		munmap(fresh, len); /* another thread mapped it first */
		return have;
	}
	return fresh;
}

static struct asl_thread *claim(int i)
{
	struct asl_thread *c = chunk_for(i);
	if (!c)
		return NULL;
	struct asl_thread *t = &c[i % ASL_THREAD_CHUNK];
	int life = atomic_load(&t->life);
	if (life != ASL_FREE && life != ASL_EXITED)
		return NULL;
	if (!atomic_compare_exchange_strong(&t->life, &life, ASL_STARTING))
		return NULL;
	t->slot = i; /* set here, not when the chunk is made: untouched records cost no memory */
	return t;
}

static void registry_full_once(void)
{
	static _Atomic int said;
	static const char msg[] = "asleep: the thread registry is full (or out of memory): new threads run "
	                          "untracked and no all-asleep verdict is given\n";
	if (!atomic_exchange(&said, 1))
		asl_write_diag(msg, sizeof msg - 1);
}

/* A slot became free: the next search starts there if it is lower, so
 * that slots are reused lowest first and the high-water mark (which every
 * scan of the registry walks to) stays near the peak of live threads. */
static void hint_lower(int slot)
{
	int h = atomic_load(&alloc_hint);
	while (slot >= 1 && slot < h && !atomic_compare_exchange_weak(&alloc_hint, &h, slot))
		;
}

static void set_exited(struct asl_thread *t)
{
	atomic_store(&t->life, ASL_EXITED);
	hint_lower(t->slot);
}

/* Claims a free or exited slot, searching from the hint (the lowest slot
 * freed since, or the one after the last claimed).  Slot 0 is the main
 * thread's. */
struct asl_thread *asl_thread_alloc(void)
{
	struct asl_thread *t = NULL;
	int start = atomic_load(&alloc_hint), i = start;
	do {
		t = claim(i);
		if (++i >= ASL_MAX_THREADS)
			i = 1;
	} while (!t && i != start);
	if (!t) {
		registry_full_once();
		atomic_store(&asl_registry_full, 1);
		return NULL; /* the thread runs untracked (fail open) */
	}
	atomic_store(&alloc_hint, i);
	atomic_fetch_add(&t->gen, 1);
	/* wait_seq stays even (not blocked) across reuse. */
	t->tid = 0;
	t->lock_tid = 0;
	t->parent_tid = 0;
	atomic_store(&t->sys_depth, 0);
	t->is_main = 0;
	t->detached = 0;
	atomic_store(&t->in_signal, 0);
	t->start = NULL;
	t->c11_start = NULL;
	t->arg = NULL;
	t->nheld = 0;
	t->held_lost = 0;
	t->create_depth = 0;
	t->longwait_seq = 0;
	memset(&t->wait, 0, sizeof t->wait);
	int hwm = atomic_load(&asl_threads_hwm);
	while (hwm < t->slot + 1 && !atomic_compare_exchange_weak(&asl_threads_hwm, &hwm, t->slot + 1))
		;
	note_live(1);
	return t;
}

void asl_thread_free_unstarted(struct asl_thread *t)
{
	note_live(-1);
	set_exited(t);
}

static void exit_key_destructor(void *p)
{
	asl_thread_exit_cleanup(p);
}

int asl_thread_key_init(void)
{
	return pthread_key_create(&asl_exit_key, exit_key_destructor);
}

/* glibc's idea of the calling thread's id, as its locks write it in a
 * mutex's owner: read back from a lock glibc took, so that the hooks'
 * in-place acquisition (asl_mutex_take_default) writes what glibc would,
 * with no system call (it holds in a sandbox, where tid may be 0).  0:
 * never in place (another library wraps glibc's mutex calls). */
static pid_t glibc_lock_tid(void)
{
	pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
	pid_t tid = 0;
	if (asl_real_mutex_is_glibc && REAL(pthread_mutex_trylock)(&m) == 0) {
		tid = m.__data.__owner;
		REAL(pthread_mutex_unlock)(&m);
	}
	return tid;
}

void asl_thread_attach(struct asl_thread *t)
{
	t->self = pthread_self();
	t->lock_tid = glibc_lock_tid();
	/* The tid glibc keeps (the kernel wrote it at clone): no system call
	 * on the thread-creation path, unless another library wraps glibc's
	 * mutex calls. */
	if (t->lock_tid) {
		t->tid = t->lock_tid;
	} else if (asl_syscalls_begin(t)) {
		t->tid = asl_gettid();
		asl_syscalls_end(t);
	}
	asl_me = t;
	asl_gate = t;
	/* A non-NULL value makes the exit-key destructor run however the thread ends
	 * (return, pthread_exit, cancellation). */
	pthread_setspecific(asl_exit_key, t);
	atomic_store(&t->life, ASL_ALIVE);
}

void asl_thread_register_main(void)
{
	struct asl_thread *t = &first_chunk[0];
	t->slot = 0;
	atomic_store(&t->life, ASL_ALIVE);
	atomic_fetch_add(&t->gen, 1);
	t->tid = asl_gettid();
	t->self = pthread_self();
	t->lock_tid = glibc_lock_tid();
	t->is_main = 1;
	if (atomic_load(&asl_threads_hwm) < 1)
		atomic_store(&asl_threads_hwm, 1);
	note_live(1);
	asl_me = t;
	asl_gate = t;
}

struct asl_thread *asl_thread_by_pthread(pthread_t th)
{
	int hwm = atomic_load(&asl_threads_hwm);
	for (int i = 0; i < hwm; i++) {
		struct asl_thread *t = asl_thread_at(i);
		int life = t ? atomic_load(&t->life) : ASL_FREE;
		if ((life == ASL_ALIVE || life == ASL_EXITING || life == ASL_FINISHED) && pthread_equal(t->self, th))
			return t;
	}
	return NULL;
}

void asl_thread_joined(pthread_t th)
{
	struct asl_thread *t = asl_thread_by_pthread(th);
	int finished = ASL_FINISHED;
	if (t && atomic_compare_exchange_strong(&t->life, &finished, ASL_EXITED))
		hint_lower(t->slot);
}

void (*asl_thread_exit_holding_fn)(struct asl_thread *t);

void asl_thread_exit_cleanup(struct asl_thread *t)
{
	if (t == NULL || asl_me != t)
		return;
	asl_gate = NULL; /* inside the shim for good */
	/* A mark a cancellation left (asl_syscalls.h) ends here. */
	atomic_store_explicit(&t->sys_depth, 0, memory_order_release);
	int quiet = !asl_syscalls_begin(t); /* no report, no system call */
	if (t->nheld > 0 && asl_thread_exit_holding_fn && !quiet)
		asl_thread_exit_holding_fn(t); /* the runtime's abandoned-lock check */
	asl_me = NULL;
	note_live(-1);
	if (quiet || prctl(PR_GET_NAME, t->name) != 0)
		t->name[0] = '\0';
	if (!quiet)
		asl_syscalls_end(t);
	/* A joinable thread's slot waits for its join (or the exit check). */
	if (t->detached || t->is_main)
		set_exited(t);
	else
		atomic_store(&t->life, ASL_FINISHED);
}

/* In the child of fork(): only the calling thread exists.  Every other record
 * is dropped; their locks stay locked forever in the child. */
void asl_thread_reset_after_fork(void)
{
	struct asl_thread *me = asl_me;
	int hwm = atomic_load(&asl_threads_hwm);
	asl_nlost = 0;
	for (int i = 0; i < hwm; i++) {
		struct asl_thread *t = asl_thread_at(i);
		if (!t || t == me)
			continue;
		int life = atomic_load(&t->life);
		for (int h = 0; life != ASL_FREE && life != ASL_EXITED && h < t->nheld && asl_nlost < ASL_LOST_MAX; h++)
			asl_lost_at_fork[asl_nlost++] =
			        (struct asl_lost){ t->held[h].obj, t->tid, asl_held_kind(&t->held[h]) };
		atomic_store(&t->life, ASL_EXITED);
		atomic_store(&t->sys_depth, 0); /* gone here: nothing to wait for (asl_syscalls.h) */
	}
	atomic_store(&alloc_hint, 1);
	atomic_store(&asl_live_threads, me ? 1 : 0);
	atomic_store(&asl_peak_threads, me ? 1 : 0);
	if (me) {
		me->tid = asl_sandboxed() ? 0 : asl_gettid();
		me->self = pthread_self();
		me->lock_tid = glibc_lock_tid();
	}
}
