/* SPDX-License-Identifier: MIT */
/* Reporting the lock-order cycles the state layer queued (potential
 * deadlocks): at each monitor tick and at exit, unless the same locks are
 * deadlocked for real by then (the deadlock verdict comes first and says it
 * better). */
#define _GNU_SOURCE
#include "asl_lockorder_report.h"

#include "asl_diag.h"
#include "asl_finding.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void describe(struct asl_finding *f, const struct asl_lo_cycle *c)
{
	size_t len = 0;
	memset(f, 0, sizeof *f);
	f->kind = ASL_F_LOCK_ORDER_INVERSION;
	f->lo = c;
	for (int k = 0; k < c->n; k++) {
		int dup = 0;
		for (int j = 0; j < f->ntids; j++)
			dup |= f->tids[j] == c->step[k].tid;
		if (!dup && f->ntids < ASL_FINDING_TIDS)
			f->tids[f->ntids++] = c->step[k].tid;
	}
	/* At most 8 locks named: the message is one line; "order" has them all. */
	len += (size_t)snprintf(f->message, sizeof f->message,
	                        "locks taken in a cycle of orders, a potential deadlock: ");
	for (int k = 0; k < c->n && k < 8; k++)
		len += (size_t)snprintf(f->message + len, sizeof f->message - len, "0x%lx -> ",
		                        (unsigned long)c->step[k].held);
	if (c->n > 8)
		len += (size_t)snprintf(f->message + len, sizeof f->message - len, "... -> ");
	len += (size_t)snprintf(f->message + len, sizeof f->message - len, "0x%lx (%d lock%s, %d thread%s)",
	                        (unsigned long)c->step[0].held, c->n, c->n == 1 ? "" : "s", f->ntids,
	                        f->ntids == 1 ? "" : "s");
	if (c->count > 1 && len < sizeof f->message)
		snprintf(f->message + len, sizeof f->message - len, "; %lu cycles through the same call sites",
		         c->count);
}

/* Is one of c's locks waited for in a cycle that is deadlocked right now? */
static int in_deadlock(const struct asl_lo_cycle *c, const struct asl_snapshot *s, const struct asl_deadlock *d, int nd)
{
	for (int i = 0; i < nd; i++)
		for (int k = 0; k < d[i].n; k++) {
			uintptr_t obj = s->t[d[i].step[k].thread].wait.obj;
			for (int j = 0; j < c->n; j++)
				if (c->step[j].held == obj || c->step[j].acquired == obj)
					return 1;
		}
	return 0;
}

/* Every group due, in one report and one dump (a burst of cycles costs one
 * write, whatever its size). */
void asl_lo_flush(const struct asl_snapshot *s, const struct asl_deadlock *d, int nd, int now)
{
	struct asl_lo_due due[64];
	struct asl_finding f[64];
	unsigned long dropped;
	int n = asl_lo_take_due(due, 64, now, &dropped), nf = 0;
	for (int i = 0; i < n; i++)
		if (!(s && in_deadlock(due[i].c, s, d, nd)) && !asl_already_reported(due[i].key))
			describe(&f[nf++], due[i].c);
	if (nf)
		asl_publish("lock-order-inversion", f, nf, NULL, "the program continues (potential deadlock)");
	for (int i = 0; i < n; i++)
		free(due[i].c);
	if (dropped) {
		char msg[128];
		int len = snprintf(msg, sizeof msg,
		                   "asleep: %lu more lock-order cycles were found while others waited for a report\n",
		                   dropped);
		asl_write_diag(msg, (size_t)len);
	}
}
