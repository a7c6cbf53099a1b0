/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "asl_abandon.h"

#include "asl_finding.h"
#include "asl_glibc.h"
#include "asl_proc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A robust mutex is handed to the next locker with EOWNERDEAD; any other
 * lock stays locked. */
static const char *consequence(const struct asl_held *h)
{
	if (asl_held_kind(h) == ASL_L_MUTEX && (asl_mutex_kind((const pthread_mutex_t *)h->obj) & ASL_MUTEX_ROBUST))
		return "it is robust: the next locker gets EOWNERDEAD and must repair what it guards";
	return "anyone who waits for it waits forever";
}

/* Does glibc agree that thread tid still holds it?  Another thread may
 * have unlocked it for us (legal for some lock types, common in practice),
 * and our list would not know. */
static int still_held(const struct asl_held *h, pid_t tid)
{
	switch (asl_held_kind(h)) {
	case ASL_L_MUTEX:
		return asl_mutex_owner((const pthread_mutex_t *)h->obj) == tid;
	case ASL_L_RWLOCK_WRITE:
		return asl_rwlock_writer((const pthread_rwlock_t *)h->obj) == tid;
	case ASL_L_RWLOCK_READ:
		return asl_rwlock_readers((const pthread_rwlock_t *)h->obj) > 0;
	case ASL_L_ONCE: /* in progress: odd (glibc resets it when the routine unwinds) */
		return (__atomic_load_n((const int *)h->obj, __ATOMIC_RELAXED) & 1) != 0;
	default:
		return __atomic_load_n((const int *)h->obj, __ATOMIC_RELAXED) != 0;
	}
}

void asl_abandon_report(struct asl_thread *t)
{
	struct asl_finding *f = calloc((size_t)t->nheld, sizeof *f);
	char name[64];
	int n = 0;
	if (!f)
		return;
	asl_proc_thread_name(t->tid, name, sizeof name);
	for (int i = 0; i < t->nheld; i++) {
		const struct asl_held *h = &t->held[i];
		if (!still_held(h, t->tid))
			continue;
		f[n].kind = ASL_F_ABANDONED_LOCK;
		f[n].ntids = 1;
		f[n].tids[0] = t->tid;
		f[n].nobjs = 1;
		f[n].objs[0] = h->obj;
		f[n].lock_kind = asl_held_kind(h);
		f[n].site = h->site;
		snprintf(f[n++].message, sizeof f[0].message, "thread %d \"%s\" exited holding %s 0x%lx; %s", t->tid,
		         name, asl_lock_kind_name(asl_held_kind(h)), (unsigned long)h->obj, consequence(h));
	}
	if (n)
		asl_publish("abandoned-lock", f, n, NULL, "the program continues");
	free(f);
}
