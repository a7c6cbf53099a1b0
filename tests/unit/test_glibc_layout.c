/* SPDX-License-Identifier: MIT */
/* The glibc internals the shim reads (asl_glibc.h) against the real thing:
 * if a glibc update moved a field, this fails before any verdict goes wrong. */
#define _GNU_SOURCE
#include "asl_glibc.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>

static pid_t tid(void)
{
	return (pid_t)syscall(SYS_gettid);
}

static void mutex_of_type(pthread_mutex_t *m, int type, int robust)
{
	pthread_mutexattr_t a;
	pthread_mutexattr_init(&a);
	pthread_mutexattr_settype(&a, type);
	if (robust)
		pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
	pthread_mutex_init(m, &a);
	pthread_mutexattr_destroy(&a);
}

Test(glibc_layout, mutex_owner_and_relock_rule)
{
	pthread_mutex_t st = PTHREAD_MUTEX_INITIALIZER, m;
	cr_assert(asl_mutex_relock_hangs(&st), "a static default mutex hangs on relock");
	cr_assert_eq(asl_mutex_owner(&st), 0);
	pthread_mutex_lock(&st);
	cr_assert_eq(asl_mutex_owner(&st), tid());
	pthread_mutex_unlock(&st);
	cr_assert_eq(asl_mutex_owner(&st), 0);
	mutex_of_type(&m, PTHREAD_MUTEX_RECURSIVE, 0);
	cr_assert_not(asl_mutex_relock_hangs(&m));
	mutex_of_type(&m, PTHREAD_MUTEX_ERRORCHECK, 0);
	cr_assert_not(asl_mutex_relock_hangs(&m));
	mutex_of_type(&m, PTHREAD_MUTEX_NORMAL, 1);
	cr_assert_not(asl_mutex_relock_hangs(&m), "robust: not modelled as certain");
	pthread_mutex_t rec = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;
	cr_assert_not(asl_mutex_relock_hangs(&rec));
	pthread_mutex_t adp = PTHREAD_ADAPTIVE_MUTEX_INITIALIZER_NP;
	cr_assert(asl_mutex_relock_hangs(&adp));
}

Test(glibc_layout, shared_marks)
{
	pthread_mutexattr_t ma;
	pthread_mutex_t m, pm = PTHREAD_MUTEX_INITIALIZER;
	pthread_mutexattr_init(&ma);
	pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
	pthread_mutex_init(&m, &ma);
	cr_assert(asl_mutex_shared(&m));
	cr_assert_not(asl_mutex_shared(&pm));

	pthread_condattr_t ca;
	pthread_cond_t c, pc = PTHREAD_COND_INITIALIZER;
	pthread_condattr_init(&ca);
	pthread_condattr_setpshared(&ca, PTHREAD_PROCESS_SHARED);
	pthread_cond_init(&c, &ca);
	cr_assert(asl_cond_shared(&c));
	cr_assert_not(asl_cond_shared(&pc));

	pthread_rwlockattr_t ra;
	pthread_rwlock_t rw, prw = PTHREAD_RWLOCK_INITIALIZER;
	pthread_rwlockattr_init(&ra);
	pthread_rwlockattr_setpshared(&ra, PTHREAD_PROCESS_SHARED);
	pthread_rwlock_init(&rw, &ra);
	cr_assert(asl_rwlock_shared(&rw));
	cr_assert_not(asl_rwlock_shared(&prw));

	sem_t s, ps;
	sem_init(&s, 1, 0);
	sem_init(&ps, 0, 0);
	cr_assert(asl_sem_shared(&s));
	cr_assert_not(asl_sem_shared(&ps));
	sem_t *named = sem_open("/asleep-layout-test", O_CREAT, 0600, 0);
	cr_assert_neq(named, SEM_FAILED);
	cr_assert(asl_sem_shared(named), "named semaphores are shared");
	sem_close(named);
	sem_unlink("/asleep-layout-test");

	pthread_barrierattr_t ba;
	pthread_barrier_t b, pb;
	pthread_barrierattr_init(&ba);
	pthread_barrierattr_setpshared(&ba, PTHREAD_PROCESS_SHARED);
	pthread_barrier_init(&b, &ba, 3);
	pthread_barrier_init(&pb, NULL, 5);
	cr_assert(asl_barrier_shared(&b));
	cr_assert_not(asl_barrier_shared(&pb));
	cr_assert_eq(asl_barrier_count(&b), 3);
	cr_assert_eq(asl_barrier_count(&pb), 5);
}

Test(glibc_layout, rwlock_writer)
{
	pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
	cr_assert_eq(asl_rwlock_writer(&rw), 0);
	pthread_rwlock_wrlock(&rw);
	cr_assert_eq(asl_rwlock_writer(&rw), tid());
	pthread_rwlock_unlock(&rw);
	pthread_rwlock_rdlock(&rw);
	cr_assert_eq(asl_rwlock_writer(&rw), 0);
	pthread_rwlock_unlock(&rw);
}

/* abandoned-lock asks glibc whether a read hold is still there. */
Test(glibc_layout, rwlock_readers)
{
	pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
	cr_assert_eq(asl_rwlock_readers(&rw), 0);
	pthread_rwlock_rdlock(&rw);
	pthread_rwlock_rdlock(&rw);
	cr_assert_eq(asl_rwlock_readers(&rw), 2);
	pthread_rwlock_unlock(&rw);
	pthread_rwlock_unlock(&rw);
	cr_assert_eq(asl_rwlock_readers(&rw), 0);
	pthread_rwlock_wrlock(&rw);
	cr_assert_eq(asl_rwlock_readers(&rw), 0);
	pthread_rwlock_unlock(&rw);
}

/* ... and whether a mutex is still owned by the exiting thread. */
Test(glibc_layout, mutex_owner_cleared_by_any_unlocker)
{
	pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
	pthread_mutex_lock(&m);
	cr_assert_eq(asl_mutex_owner(&m), tid());
	pthread_mutex_unlock(&m);
	cr_assert_eq(asl_mutex_owner(&m), 0);
}

/* The lock-order check keeps a lock's id in a field glibc leaves alone for
 * that lock type (shim/asl_lockorder.c id_field): init must zero it, and
 * locking, unlocking and condition waits must never touch it. */
Test(glibc_layout, mutex_id_field_survives_use_and_dies_at_init)
{
	static const int types[] = { PTHREAD_MUTEX_NORMAL, PTHREAD_MUTEX_RECURSIVE, PTHREAD_MUTEX_ERRORCHECK,
				     PTHREAD_MUTEX_ADAPTIVE_NP };
	for (unsigned i = 0; i < sizeof types / sizeof types[0]; i++) {
		pthread_mutex_t m;
		memset(&m, 0xa5, sizeof m);
		mutex_of_type(&m, types[i], 0);
		cr_assert_null(m.__data.__list.__next, "init zeroes the field (type %d)", types[i]);
		m.__data.__list.__next = (void *)0x1234;
		pthread_mutex_lock(&m);
		pthread_mutex_trylock(&m);
		pthread_cond_t c = PTHREAD_COND_INITIALIZER;
		struct timespec past = { 0, 0 };
		cr_assert_eq(pthread_cond_timedwait(&c, &m, &past), ETIMEDOUT);
		pthread_mutex_unlock(&m);
		if (types[i] == PTHREAD_MUTEX_RECURSIVE)
			pthread_mutex_unlock(&m);
		cr_assert_eq(m.__data.__list.__next, (void *)0x1234, "use keeps the field (type %d)", types[i]);
		m.__data.__list.__next = NULL;
		cr_assert_eq(pthread_mutex_destroy(&m), 0);
	}
	pthread_mutex_t st = PTHREAD_MUTEX_INITIALIZER;
	cr_assert_null(st.__data.__list.__next);
}

Test(glibc_layout, rwlock_id_field_survives_use_and_dies_at_init)
{
	pthread_rwlock_t rw;
	memset(&rw, 0xa5, sizeof rw);
	pthread_rwlock_init(&rw, NULL);
	cr_assert_eq(rw.__data.__pad2, 0);
	cr_assert_eq(rw.__data.__flags, PTHREAD_RWLOCK_PREFER_READER_NP, "default is reader preference");
	rw.__data.__pad2 = 0x1234;
	pthread_rwlock_rdlock(&rw);
	pthread_rwlock_tryrdlock(&rw);
	pthread_rwlock_unlock(&rw);
	pthread_rwlock_unlock(&rw);
	pthread_rwlock_wrlock(&rw);
	pthread_rwlock_unlock(&rw);
	cr_assert_eq(rw.__data.__pad2, 0x1234);
	pthread_rwlock_t st = PTHREAD_RWLOCK_INITIALIZER;
	cr_assert_eq(st.__data.__pad2, 0);
	rw.__data.__pad2 = 0;
	pthread_rwlock_destroy(&rw);
}

/* The hooks' in-place acquisition and release (asl_mutex_take_default,
 * asl_mutex_give_default) leave a default mutex byte for byte as glibc's
 * lock and unlock do, in both of glibc's modes (one thread ever: plain
 * stores; more: atomics), and hand off to glibc's own calls either way. */
static void expect_same_bytes(const pthread_mutex_t *a, const pthread_mutex_t *b, const char *when)
{
	cr_assert_eq(memcmp(a, b, sizeof *a), 0, "%s: the in-place mutex differs from glibc's", when);
}

Test(glibc_layout, in_place_take_and_give_match_glibc)
{
	for (int single = 0; single <= 1; single++) {
		pthread_mutex_t g = PTHREAD_MUTEX_INITIALIZER, p = PTHREAD_MUTEX_INITIALIZER;
		pthread_mutex_lock(&g);
		pid_t glibc_tid = asl_mutex_owner(&g);
		cr_assert_eq(glibc_tid, tid());
		cr_assert(asl_mutex_take_default(&p, glibc_tid, single));
		expect_same_bytes(&p, &g, "after the lock");
		cr_assert_not(asl_mutex_take_default(&p, glibc_tid, single), "a held mutex is busy");
		expect_same_bytes(&p, &g, "after a busy take");
		pthread_mutex_unlock(&g);
		cr_assert(asl_mutex_give_default(&p, single));
		expect_same_bytes(&p, &g, "after the unlock");
		/* mixed: glibc takes what was given in place, and the reverse */
		cr_assert_eq(pthread_mutex_trylock(&p), 0);
		cr_assert(asl_mutex_give_default(&p, single));
		cr_assert(asl_mutex_take_default(&p, glibc_tid, single));
		cr_assert_eq(pthread_mutex_unlock(&p), 0);
		expect_same_bytes(&p, &g, "after mixed use");
		cr_assert_eq(pthread_mutex_destroy(&p), 0, "glibc's destroy accepts it");
	}
}

Test(glibc_layout, in_place_leaves_other_mutexes_to_glibc)
{
	pthread_mutex_t m[6];
	mutex_of_type(&m[0], PTHREAD_MUTEX_RECURSIVE, 0);
	mutex_of_type(&m[1], PTHREAD_MUTEX_ERRORCHECK, 0);
	mutex_of_type(&m[2], PTHREAD_MUTEX_ADAPTIVE_NP, 0);
	mutex_of_type(&m[3], PTHREAD_MUTEX_NORMAL, 1);
	pthread_mutexattr_t a;
	pthread_mutexattr_init(&a);
	pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
	pthread_mutex_init(&m[4], &a);
	pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_PRIVATE);
	pthread_mutexattr_setprotocol(&a, PTHREAD_PRIO_INHERIT);
	pthread_mutex_init(&m[5], &a);
	pthread_mutexattr_destroy(&a);
	for (int i = 0; i < 6; i++) {
		pthread_mutex_t before = m[i];
		cr_assert_not(asl_mutex_is_default(&m[i]), "mutex %d", i);
		cr_assert_not(asl_mutex_take_default(&m[i], tid(), 0), "mutex %d", i);
		cr_assert_not(asl_mutex_give_default(&m[i], 0), "mutex %d", i);
		expect_same_bytes(&m[i], &before, "another type, untouched");
	}
	pthread_mutex_t d;
	pthread_mutex_init(&d, NULL);
	cr_assert(asl_mutex_is_default(&d), "a null attribute makes a default mutex");
}

static pthread_mutex_t handoff = PTHREAD_MUTEX_INITIALIZER;

static void *lock_with_glibc(void *arg)
{
	pthread_mutex_lock(&handoff); /* blocks: the main thread holds it */
	pthread_mutex_unlock(&handoff);
	return arg;
}

/* A waiter asleep in glibc's lock is woken by the in-place release (the
 * lock word says 2, so the release must make the futex call). */
Test(glibc_layout, in_place_give_wakes_a_glibc_waiter, .timeout = 20)
{
	pthread_t t;
	pid_t glibc_tid;
	pthread_mutex_lock(&handoff);
	glibc_tid = asl_mutex_owner(&handoff);
	pthread_mutex_unlock(&handoff);
	cr_assert(asl_mutex_take_default(&handoff, glibc_tid, 0));
	cr_assert_eq(pthread_create(&t, NULL, lock_with_glibc, NULL), 0);
	while (__atomic_load_n(&handoff.__data.__lock, __ATOMIC_ACQUIRE) != 2)
		sched_yield(); /* the waiter marked the word: it sleeps, or is about to */
	cr_assert(asl_mutex_give_default(&handoff, 0));
	cr_assert_eq(pthread_join(t, NULL), 0, "the waiter got the lock and ended");
	cr_assert_eq(__atomic_load_n(&handoff.__data.__lock, __ATOMIC_RELAXED), 0);
	cr_assert_eq(pthread_mutex_destroy(&handoff), 0);
}

/* A condition wait gives the mutex back and takes it again inside glibc. */
Test(glibc_layout, in_place_mutex_in_a_cond_wait)
{
	pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER, g = PTHREAD_MUTEX_INITIALIZER;
	pthread_cond_t c = PTHREAD_COND_INITIALIZER;
	pthread_mutex_lock(&g);
	pid_t glibc_tid = asl_mutex_owner(&g);
	pthread_mutex_unlock(&g);
	cr_assert(asl_mutex_take_default(&m, glibc_tid, 0));
	struct timespec past = { 0, 0 };
	cr_assert_eq(pthread_cond_timedwait(&c, &m, &past), ETIMEDOUT);
	cr_assert_eq(asl_mutex_owner(&m), glibc_tid, "held again after the wait");
	cr_assert(asl_mutex_give_default(&m, 0));
	cr_assert_eq(pthread_mutex_destroy(&m), 0, "the user count is back to 0");
}
