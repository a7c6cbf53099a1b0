/* SPDX-License-Identifier: MIT */
#include "asl_verdict.h"
#include "asl_owners.h"

#include "asl_graph.h"

#include <stdlib.h>

const char *asl_thread_veto(const struct asl_tsnap *t, const struct asl_world *w)
{
	if (!t->blocked)
		return "running";
	if (t->in_signal)
		return "running a signal handler";
	if (t->wait.timed)
		return "in a timed wait";
	if (t->wait.shared)
		return "waiting on a process-shared object";
	switch (t->wait.kind) {
	case ASL_W_SEM:
		if (w->signal_handlers)
			return "in sem_wait while a signal handler could post";
		return NULL;
	case ASL_W_FUTEX:
	case ASL_W_PIPE_READ:
	case ASL_W_PIPE_WRITE:
	case ASL_W_EVENTFD:
	case ASL_W_SOCKET:
	case ASL_W_POLL:
		/* write(), eventfd_write() and futex wakes are async-signal-safe. */
		if (w->signal_handlers)
			return "waiting on a channel a signal handler could serve";
		return NULL;
	case ASL_W_SLEEP:
		return "sleeping";
	case ASL_W_MUTEX:
	case ASL_W_RWLOCK_READ:
	case ASL_W_RWLOCK_WRITE:
	case ASL_W_COND:
	case ASL_W_JOIN:
	case ASL_W_BARRIER:
	case ASL_W_SPIN:
	case ASL_W_ONCE:
	case ASL_W_COND_DESTROY:
		return NULL;
	default:
		return "in a wait the shim does not model";
	}
}

const char *asl_all_asleep_veto(const struct asl_snapshot *s, const struct asl_world *w, pid_t *who)
{
	*who = 0;
	if (s->n == 0)
		return "no threads";
	for (int i = 0; i < s->n; i++) {
		const char *why = s->t[i].life == ASL_ALIVE ? asl_thread_veto(&s->t[i], w) : "starting or exiting";
		int owners[1];
		pid_t unknown;
		/* A spinlock held by nobody here may be held by another process. */
		if (!why && s->t[i].wait.kind == ASL_W_SPIN && asl_snap_owners(s, i, owners, 1, &unknown) == 0)
			why = "spinning on a lock no thread here holds";
		if (why) {
			*who = s->t[i].tid;
			return why;
		}
	}
	return NULL;
}

static int cycle_edge_wait(const struct asl_tsnap *t)
{
	if (!t->blocked || t->wait.timed || t->life != ASL_ALIVE)
		return 0;
	switch (t->wait.kind) {
	case ASL_W_MUTEX:
	case ASL_W_RWLOCK_READ:
	case ASL_W_RWLOCK_WRITE:
	case ASL_W_SPIN:
	case ASL_W_JOIN:
	case ASL_W_ONCE:
		return 1;
	default:
		return 0;
	}
}

int asl_find_deadlocks(const struct asl_snapshot *s, const struct asl_world *w, struct asl_deadlock *out, int max)
{
	(void)w;
	int n = s->n, found = 0;
	int *first = calloc((size_t)n + 1, sizeof *first);
	int *adj = NULL, nadj = 0, cap = 0;
	int *work = calloc((size_t)n * 3 + 1, sizeof *work);
	int *start = calloc((size_t)n + 1, sizeof *start);
	int *nodes = calloc((size_t)n + 1, sizeof *nodes);
	if (!first || !work || !start || !nodes)
		goto out;
	for (int i = 0; i < n; i++) {
		int owners[256];
		pid_t unknown;
		first[i] = nadj;
		if (!cycle_edge_wait(&s->t[i]))
			continue;
		int k = asl_snap_owners(s, i, owners, 256, &unknown);
		for (int e = 0; e < k; e++) {
			if (nadj == cap) {
				cap = cap ? 2 * cap : 64;
				int *a = realloc(adj, (size_t)cap * sizeof *a);
				if (!a)
					goto out;
				adj = a;
			}
			adj[nadj++] = owners[e];
		}
	}
	first[n] = nadj;
	struct asl_cycles cy = { 0, start, nodes };
	asl_graph_cycles(n, first, adj ? adj : first, &cy, work);
	for (int c = 0; c < cy.count && found < max; c++) {
		int len = cy.start[c + 1] - cy.start[c];
		if (len > ASL_CYCLE_MAX)
			continue;
		struct asl_deadlock *d = &out[found++];
		d->n = len;
		for (int k = 0; k < len; k++) {
			d->step[k].thread = cy.nodes[cy.start[c] + k];
			d->step[k].owner = cy.nodes[cy.start[c] + (k + 1) % len];
		}
	}
out:
	free(first);
	free(adj);
	free(work);
	free(start);
	free(nodes);
	return found;
}

/* FNV-1a over the identifying fields. */
static unsigned long long mix(unsigned long long h, unsigned long long v)
{
	for (int i = 0; i < 8; i++) {
		h ^= (v >> (8 * i)) & 0xff;
		h *= 1099511628211ull;
	}
	return h;
}

unsigned long long asl_wait_key(const struct asl_tsnap *t)
{
	unsigned long long h = 1469598103934665603ull;
	h = mix(h, (unsigned long long)t->slot);
	h = mix(h, t->gen);
	return mix(h, t->seq);
}

unsigned long long asl_snapshot_key(const struct asl_snapshot *s)
{
	unsigned long long h = 1469598103934665603ull;
	for (int i = 0; i < s->n; i++)
		h = mix(h, asl_wait_key(&s->t[i]));
	return h;
}

unsigned long long asl_deadlock_key(const struct asl_snapshot *s, const struct asl_deadlock *d)
{
	/* Order-independent: the same cycle may be found from another start. */
	unsigned long long h = 0;
	for (int k = 0; k < d->n; k++)
		h += asl_wait_key(&s->t[d->step[k].thread]) * 0x9e3779b97f4a7c15ull;
	return h;
}

static const struct asl_task *task_of(const struct asl_tasks *k, pid_t tid)
{
	for (int i = 0; i < k->n; i++)
		if (k->t[i].tid == tid)
			return &k->t[i];
	return NULL;
}

static const char *check_sleeping(const struct asl_tsnap *t, const struct asl_tasks *k, pid_t *who)
{
	const struct asl_task *kt = task_of(k, t->tid);
	*who = t->tid;
	if (!kt)
		return "not found in /proc";
	if (kt->state == 'S')
		return NULL;
	if (t->wait.kind == ASL_W_SPIN && kt->state == 'R')
		return NULL;
	return "not sleeping in the kernel";
}

const char *asl_kernel_veto(const struct asl_snapshot *s, const struct asl_tasks *k, const struct asl_world *w,
                            const int *threads, int nthreads, pid_t *who)
{
	*who = 0;
	if (!threads) {
		for (int i = 0; i < k->n; i++) {
			/* The monitor, and a main thread that called pthread_exit (a zombie
			 * until the whole process ends). */
			if (k->t[i].tid == w->monitor_tid || k->t[i].state == 'Z' || k->t[i].state == 'X')
				continue;
			if (asl_snap_find_tid(s, k->t[i].tid) < 0) {
				*who = k->t[i].tid;
				return "a thread the shim does not know";
			}
		}
		for (int i = 0; i < s->n; i++) {
			const char *why = check_sleeping(&s->t[i], k, who);
			if (why)
				return why;
		}
		return NULL;
	}
	for (int i = 0; i < nthreads; i++) {
		const char *why = check_sleeping(&s->t[threads[i]], k, who);
		if (why)
			return why;
	}
	return NULL;
}

/* glibc ends the process with exit(0) when its last thread exits.  The
 * monitor is a thread too, so once main has called pthread_exit and every
 * program thread is gone, the monitor must do that exit itself.  Here: is
 * every task the monitor or already dead (a zombie main)? */
int asl_only_monitor_left(const struct asl_tasks *k, pid_t monitor_tid)
{
	for (int i = 0; i < k->n; i++)
		if (k->t[i].tid != monitor_tid && k->t[i].state != 'Z' && k->t[i].state != 'X')
			return 0;
	return 1;
}
