/* SPDX-License-Identifier: MIT */
/* The verdict rules over made-up snapshots: who owns what, which waits count
 * as asleep for good, what vetoes all-asleep, and which cycles are deadlocks. */
#include "asl_verdict.h"
#include "asl_owners.h"

#include <criterion/criterion.h>
#include <string.h>

static struct asl_tsnap T[16];
static struct asl_held HELD[16][ASL_HELD_MAX]; /* T[i].held points to HELD[i] */
static struct asl_snapshot S;
static const struct asl_world NO_HANDLERS = { 0, 999 };

static void reset(void)
{
	memset(T, 0, sizeof T);
	S.n = 0;
	S.now_ns = 1000000000;
	S.t = T;
}

static struct asl_tsnap *thread(pid_t tid)
{
	struct asl_tsnap *t = &T[S.n];
	t->held = HELD[S.n];
	t->slot = S.n;
	t->gen = 1;
	t->seq = 2;
	t->tid = tid;
	t->self = (pthread_t)(0x1000 + tid);
	t->life = ASL_ALIVE;
	S.n++;
	return t;
}

static void waits(struct asl_tsnap *t, int kind, uintptr_t obj)
{
	t->blocked = 1;
	t->seq = 3;
	t->wait.kind = kind;
	t->wait.obj = obj;
}

static void holds(struct asl_tsnap *t, int kind, uintptr_t obj)
{
	t->held[t->nheld].kind_ctx = (uint64_t)kind;
	t->held[t->nheld].obj = obj;
	t->nheld++;
}

static int owners(int i, int *out, pid_t *unknown)
{
	return asl_snap_owners(&S, i, out, 8, unknown);
}

Test(verdict, mutex_owner_comes_from_held_lists, .init = reset)
{
	struct asl_tsnap *a = thread(10), *b = thread(11);
	holds(b, ASL_L_MUTEX, 0xa0);
	waits(a, ASL_W_MUTEX, 0xa0);
	int o[8];
	pid_t unknown;
	cr_assert_eq(owners(0, o, &unknown), 1);
	cr_assert_eq(o[0], 1);
	cr_assert_eq(unknown, 0);
}

Test(verdict, readers_block_writers_but_not_readers, .init = reset)
{
	struct asl_tsnap *w = thread(10), *r1 = thread(11), *r2 = thread(12), *rd = thread(13);
	holds(r1, ASL_L_RWLOCK_READ, 0xb0);
	holds(r2, ASL_L_RWLOCK_READ, 0xb0);
	waits(w, ASL_W_RWLOCK_WRITE, 0xb0);
	waits(rd, ASL_W_RWLOCK_READ, 0xb0);
	int o[8];
	pid_t unknown;
	cr_assert_eq(owners(0, o, &unknown), 2, "a writer waits for every reader");
	cr_assert_eq(owners(3, o, &unknown), 0, "a reader does not wait for readers");
}

Test(verdict, owner_hint_names_a_holder_we_never_saw, .init = reset)
{
	struct asl_tsnap *a = thread(10);
	thread(11);
	waits(a, ASL_W_MUTEX, 0xc0);
	a->wait.owner_hint = 11;
	int o[8];
	pid_t unknown;
	cr_assert_eq(owners(0, o, &unknown), 1);
	cr_assert_eq(o[0], 1);
	a->wait.owner_hint = 4242; /* exited, or lost at fork */
	cr_assert_eq(owners(0, o, &unknown), 0);
	cr_assert_eq(unknown, 4242);
}

Test(verdict, join_waits_for_its_target, .init = reset)
{
	struct asl_tsnap *m = thread(10), *c = thread(11);
	waits(m, ASL_W_JOIN, (uintptr_t)c->self);
	int o[8];
	pid_t unknown;
	cr_assert_eq(owners(0, o, &unknown), 1);
	cr_assert_eq(o[0], 1);
}

Test(verdict, abba_plus_joining_main_is_one_deadlock, .init = reset)
{
	struct asl_tsnap *m = thread(10), *a = thread(11), *b = thread(12);
	waits(m, ASL_W_JOIN, (uintptr_t)a->self);
	holds(a, ASL_L_MUTEX, 0x1);
	waits(a, ASL_W_MUTEX, 0x2);
	holds(b, ASL_L_MUTEX, 0x2);
	waits(b, ASL_W_MUTEX, 0x1);
	struct asl_deadlock d[4];
	cr_assert_eq(asl_find_deadlocks(&S, &NO_HANDLERS, d, 4), 1);
	cr_assert_eq(d[0].n, 2);
	pid_t who;
	cr_assert_null(asl_all_asleep_veto(&S, &NO_HANDLERS, &who));
}

Test(verdict, self_relock_is_a_cycle_of_one, .init = reset)
{
	struct asl_tsnap *a = thread(10);
	holds(a, ASL_L_MUTEX, 0x1);
	waits(a, ASL_W_MUTEX, 0x1);
	struct asl_deadlock d[4];
	cr_assert_eq(asl_find_deadlocks(&S, &NO_HANDLERS, d, 4), 1);
	cr_assert_eq(d[0].n, 1);
	cr_assert_eq(d[0].step[0].owner, 0);
}

Test(verdict, reader_wanting_to_write_waits_on_itself, .init = reset)
{
	struct asl_tsnap *a = thread(10);
	holds(a, ASL_L_RWLOCK_READ, 0x1);
	waits(a, ASL_W_RWLOCK_WRITE, 0x1);
	struct asl_deadlock d[4];
	cr_assert_eq(asl_find_deadlocks(&S, &NO_HANDLERS, d, 4), 1);
}

Test(verdict, read_read_is_no_cycle, .init = reset)
{
	struct asl_tsnap *a = thread(10), *b = thread(11);
	holds(a, ASL_L_RWLOCK_READ, 0x1);
	waits(a, ASL_W_RWLOCK_READ, 0x2);
	holds(b, ASL_L_RWLOCK_READ, 0x2);
	waits(b, ASL_W_RWLOCK_READ, 0x1);
	struct asl_deadlock d[4];
	cr_assert_eq(asl_find_deadlocks(&S, &NO_HANDLERS, d, 4), 0);
}

Test(verdict, timed_waits_close_no_cycle, .init = reset)
{
	struct asl_tsnap *a = thread(10), *b = thread(11);
	holds(a, ASL_L_MUTEX, 0x1);
	waits(a, ASL_W_MUTEX, 0x2);
	a->wait.timed = 1;
	holds(b, ASL_L_MUTEX, 0x2);
	waits(b, ASL_W_MUTEX, 0x1);
	struct asl_deadlock d[4];
	cr_assert_eq(asl_find_deadlocks(&S, &NO_HANDLERS, d, 4), 0);
	pid_t who;
	cr_assert_not_null(asl_all_asleep_veto(&S, &NO_HANDLERS, &who));
	cr_assert_eq(who, 10);
}

Test(verdict, cond_sem_barrier_waits_all_asleep, .init = reset)
{
	waits(thread(10), ASL_W_COND, 0x1);
	waits(thread(11), ASL_W_SEM, 0x2);
	waits(thread(12), ASL_W_BARRIER, 0x3);
	pid_t who;
	cr_assert_null(asl_all_asleep_veto(&S, &NO_HANDLERS, &who));
	struct asl_deadlock d[4];
	cr_assert_eq(asl_find_deadlocks(&S, &NO_HANDLERS, d, 4), 0, "no owner, no cycle");
}

Test(verdict, vetoes, .init = reset)
{
	struct asl_tsnap *a = thread(10), *b = thread(11);
	const struct asl_world handlers = { 1, 999 };
	pid_t who;
	waits(a, ASL_W_COND, 0x1);
	/* b running */
	cr_assert_not_null(asl_all_asleep_veto(&S, &NO_HANDLERS, &who));
	cr_assert_eq(who, 11);
	waits(b, ASL_W_SEM, 0x2);
	cr_assert_null(asl_all_asleep_veto(&S, &NO_HANDLERS, &who));
	cr_assert_not_null(asl_all_asleep_veto(&S, &handlers, &who), "a handler may sem_post");
	b->wait.kind = ASL_W_MUTEX;
	cr_assert_null(asl_all_asleep_veto(&S, &handlers, &who), "no handler may unlock a mutex");
	b->wait.shared = 1;
	cr_assert_not_null(asl_all_asleep_veto(&S, &NO_HANDLERS, &who), "another process may act");
	b->wait.shared = 0;
	b->life = ASL_STARTING;
	cr_assert_not_null(asl_all_asleep_veto(&S, &NO_HANDLERS, &who));
	b->life = ASL_ALIVE;
	b->wait.kind = ASL_W_SPIN;
	cr_assert_not_null(asl_all_asleep_veto(&S, &NO_HANDLERS, &who), "spinlock held outside our view");
	holds(a, ASL_L_SPIN, 0x2);
	cr_assert_null(asl_all_asleep_veto(&S, &NO_HANDLERS, &who));
}

Test(verdict, keys_change_with_any_wait_episode, .init = reset)
{
	struct asl_tsnap *a = thread(10);
	waits(a, ASL_W_COND, 0x1);
	waits(thread(11), ASL_W_COND, 0x1);
	unsigned long long k1 = asl_snapshot_key(&S);
	a->seq += 2;
	cr_assert_neq(asl_snapshot_key(&S), k1);
	a->seq -= 2;
	cr_assert_eq(asl_snapshot_key(&S), k1);
	a->gen++;
	cr_assert_neq(asl_snapshot_key(&S), k1);
}

Test(verdict, kernel_must_agree, .init = reset)
{
	waits(thread(10), ASL_W_COND, 0x1);
	waits(thread(11), ASL_W_SPIN, 0x2);
	struct asl_task tasks[4] = { { 10, 'S' }, { 11, 'R' }, { 999, 'R' }, { 1, 'Z' } };
	struct asl_tasks k = { 4, tasks };
	pid_t who;
	cr_assert_null(asl_kernel_veto(&S, &k, &NO_HANDLERS, NULL, 0, &who),
		       "monitor and a zombie main are fine; a spinner runs");
	tasks[0].state = 'R';
	cr_assert_not_null(asl_kernel_veto(&S, &k, &NO_HANDLERS, NULL, 0, &who), "woken, not yet running");
	cr_assert_eq(who, 10);
	tasks[0].state = 'S';
	tasks[3] = (struct asl_task){ 77, 'S' };
	cr_assert_not_null(asl_kernel_veto(&S, &k, &NO_HANDLERS, NULL, 0, &who), "a thread we never saw");
	cr_assert_eq(who, 77);
	int only[1] = { 0 };
	cr_assert_null(asl_kernel_veto(&S, &k, &NO_HANDLERS, only, 1, &who), "a cycle checks its members only");
	k.n = 1;
	cr_assert_not_null(asl_kernel_veto(&S, &k, &NO_HANDLERS, NULL, 0, &who), "a registry thread /proc lacks");
}

Test(verdict, last_thread_gone_means_only_the_monitor_lives)
{
	struct asl_task tasks[3] = { { 1, 'Z' }, { 999, 'S' }, { 12, 'R' } };
	struct asl_tasks k = { 3, tasks };
	cr_assert_not(asl_only_monitor_left(&k, 999), "a program thread still runs");
	tasks[2].state = 'X';
	cr_assert(asl_only_monitor_left(&k, 999), "zombie main and a dying thread: glibc would exit now");
	tasks[0].state = 'S';
	cr_assert_not(asl_only_monitor_left(&k, 999), "main is alive");
}

Test(verdict, fork_child_names_the_vanished_holder, .init = reset)
{
	static const struct asl_lost lost[] = { { 0xd0, 777, ASL_L_MUTEX }, { 0xe0, 778, ASL_L_RWLOCK_READ } };
	struct asl_tsnap *a = thread(10);
	S.lost = lost;
	S.nlost = 2;
	waits(a, ASL_W_MUTEX, 0xd0);
	int o[8];
	pid_t unknown;
	cr_assert_eq(owners(0, o, &unknown), 0);
	cr_assert_eq(unknown, 777);
	a->wait.kind = ASL_W_RWLOCK_READ;
	a->wait.obj = 0xe0;
	cr_assert_eq(owners(0, o, &unknown), 0);
	cr_assert_eq(unknown, 0, "a lost reader does not block a reader");
	pid_t who;
	cr_assert_null(asl_all_asleep_veto(&S, &NO_HANDLERS, &who), "a lost lock is held forever");
	S.nlost = 0;
	S.lost = NULL;
}
