/* SPDX-License-Identifier: MIT */
/* Thread-growth sites and the long-wait "who could end it" phrase, over
 * made-up snapshots. */
#include "asl_enders.h"
#include "asl_sites.h"

#include <criterion/criterion.h>
#include <string.h>

static struct asl_tsnap T[16];
static struct asl_held HELD[16][ASL_HELD_MAX]; /* T[i].held points to HELD[i] */
static struct asl_snapshot S;

static void reset(void)
{
	memset(T, 0, sizeof T);
	S.n = 0;
	S.now_ns = 1000000000;
	S.t = T;
}

/* A thread created from the call stack {site, 0x500, 0x600}. */
static struct asl_tsnap *thread(pid_t tid, uintptr_t site)
{
	struct asl_tsnap *t = &T[S.n];
	t->held = HELD[S.n];
	t->slot = S.n;
	t->tid = tid;
	t->self = (pthread_t)(0x1000 + tid);
	t->life = ASL_ALIVE;
	t->create_depth = 3;
	t->create_stack[0] = site;
	t->create_stack[1] = 0x500;
	t->create_stack[2] = 0x600;
	S.n++;
	return t;
}

static void waits(struct asl_tsnap *t, int kind, uintptr_t obj, uintptr_t at)
{
	t->blocked = 1;
	t->seq = 3;
	t->wait.kind = kind;
	t->wait.obj = obj;
	t->wait.depth = 2;
	t->wait.stack[0] = at;
	t->wait.stack[1] = 0x700;
	t->wait.peer = -1;
}

Test(sites, grouped_by_creation_and_wait_site_largest_first, .init = reset)
{
	struct asl_tsnap *m = thread(1, 0);
	m->is_main = 1;
	m->create_depth = 0;
	waits(thread(2, 0x100), ASL_W_COND, 0xc0, 0x200);   /* group A */
	waits(thread(3, 0x110), ASL_W_COND, 0xc0, 0x200);   /* B: other creation site */
	waits(thread(4, 0x100), ASL_W_COND, 0xc8, 0x200);   /* A: the object does not matter */
	waits(thread(5, 0x100), ASL_W_MUTEX, 0xc0, 0x200);  /* C: other wait kind */
	waits(thread(6, 0x100), ASL_W_COND, 0xc0, 0x210);   /* D: other wait site */
	thread(7, 0x100);                                   /* E: running */
	waits(thread(8, 0x100), ASL_W_COND, 0xc0, 0x200);   /* A */
	struct asl_site g[16];
	int n = asl_sites_group(&S, g);
	cr_assert_eq(n, 6);
	cr_assert_eq(g[0].count, 3);
	cr_assert_eq(S.t[g[0].first].tid, 2);
	/* equal counts keep snapshot order: main, B, C, D, E */
	pid_t order[] = { 1, 3, 5, 6, 7 };
	for (int i = 1; i < n; i++) {
		cr_assert_eq(g[i].count, 1);
		cr_assert_eq(S.t[g[i].first].tid, order[i - 1], "group %d", i);
	}
}

Test(sites, deeper_frames_tell_wrappers_apart, .init = reset)
{
	/* std::thread: the same first frame, different callers below it */
	struct asl_tsnap *a = thread(2, 0x100), *b = thread(3, 0x100), *c = thread(4, 0x100);
	b->create_stack[1] = 0x510;
	c->create_stack[ASL_SITE_FRAMES] = 0x999; /* beyond the frames compared */
	c->create_depth = ASL_SITE_FRAMES + 1;
	a->create_depth = b->create_depth = ASL_SITE_FRAMES + 1;
	a->create_stack[3] = b->create_stack[3] = c->create_stack[3] = 0x800;
	cr_assert(!asl_same_site(a, b));
	cr_assert(asl_same_site(a, c));
	struct asl_site g[4];
	cr_assert_eq(asl_sites_group(&S, g), 2);
	cr_assert_eq(g[0].count, 2);
}

Test(sites, empty_snapshot, .init = reset)
{
	struct asl_site g[1];
	cr_assert_eq(asl_sites_group(&S, g), 0);
}

static const char *enders(int i)
{
	static char buf[200];
	asl_wait_enders(&S, i, buf, sizeof buf);
	return buf;
}

Test(long_wait, lock_waits_name_the_holders, .init = reset)
{
	struct asl_tsnap *a = thread(10, 0x100), *b = thread(11, 0x100);
	b->held[0].obj = 0xa0;
	b->held[0].kind_ctx = ASL_L_MUTEX;
	b->nheld = 1;
	waits(a, ASL_W_MUTEX, 0xa0, 0x200);
	cr_assert_str_eq(enders(0), "held by thread 11");
	b->nheld = 0;
	a->wait.owner_hint = 77; /* libc says 77 holds it: gone */
	cr_assert_str_eq(enders(0), "held by thread 77, which no longer exists");
	a->wait.owner_hint = 0;
	cr_assert_str_eq(enders(0), "the holder is not known");
}

Test(long_wait, join_names_the_target, .init = reset)
{
	struct asl_tsnap *a = thread(10, 0x100);
	thread(11, 0x100);
	waits(a, ASL_W_JOIN, (uintptr_t)(pthread_t)(0x1000 + 11), 0x200);
	cr_assert_str_eq(enders(0), "thread 11 must exit");
}

Test(long_wait, other_waits_say_who_may_act, .init = reset)
{
	struct asl_tsnap *a = thread(10, 0x100);
	static const struct {
		int kind, shared;
		const char *want;
	} cases[] = {
		{ ASL_W_COND, 0, "any thread that signals it" },
		{ ASL_W_SEM, 1, "any thread that posts it, or another process" },
		{ ASL_W_BARRIER, 0, "the other threads arriving at it" },
		{ ASL_W_FUTEX, 0, "any thread that wakes the futex" },
		{ ASL_W_PIPE_READ, 0, "any thread that writes to it" },
		{ ASL_W_PIPE_WRITE, 1, "any thread that reads the other end, or another process" },
		{ ASL_W_POLL, 0, "any thread that makes one of its fds ready" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		waits(a, cases[i].kind, 3, 0x200);
		a->wait.shared = cases[i].shared;
		cr_assert_str_eq(enders(0), cases[i].want, "kind %d", cases[i].kind);
	}
	a->wait.kind = ASL_W_PIPE_READ;
	a->wait.peer = 4;
	a->wait.shared = 0;
	cr_assert_str_eq(enders(0), "any thread that writes the other end");
}

Test(long_wait, small_buffers_truncate, .init = reset)
{
	struct asl_tsnap *a = thread(10, 0x100);
	for (int k = 0; k < 5; k++) {
		struct asl_tsnap *h = thread(20 + k, 0x100);
		h->held[0].obj = 0xa0;
		h->held[0].kind_ctx = ASL_L_RWLOCK_READ;
		h->nheld = 1;
	}
	waits(a, ASL_W_RWLOCK_WRITE, 0xa0, 0x200);
	char buf[12];
	asl_wait_enders(&S, 0, buf, sizeof buf);
	cr_assert_str_eq(buf, "held by thr");
	char big[200];
	asl_wait_enders(&S, 0, big, sizeof big);
	cr_assert_str_eq(big, "held by thread 20, 21, 22, 23, 24");
}
