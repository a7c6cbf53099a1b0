/* Serializes reports and dumps, and remembers what was already reported. */
#define _GNU_SOURCE
#include "asl_finding.h"
#include "asl_options.h"
#include "asl_postmortem.h"
#include "asl_proc.h"
#include "asl_real.h"
#include "asl_suppress.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void asl_dump_reset_after_fork(void);

static pthread_mutex_t report_lock = PTHREAD_MUTEX_INITIALIZER;

#define SEEN_MAX 256
static unsigned long long seen[SEEN_MAX];
static int nseen, seen_next; /* a ring: the oldest keys are forgotten */

const char *asl_finding_kind_name(int kind)
{
	static const char *const names[ASL_F__COUNT] = { "deadlock",	      "all-asleep",    "leaked-thread",
							 "abandoned-lock",    "lock-order-inversion", "long-wait",
							 "thread-growth",     "shutdown-stall" };
	return kind >= 0 && kind < ASL_F__COUNT ? names[kind] : "?";
}

const char *asl_wait_kind_name(int kind)
{
	static const char *const names[] = { "none", "mutex", "rwlock-read", "rwlock-write", "cond",
					     "join", "sem", "barrier", "spin", "futex", "pipe-read",
					     "pipe-write", "eventfd", "socket", "poll", "sleep" };
	return kind >= 0 && kind < ASL_W__COUNT ? names[kind] : "?";
}

const char *asl_lock_kind_name(int kind)
{
	static const char *const names[] = { "mutex", "rwlock-read", "rwlock-write", "spin" };
	return kind >= 0 && kind < 4 ? names[kind] : "?";
}

void asl_finding_from_deadlock(struct asl_finding *f, const struct asl_snapshot *s,
			       const struct asl_deadlock *d)
{
	memset(f, 0, sizeof *f);
	f->kind = ASL_F_DEADLOCK;
	f->ncycle = d->n;
	for (int k = 0; k < d->n; k++) {
		const struct asl_tsnap *t = &s->t[d->step[k].thread];
		struct asl_cycle_step *c = &f->cycle[k];
		c->tid = t->tid;
		c->kind = t->wait.kind;
		c->obj = t->wait.obj;
		c->owner = s->t[d->step[k].owner].tid;
		if (f->ntids < ASL_FINDING_TIDS)
			f->tids[f->ntids++] = t->tid;
		if (t->wait.kind != ASL_W_JOIN && f->nobjs < 4)
			f->objs[f->nobjs++] = t->wait.obj;
	}
	if (d->n == 1)
		snprintf(f->message, sizeof f->message, "thread %d waits for %s 0x%lx, which it holds itself",
			 f->cycle[0].tid, asl_wait_kind_name(f->cycle[0].kind), (unsigned long)f->cycle[0].obj);
	else
		snprintf(f->message, sizeof f->message, "%d threads wait for each other in a cycle (%d -> %d%s)",
			 d->n, f->cycle[0].tid, f->cycle[1].tid, d->n > 2 ? " -> ..." : "");
}

void asl_publish_lock(void)
{
	REAL(pthread_mutex_lock)(&report_lock);
}

void asl_publish_unlock(void)
{
	REAL(pthread_mutex_unlock)(&report_lock);
}

void asl_publish_reset_after_fork(void)
{
	REAL(pthread_mutex_init)(&report_lock, NULL);
	nseen = seen_next = 0;
	asl_dump_reset_after_fork();
}

int asl_already_reported(unsigned long long key)
{
	int found = 0;
	asl_publish_lock();
	for (int i = 0; i < nseen && !found; i++)
		found = seen[i] == key;
	if (!found) {
		seen[seen_next++ % SEEN_MAX] = key;
		if (nseen < SEEN_MAX)
			nseen++;
	}
	asl_publish_unlock();
	return found;
}

int asl_publish(const char *reason, const struct asl_finding *f, int nf,
		const struct asl_snapshot *s, const char *footer)
{
	struct asl_snapshot own = { .n = 0 };
	struct asl_modules mods;
	struct asl_finding *kept = NULL;
	char path[1200];
	asl_publish_lock();
	if (!s) {
		asl_snapshot_take(&own);
		s = &own;
	}
	asl_modules_collect(&mods);
	asl_crash_modules_set(&mods); /* fresh for a crash dump */
	int nkept = nf;
	if (nf > 0 && asl_suppress_active() && (kept = malloc((size_t)nf * sizeof *kept)) != NULL) {
		nkept = asl_suppress_filter(f, nf, s, &mods, kept);
		f = kept;
	}
	/* Everything suppressed: nothing to say, except the exit-time dump
	 * that dump_dir always gets. */
	int silent = nf > 0 && nkept == 0 && strcmp(reason, "exit") != 0;
	struct asl_report_ctx r = { reason, f, nkept, s, &mods, NULL, footer };
	if (asl_opts.dump_dir[0] && !silent) {
		if (asl_dump_write(asl_opts.dump_dir, &r, path, sizeof path) == 0)
			r.dump_path = path;
		else
			dprintf(2, "asleep: cannot write a dump into %s\n", asl_opts.dump_dir);
	}
	if (asl_opts.report && nkept > 0) {
		asl_report_write(2, &r);
		asl_suppress_report_used(2);
	}
	free(kept);
	asl_modules_free(&mods);
	asl_snapshot_free(&own);
	asl_publish_unlock();
	return nkept;
}
