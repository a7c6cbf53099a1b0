/* SPDX-License-Identifier: MIT */
/* Stack shapes (base/asl_stack.c): a capture served from a remembered shape
 * gives exactly what unwinding gives, and a different call path at the
 * same depth, a deeper recursion, a signal handler, a coroutine's stack or
 * a small thread stack never gets a stale stack.  asl_stack.c is built into
 * its own library here, as in the shim, so that this program's frames are
 * the "program's" and kept. */
#define _GNU_SOURCE
#include "asl_real.h"
#include "asl_stack.h"

#include <criterion/criterion.h>
#include <dlfcn.h>
#include <stdio.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>
#include <unwind.h>

#define MAXF 32
#define NOINLINE __attribute__((noinline, noclone))

/* A capture, and an unwind taken right after it in the same frame: the
 * truth, but for the innermost return address. */
struct stk {
	int n, truth_n;
	uintptr_t f[MAXF];
	void *truth[MAXF];
};

static void setup(void)
{
	asl_real_resolve();
	asl_stack_init();
}

static unsigned long shape_hits(void)
{
	unsigned long from_shape, unwound;
	asl_stack_counts(&from_shape, &unwound);
	return from_shape;
}

/* The function a return address lies in, by name (-rdynamic). */
static const char *fn_of(uintptr_t ip)
{
	Dl_info di;
	return dladdr((void *)(ip - 1), &di) && di.dli_sname ? di.dli_sname : "?";
}

static int count_fn(const struct stk *s, const char *name)
{
	int c = 0;
	for (int i = 0; i < s->n; i++)
		c += strcmp(fn_of(s->f[i]), name) == 0;
	return c;
}

static void show(const char *what, const struct stk *s)
{
	fprintf(stderr, "%s:", what);
	for (int i = 0; i < s->n; i++)
		fprintf(stderr, " %s+%lx", fn_of(s->f[i]), (unsigned long)s->f[i] & 0xfff);
	fprintf(stderr, "\n");
}

/* Every capture below comes from this one call site, so that two paths
 * that reach it at the same depth share a base distance. */
/* The truth, from libgcc's unwinder called here (glibc's backtrace() would
 * do, but ASan's interceptor of it adds a frame of its own). */
static _Unwind_Reason_Code truth_frame(struct _Unwind_Context *ctx, void *p)
{
	struct stk *s = p;
	s->truth[s->truth_n++] = (void *)_Unwind_GetIP(ctx);
	return s->truth_n == MAXF ? _URC_END_OF_STACK : _URC_NO_REASON;
}

NOINLINE void leaf(struct stk *s)
{
	s->n = asl_stack_capture(s->f, MAXF);
	s->truth_n = 0;
	_Unwind_Backtrace(truth_frame, s);
	while (s->truth_n > 1 && s->truth[s->truth_n - 1] == NULL)
		s->truth_n--;
}

/* Did the capture see what the unwinder saw? */
static int exact(const struct stk *s)
{
	if (s->n != s->truth_n || s->n < 2 || strcmp(fn_of(s->f[0]), "leaf") != 0)
		return 0;
	for (int i = 1; i < s->n; i++)
		if (s->f[i] != (uintptr_t)s->truth[i])
			return 0;
	return 1;
}

static void assert_exact(const struct stk *s)
{
	if (!exact(s)) {
		show("capture", s);
		cr_assert_fail("the capture is not what the unwinder sees");
	}
}

/* Two callers with the same frame: the same distance, different paths. */
NOINLINE void via_a(struct stk *s)
{
	leaf(s);
	__asm__ volatile("" ::: "memory");
}

NOINLINE void via_b(struct stk *s)
{
	leaf(s);
	__asm__ volatile("" ::: "memory");
}

NOINLINE void recurse(struct stk *s, int n)
{
	if (n > 0)
		recurse(s, n - 1);
	else
		leaf(s);
	__asm__ volatile("" ::: "memory");
}

/* A loop count the compiler cannot see: each loop keeps one call site. */
static volatile int v100 = 100;

Test(stack, a_repeat_is_read_from_its_shape_and_equals_the_unwind, .init = setup)
{
	struct stk s;
	unsigned long h0 = shape_hits();
	for (int i = 0; i < v100; i++) {
		via_a(&s);
		assert_exact(&s);
	}
	cr_assert_eq(count_fn(&s, "via_a"), 1);
	cr_assert_geq(shape_hits() - h0, 99, "repeats were unwound again");
}

Test(stack, another_path_at_the_same_depth_is_not_taken_for_the_remembered_one, .init = setup)
{
	struct stk a, b;
	unsigned long h0 = shape_hits();
	for (int i = 0; i < v100; i++) {
		via_a(&a);
		via_b(&b);
		assert_exact(&a);
		assert_exact(&b);
		cr_assert_eq(count_fn(&a, "via_a") * 10 + count_fn(&a, "via_b"), 10);
		cr_assert_eq(count_fn(&b, "via_b") * 10 + count_fn(&b, "via_a"), 10);
	}
	cr_assert_geq(shape_hits() - h0, 150, "the two paths did not keep a shape each");
}

Test(stack, a_recursion_of_another_depth_gets_its_own_frames, .init = setup)
{
	static const int depth[] = { 3, 3, 5, 3, 1, 5, 5, 0, 3, 5 };
	unsigned long h0 = shape_hits();
	for (size_t i = 0; i < sizeof depth / sizeof depth[0]; i++) {
		struct stk s;
		recurse(&s, depth[i]);
		assert_exact(&s);
		cr_assert_eq(count_fn(&s, "recurse"), depth[i] + 1, "depth %d", depth[i]);
	}
	cr_assert_geq(shape_hits() - h0, 5, "repeated depths were unwound again");
}

/* Frames of a size chosen at run time: some Y(m) reaches leaf exactly as
 * far below the stack top as X does, on a different path, so the shape X
 * left in that bucket must fail Y's check frame by frame. */
NOINLINE void mid(struct stk *s)
{
	leaf(s);
	__asm__ volatile("" ::: "memory");
}

NOINLINE void x_path(struct stk *s)
{
	volatile char *pad = __builtin_alloca(256);
	pad[0] = 0;
	leaf(s);
	__asm__ volatile("" ::: "memory");
}

NOINLINE void y_path(struct stk *s, size_t m)
{
	volatile char *pad = __builtin_alloca(m);
	pad[0] = 0;
	mid(s);
	__asm__ volatile("" ::: "memory");
}

Test(stack, a_path_that_reaches_the_same_depth_through_other_frames_is_unwound, .init = setup)
{
	for (size_t m = 8; m <= 512; m += 8) {
		struct stk x, y;
		x_path(&x);
		x_path(&x); /* X's shape is in its bucket now */
		y_path(&y, m);
		assert_exact(&x);
		assert_exact(&y);
		cr_assert_eq(count_fn(&y, "mid"), 1);
		cr_assert_eq(count_fn(&y, "x_path"), 0);
	}
}

static struct stk in_handler[2];

void on_signal(int sig);
void on_signal(int sig)
{
	(void)sig;
	for (int i = 0; i < 2; i++)
		leaf(&in_handler[i]);
	__asm__ volatile("" ::: "memory"); /* no tail call */
}

Test(stack, a_signal_frame_is_unwound_every_time, .init = setup)
{
	struct sigaction sa = { .sa_handler = on_signal };
	sigaction(SIGUSR1, &sa, NULL);
	unsigned long h0 = shape_hits();
	raise(SIGUSR1);
	cr_assert_eq(shape_hits(), h0, "a stack with a signal frame was read from a shape");
	for (int i = 0; i < 2; i++) {
		assert_exact(&in_handler[i]);
		cr_assert_eq(count_fn(&in_handler[i], "on_signal"), 1);
		cr_assert_eq(count_fn(&in_handler[i], "raise") + count_fn(&in_handler[i], "gsignal"), 1,
		             "the interrupted frames are there");
	}
}

static ucontext_t main_ctx, co_ctx;
static struct stk on_coroutine[3];

void coroutine(void);
void coroutine(void)
{
	for (int i = 0; i < 3; i++)
		leaf(&on_coroutine[i]);
	__asm__ volatile("" ::: "memory"); /* no tail call */
}

Test(stack, a_coroutine_stack_is_unwound_every_time, .init = setup)
{
	size_t size = 256 * 1024;
	void *stack = malloc(size);
	cr_assert_not_null(stack);
	getcontext(&co_ctx);
	co_ctx.uc_stack.ss_sp = stack;
	co_ctx.uc_stack.ss_size = size;
	co_ctx.uc_link = &main_ctx;
	makecontext(&co_ctx, coroutine, 0);
	unsigned long h0 = shape_hits();
	swapcontext(&main_ctx, &co_ctx);
	cr_assert_eq(shape_hits(), h0, "a capture on a coroutine's stack was read from a shape");
	for (int i = 0; i < 3; i++) {
		assert_exact(&on_coroutine[i]);
		cr_assert_eq(count_fn(&on_coroutine[i], "coroutine"), 1);
	}
	free(stack);
}

/* Threads share shapes: every capture is checked while the others store
 * and replace shapes in the same buckets. */
struct worker {
	size_t stacksize;
	int rounds;
	unsigned long hits;
	int bad;
};

static void *work(void *p)
{
	struct worker *w = p;
	size_t guard = 0;
	pthread_attr_t a;
	pthread_getattr_np(pthread_self(), &a);
	pthread_attr_getguardsize(&a, &guard);
	pthread_attr_destroy(&a);
	asl_stack_thread_started(w->stacksize, guard);
	unsigned long h0 = shape_hits();
	struct stk s;
	for (int i = 0; i < w->rounds; i++) {
		via_a(&s);
		w->bad += !exact(&s) || count_fn(&s, "via_a") != 1;
		via_b(&s);
		w->bad += !exact(&s) || count_fn(&s, "via_b") != 1;
		recurse(&s, i % 3);
		w->bad += !exact(&s) || count_fn(&s, "recurse") != i % 3 + 1;
	}
	w->hits = shape_hits() - h0;
	return NULL;
}

static void run_workers(size_t stacksize, int n, struct worker *w)
{
	pthread_t t[8];
	pthread_attr_t a;
	pthread_attr_init(&a);
	pthread_attr_setstacksize(&a, stacksize);
	for (int i = 0; i < n; i++) {
		w[i] = (struct worker){ .stacksize = stacksize, .rounds = 2000 };
		cr_assert_eq(pthread_create(&t[i], &a, work, &w[i]), 0);
	}
	for (int i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	pthread_attr_destroy(&a);
}

Test(stack, threads_sharing_shapes_each_get_their_own_stacks, .init = setup)
{
	struct worker w[4];
	run_workers(1 << 20, 4, w);
	for (int i = 0; i < 4; i++) {
		cr_assert_eq(w[i].bad, 0, "thread %d got %d wrong stacks", i, w[i].bad);
		cr_assert_gt(w[i].hits, 0, "thread %d never used a shape", i);
	}
}

Test(stack, a_stack_too_small_to_bound_is_unwound, .init = setup)
{
	struct worker w[1];
	run_workers(PTHREAD_STACK_MIN + 16384, 1, w);
	cr_assert_eq(w[0].bad, 0);
	cr_assert_eq(w[0].hits, 0, "a small stack's bounds were trusted");
}
