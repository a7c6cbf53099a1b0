/* SPDX-License-Identifier: MIT */
/* What the shim reads inside glibc's objects.  These layouts are glibc's
 * public ABI on x86_64/aarch64 (bits/struct_mutex.h, struct_rwlock.h,
 * thread-shared-types.h) or stable since 2.21 (sem_t, pthread_barrier_t);
 * tests/unit/test_glibc_layout.c checks each against the real functions. */
#ifndef ASL_GLIBC_H
#define ASL_GLIBC_H

#include <linux/futex.h>
#include <pthread.h>
#include <semaphore.h>
#include <sys/syscall.h>
#include <sys/types.h>

#define ASL_MUTEX_KIND_MASK 3 /* PTHREAD_MUTEX_KIND_MASK_NP */
#define ASL_MUTEX_ROBUST 16
#define ASL_MUTEX_PRIO_INHERIT 32
#define ASL_MUTEX_PRIO_PROTECT 64
#define ASL_MUTEX_PSHARED 128
#define ASL_FUTEX_SHARED 128 /* glibc's private/shared word value for shared objects */

static inline int asl_mutex_kind(const pthread_mutex_t *m)
{
	return __atomic_load_n(&m->__data.__kind, __ATOMIC_RELAXED);
}

static inline pid_t asl_mutex_owner(const pthread_mutex_t *m)
{
	return __atomic_load_n(&m->__data.__owner, __ATOMIC_RELAXED);
}

static inline int asl_mutex_shared(const pthread_mutex_t *m)
{
	return (asl_mutex_kind(m) & ASL_MUTEX_PSHARED) != 0;
}

/* A default mutex (PTHREAD_MUTEX_TIMED_NP, as PTHREAD_MUTEX_INITIALIZER or
 * a null attribute make it): private, no robust or priority protocol, no
 * elision flag.  glibc's lock and trylock take such a mutex the same way. */
static inline int asl_mutex_is_default(const pthread_mutex_t *m)
{
	return asl_mutex_kind(m) == 0;
}

/* glibc's uncontended acquisition of a default mutex, made in place so that
 * the lock hook's hot path calls nothing: the lock word from 0 to 1 (a
 * compare-and-swap; a plain store while the process has only ever had one
 * thread, as glibc does), then the owner (`tid`: glibc's own idea of the
 * thread's id, asl_thread.lock_tid) and the user count, as glibc's
 * pthread_mutex_lock writes them.  Returns 1 when taken, 0 (nothing
 * written) when m is busy or not a default mutex: then ask glibc.
 * tests/unit/test_glibc_layout.c checks that it leaves a mutex byte for
 * byte as glibc's lock does, and that glibc's unlock, cond wait and
 * destroy accept it. */
static inline int asl_mutex_take_default(pthread_mutex_t *m, pid_t tid, int single_threaded)
{
	if (!asl_mutex_is_default(m))
		return 0;
	if (single_threaded) {
		if (m->__data.__lock != 0)
			return 0;
		m->__data.__lock = 1;
	} else {
		int free = 0;
		if (!__atomic_compare_exchange_n(&m->__data.__lock, &free, 1, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
			return 0;
	}
	m->__data.__owner = tid;
	m->__data.__nusers++;
	return 1;
}

/* Wakes one thread waiting for the lock word, as glibc's lock-wake does:
 * a raw futex call (no errno, no hook, nothing a program's syscall()
 * interposer sees; glibc's own is inline too). */
static __attribute__((noinline, cold, unused)) void asl_mutex_wake_one(pthread_mutex_t *m)
{
#if defined(__x86_64__)
	register long nr __asm__("rax") = SYS_futex;
	__asm__ volatile("syscall"
	                 : "+r"(nr)
	                 : "D"(&m->__data.__lock), "S"((long)FUTEX_WAKE_PRIVATE), "d"(1L)
	                 : "rcx", "r11", "memory");
#elif defined(__aarch64__)
	register long x8 __asm__("x8") = SYS_futex;
	register long x0 __asm__("x0") = (long)&m->__data.__lock;
	register long x1 __asm__("x1") = FUTEX_WAKE_PRIVATE;
	register long x2 __asm__("x2") = 1;
	__asm__ volatile("svc 0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2) : "memory");
#else
#error "asl_mutex_wake_one: no raw system call for this architecture"
#endif
}

/* glibc's release of a default mutex, made in place (the unlock hook's hot
 * path): the owner and the user count, then the lock word back to 0 (a
 * plain store while the process has only ever had one thread) and, when it
 * said a thread may be waiting (2), a futex wake, as glibc's
 * pthread_mutex_unlock does.  For a mutex asl_mutex_take_default or glibc
 * gave the caller; 0 (nothing written) when m is not a default mutex. */
static inline int asl_mutex_give_default(pthread_mutex_t *m, int single_threaded)
{
	if (!asl_mutex_is_default(m))
		return 0;
	m->__data.__owner = 0;
	m->__data.__nusers--;
	if (single_threaded)
		m->__data.__lock = 0;
	else if (__atomic_exchange_n(&m->__data.__lock, 0, __ATOMIC_RELEASE) > 1)
		asl_mutex_wake_one(m);
	return 1;
}

/* A relock by the owner blocks forever: a plain (normal/default or adaptive)
 * mutex without robust, priority-inheritance or -protect protocols. */
static inline int asl_mutex_relock_hangs(const pthread_mutex_t *m)
{
	int k = asl_mutex_kind(m);
	int type = k & ASL_MUTEX_KIND_MASK;
	if (k & (ASL_MUTEX_ROBUST | ASL_MUTEX_PRIO_INHERIT | ASL_MUTEX_PRIO_PROTECT))
		return 0;
	return type == PTHREAD_MUTEX_NORMAL || type == PTHREAD_MUTEX_ADAPTIVE_NP;
}

static inline pid_t asl_rwlock_writer(const pthread_rwlock_t *rw)
{
	return __atomic_load_n(&rw->__data.__cur_writer, __ATOMIC_RELAXED);
}

/* Readers holding it now (glibc keeps the count above three state bits). */
static inline unsigned asl_rwlock_readers(const pthread_rwlock_t *rw)
{
	return __atomic_load_n(&rw->__data.__readers, __ATOMIC_RELAXED) >> 3;
}

static inline int asl_rwlock_shared(const pthread_rwlock_t *rw)
{
	return __atomic_load_n(&rw->__data.__shared, __ATOMIC_RELAXED) != 0;
}

/* Threads inside a wait on the condition (glibc counts them in __wrefs
 * above three flag bits; pthread_cond_destroy waits for them to leave). */
static inline unsigned asl_cond_waiters(const pthread_cond_t *c)
{
	return __atomic_load_n(&c->__data.__wrefs, __ATOMIC_RELAXED) >> 3;
}

static inline int asl_cond_shared(const pthread_cond_t *c)
{
	return (__atomic_load_n(&c->__data.__wrefs, __ATOMIC_RELAXED) & 1u) != 0;
}

/* struct new_sem { uint64_t data; int private; int pad; } */
static inline int asl_sem_shared(const sem_t *s)
{
	const int *w = (const int *)(const void *)s;
	return __atomic_load_n(&w[2], __ATOMIC_RELAXED) == ASL_FUTEX_SHARED;
}

/* struct pthread_barrier { unsigned in, current_round, count; int shared; unsigned out; } */
static inline unsigned asl_barrier_count(const pthread_barrier_t *b)
{
	const unsigned *w = (const unsigned *)(const void *)b;
	return __atomic_load_n(&w[2], __ATOMIC_RELAXED);
}

static inline int asl_barrier_shared(const pthread_barrier_t *b)
{
	const int *w = (const int *)(const void *)b;
	return __atomic_load_n(&w[3], __ATOMIC_RELAXED) == ASL_FUTEX_SHARED;
}

#endif
