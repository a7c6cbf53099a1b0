/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "asl_growth.h"

#include "asl_finding.h"
#include "asl_options.h"
#include "asl_sites.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int threshold; /* the monitor's; 0: max_threads not read yet */

void asl_growth_reset_after_fork(void)
{
	threshold = 0;
}

static void frame_name(const struct asl_modules *m, const uintptr_t *st, int depth, char *buf, size_t len)
{
	if (depth <= 0) {
		snprintf(buf, len, "?");
		return;
	}
	if (asl_symbolize(m, st[0], buf, len) != 0 || !buf[0])
		snprintf(buf, len, "0x%lx", (unsigned long)st[0]);
}

static void describe(const struct asl_snapshot *s, const struct asl_site *g, int live, struct asl_finding *f)
{
	const struct asl_tsnap *t = &s->t[g->first];
	struct asl_modules mods;
	char made[128], waits[160];
	memset(f, 0, sizeof *f);
	f->kind = ASL_F_THREAD_GROWTH;
	for (int i = 0; i < s->n && f->ntids < ASL_FINDING_TIDS; i++)
		if (asl_same_site(t, &s->t[i]))
			f->tids[f->ntids++] = s->t[i].tid;
	asl_modules_collect(&mods);
	if (t->is_main)
		snprintf(made, sizeof made, "the main thread");
	else
		frame_name(&mods, t->create_stack, t->create_depth, made, sizeof made);
	if (t->blocked) {
		char at[128];
		frame_name(&mods, t->wait.stack, t->wait.depth, at, sizeof at);
		snprintf(waits, sizeof waits, "blocked on %s at %s", asl_wait_kind_name(t->wait.kind), at);
	} else {
		snprintf(waits, sizeof waits, "running");
	}
	asl_modules_free(&mods);
	snprintf(f->message, sizeof f->message,
	         "%d live threads, more than max_threads=%d; the largest group, %d threads created at %s, is %s", live,
	         asl_opts.max_threads, g->count, made, waits);
}

void asl_growth_check(void)
{
	if (asl_opts.max_threads <= 0)
		return;
	if (threshold == 0)
		threshold = asl_opts.max_threads;
	int live = atomic_load(&asl_live_threads);
	if (live <= threshold)
		return;
	struct asl_snapshot s;
	if (asl_snapshot_take(&s) != 0)
		return;
	struct asl_site *g = malloc((size_t)(s.n > 0 ? s.n : 1) * sizeof *g);
	int ng = g ? asl_sites_group(&s, g) : 0;
	if (ng > 0) {
		struct asl_finding f;
		while (threshold < live && threshold <= 1000000000 / 2)
			threshold *= 2;
		describe(&s, &g[0], live, &f);
		asl_publish("thread-growth", &f, 1, &s, "the program continues");
	}
	free(g);
	asl_snapshot_free(&s);
}
