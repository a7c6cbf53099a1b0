/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "asl_snapshot.h"

#include "asl_fd.h"

#include "asl_proc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int is_live(int life)
{
	return life == ASL_STARTING || life == ASL_ALIVE || life == ASL_EXITING;
}

static void copy_common(struct asl_tsnap *d, struct asl_thread *t, int slot)
{
	d->slot = slot;
	d->gen = atomic_load(&t->gen);
	d->life = atomic_load(&t->life);
	d->tid = t->tid;
	d->parent_tid = t->parent_tid;
	d->self = t->self;
	d->is_main = t->is_main;
	d->detached = t->detached;
	d->in_signal = atomic_load(&t->in_signal);
	d->create_depth = t->create_depth;
	if (d->create_depth < 0 || d->create_depth > ASL_STACK_MAX)
		d->create_depth = 0;
	memcpy(d->create_stack, t->create_stack, sizeof d->create_stack);
}

/* A channel exposed to another process since the wait began (a fork by
 * another thread, say) may now be served from outside: the mark is final.
 * And the fd must still be the channel the table recorded: the hooks record
 * a wait without asking (asl_fd_private's fstat is asked here). */
static void recheck_channels(struct asl_wait *w)
{
	if (w->nfds > ASL_WAIT_FDS) {
		w->shared = 1;
		return;
	}
	for (int i = 0; i < w->nfds; i++) {
		int fd = w->fds[i];
		if (!asl_fd_private(fd))
			w->shared = 1;
	}
}

/* Copies the wait and held locks (into held[], room for `room`: beyond it
 * they count as untracked); blocked is set only for a consistent copy of
 * one blocked episode. */
static void copy_state(struct asl_tsnap *d, struct asl_thread *t, struct asl_held *held, int room)
{
	d->held = held;
	for (int tries = 0; tries < 4; tries++) {
		unsigned s1 = atomic_load_explicit(&t->wait_seq, memory_order_acquire);
		memcpy(&d->wait, &t->wait, sizeof d->wait);
		d->nheld = t->nheld;
		d->held_lost = t->held_lost;
		if (d->nheld < 0 || d->nheld > ASL_HELD_MAX)
			d->nheld = 0;
		if (d->nheld > room) {
			d->held_lost += d->nheld - room;
			d->nheld = room;
		}
		memcpy(d->held, t->held, (size_t)d->nheld * sizeof d->held[0]);
		atomic_thread_fence(memory_order_acquire);
		unsigned s2 = atomic_load_explicit(&t->wait_seq, memory_order_relaxed);
		if (s1 == s2) {
			d->seq = s1;
			d->blocked = asl_is_blocked(s1);
			if (d->blocked && asl_wait_on_fds(d->wait.kind))
				recheck_channels(&d->wait);
			if (d->wait.depth < 0 || d->wait.depth > ASL_STACK_MAX)
				d->wait.depth = 0;
			return;
		}
	}
	d->seq = atomic_load(&t->wait_seq) | 0x80000000u; /* changing: never stable */
	d->blocked = 0;
}

static int take(struct asl_snapshot *s, int with_finished)
{
	int hwm = atomic_load(&asl_threads_hwm);
	s->n = 0;
	s->now_ns = asl_now_ns();
	s->nlost = asl_nlost;
	s->lost = asl_lost_at_fork;
	/* The pool: what the threads hold now, and room for a few more each
	 * (they may take locks while we copy). */
	size_t room = 0;
	for (int i = 0; i < hwm; i++) {
		struct asl_thread *t = asl_thread_at(i);
		int n = t && is_live(atomic_load(&t->life)) ? t->nheld : 0;
		room += (size_t)(n > 0 && n <= ASL_HELD_MAX ? n : 0) + 4;
	}
	s->t = calloc((size_t)(hwm > 0 ? hwm : 1), sizeof *s->t);
	s->pool = calloc(room + 1, sizeof *s->pool);
	if (!s->t || !s->pool) {
		free(s->t);
		free(s->pool);
		s->t = NULL;
		s->pool = NULL;
		return -1;
	}
	size_t used = 0;
	for (int i = 0; i < hwm; i++) {
		struct asl_thread *t = asl_thread_at(i);
		int life = t ? atomic_load(&t->life) : ASL_FREE;
		if (with_finished && life == ASL_FINISHED) {
			struct asl_tsnap *d = &s->t[s->n];
			copy_common(d, t, i);
			d->blocked = 0; /* a slot skipped above may have left a copy here */
			d->nheld = d->held_lost = 0;
			d->held = s->pool + used;
			memcpy(d->name, t->name, sizeof d->name);
			d->name[sizeof d->name - 1] = '\0';
			if (d->life == ASL_FINISHED && atomic_load(&t->gen) == d->gen)
				s->n++; /* else joined or reused while we copied */
			continue;
		}
		if (!is_live(life))
			continue;
		struct asl_tsnap *d = &s->t[s->n];
		copy_common(d, t, i);
		copy_state(d, t, s->pool + used, (int)(room - used < ASL_HELD_MAX ? room - used : ASL_HELD_MAX));
		if (!is_live(d->life) || atomic_load(&t->gen) != d->gen)
			continue; /* exited or reused while we copied */
		used += (size_t)d->nheld;
		s->n++;
	}
	return 0;
}

int asl_snapshot_take(struct asl_snapshot *s)
{
	return take(s, 0);
}

int asl_snapshot_take_at_exit(struct asl_snapshot *s)
{
	return take(s, 1);
}

void asl_tsnap_name(const struct asl_tsnap *t, char *buf, size_t len)
{
	if (t->life == ASL_FINISHED)
		snprintf(buf, len, "%s", t->name);
	else
		asl_proc_thread_name(t->tid, buf, len);
}

void asl_snapshot_free(struct asl_snapshot *s)
{
	free(s->t);
	free(s->pool);
	s->t = NULL;
	s->pool = NULL;
	s->n = 0;
}
