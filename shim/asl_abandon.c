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
	if (h->kind == ASL_L_MUTEX && (asl_mutex_kind((const pthread_mutex_t *)h->obj) & ASL_MUTEX_ROBUST))
		return "it is robust: the next locker gets EOWNERDEAD and must repair what it guards";
	return "anyone who waits for it waits forever";
}

void asl_abandon_report(struct asl_thread *t)
{
	int n = t->nheld;
	struct asl_finding *f = calloc((size_t)n, sizeof *f);
	char name[64];
	if (!f)
		return;
	asl_proc_thread_name(t->tid, name, sizeof name);
	for (int i = 0; i < n; i++) {
		const struct asl_held *h = &t->held[i];
		f[i].kind = ASL_F_ABANDONED_LOCK;
		f[i].ntids = 1;
		f[i].tids[0] = t->tid;
		f[i].nobjs = 1;
		f[i].objs[0] = h->obj;
		f[i].lock_kind = h->kind;
		f[i].site = h->site;
		snprintf(f[i].message, sizeof f[i].message, "thread %d \"%s\" exited holding %s 0x%lx; %s", t->tid,
			 name, asl_lock_kind_name(h->kind), (unsigned long)h->obj, consequence(h));
	}
	asl_publish("abandoned-lock", f, n, NULL, "the program continues");
	free(f);
}
