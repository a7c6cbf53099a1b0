/* SPDX-License-Identifier: MIT */
/* Who must act for a wait to end: pure over a snapshot. */
#define _GNU_SOURCE
#include "asl_owners.h"

int asl_snap_find_tid(const struct asl_snapshot *s, pid_t tid)
{
	for (int i = 0; i < s->n; i++)
		if (s->t[i].tid == tid && tid != 0)
			return i;
	return -1;
}

static int find_pthread(const struct asl_snapshot *s, pthread_t th)
{
	for (int i = 0; i < s->n; i++)
		if (pthread_equal(s->t[i].self, th) && s->t[i].life != ASL_STARTING)
			return i;
	return -1;
}

/* Does holding kind hk of a lock block a waiter of kind wk? */
static int conflicts(int wk, int hk)
{
	if (wk == ASL_W_RWLOCK_READ)
		return hk == ASL_L_RWLOCK_WRITE;
	return 1;
}

static int add_unique(int *out, int n, int max, int j)
{
	for (int k = 0; k < n; k++)
		if (out[k] == j)
			return n;
	if (n < max)
		out[n++] = j;
	return n;
}

int asl_snap_owners(const struct asl_snapshot *s, int i, int *out, int max, pid_t *unknown_owner)
{
	const struct asl_wait *w = &s->t[i].wait;
	int n = 0;
	*unknown_owner = 0;
	if (!s->t[i].blocked)
		return 0;
	switch (w->kind) {
	case ASL_W_JOIN: {
		int j = find_pthread(s, (pthread_t)w->obj);
		if (j >= 0)
			out[n++] = j;
		return n;
	}
	case ASL_W_MUTEX:
	case ASL_W_SPIN:
	case ASL_W_RWLOCK_READ:
	case ASL_W_RWLOCK_WRITE:
	case ASL_W_ONCE: /* the thread running the routine holds the control */
		break;
	case ASL_W_COND_DESTROY: /* the condition's waiters must leave */
		for (int j = 0; j < s->n; j++)
			if (j != i && s->t[j].blocked && s->t[j].wait.kind == ASL_W_COND && s->t[j].wait.obj == w->obj)
				n = add_unique(out, n, max, j);
		return n;
	default:
		return 0; /* cond, sem, barrier: any thread may end them */
	}
	for (int j = 0; j < s->n; j++) {
		const struct asl_tsnap *o = &s->t[j];
		for (int h = 0; h < o->nheld; h++)
			if (o->held[h].obj == w->obj && conflicts(w->kind, asl_held_kind(&o->held[h])))
				n = add_unique(out, n, max, j);
	}
	for (int k = 0; n == 0 && !*unknown_owner && k < s->nlost; k++)
		if (s->lost[k].obj == w->obj && conflicts(w->kind, s->lost[k].kind))
			*unknown_owner = s->lost[k].tid;
	if (n == 0 && !*unknown_owner && w->owner_hint > 0) {
		int j = asl_snap_find_tid(s, w->owner_hint);
		if (j >= 0)
			out[n++] = j;
		else
			*unknown_owner = w->owner_hint;
	}
	return n;
}
