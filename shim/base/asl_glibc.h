/* SPDX-License-Identifier: MIT */
/* What the shim reads inside glibc's objects.  These layouts are glibc's
 * public ABI on x86_64/aarch64 (bits/struct_mutex.h, struct_rwlock.h,
 * thread-shared-types.h) or stable since 2.21 (sem_t, pthread_barrier_t);
 * tests/unit/test_glibc_layout.c checks each against the real functions. */
#ifndef ASL_GLIBC_H
#define ASL_GLIBC_H

#include <pthread.h>
#include <semaphore.h>
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
