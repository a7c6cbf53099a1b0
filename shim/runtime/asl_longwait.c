/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "asl_longwait.h"

#include "asl_duration.h"
#include "asl_enders.h"

#include "asl_finding.h"
#include "asl_options.h"
#include "asl_proc.h"

#include <stdio.h>
#include <string.h>

#define PER_TICK 16 /* findings published together; the rest wait a tick */

/* The last wait reported is kept in the thread's record (longwait_seq,
 * the monitor's own field, zeroed when the slot is reused): wait_seq is odd
 * while blocked, so the zeroed start never matches. */
void asl_longwait_reset_after_fork(void)
{
}

static int in_cycle(const struct asl_deadlock *d, int nd, int i)
{
	for (int c = 0; c < nd; c++)
		for (int k = 0; k < d[c].n; k++)
			if (d[c].step[k].thread == i)
				return 1;
	return 0;
}

static void describe(const struct asl_snapshot *s, int i, struct asl_finding *f)
{
	const struct asl_tsnap *t = &s->t[i];
	const struct asl_wait *w = &t->wait;
	char name[32], what[64], enders[200];
	uint64_t ms = (s->now_ns - w->since_ns) / 1000000u;
	memset(f, 0, sizeof *f);
	f->kind = ASL_F_LONG_WAIT;
	f->tids[f->ntids++] = t->tid;
	if (w->kind == ASL_W_JOIN) {
		snprintf(what, sizeof what, "join");
	} else if (asl_wait_on_fds(w->kind)) {
		snprintf(what, sizeof what, "%s fd %d", asl_wait_kind_name(w->kind), (int)w->obj);
	} else {
		snprintf(what, sizeof what, "%s 0x%lx", asl_wait_kind_name(w->kind), (unsigned long)w->obj);
		f->objs[f->nobjs++] = w->obj;
	}
	asl_proc_thread_name(t->tid, name, sizeof name);
	asl_wait_enders(s, i, enders, sizeof enders);
	char dur[ASL_DURATION_MAX];
	snprintf(f->message, sizeof f->message, "thread %d \"%s\" has waited %s in %s (untimed); who can end it: %s",
	         t->tid, name, asl_duration_format((long long)ms, dur, sizeof dur), what, enders);
}

void asl_longwait_check(const struct asl_snapshot *s, const struct asl_deadlock *d, int nd)
{
	static struct asl_finding f[PER_TICK];
	int nf = 0;
	uint64_t limit = (uint64_t)asl_opts.long_wait_ms * 1000000u;
	if (asl_opts.long_wait_ms <= 0)
		return;
	for (int i = 0; i < s->n && nf < PER_TICK; i++) {
		const struct asl_tsnap *t = &s->t[i];
		const struct asl_wait *w = &t->wait;
		if (!t->blocked || t->in_signal || w->timed || w->kind == ASL_W_SLEEP || w->kind == ASL_W_NONE)
			continue;
		if (s->now_ns < w->since_ns || s->now_ns - w->since_ns < limit)
			continue;
		struct asl_thread *live = asl_thread_at(t->slot);
		if (!live || atomic_load(&live->gen) != t->gen || live->longwait_seq == t->seq)
			continue;
		if (in_cycle(d, nd, i))
			continue;
		live->longwait_seq = t->seq;
		describe(s, i, &f[nf++]);
	}
	if (nf)
		asl_publish("long-wait", f, nf, s, "the program continues");
}
