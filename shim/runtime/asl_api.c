/* SPDX-License-Identifier: MIT */
/* In-test leak checks (include/asleep.h, goleak's VerifyNone): the shim's
 * entry points, found by the header with dlsym so that a program using it
 * also runs without the shim.  A snapshot names threads by (slot, gen),
 * which no later thread can reuse; a thread alive at a check and not in the
 * snapshot is a leaked-thread finding, published with reason "check". */
#define _GNU_SOURCE
#include "asl_syscalls.h"
#include "asl_finding.h"
#include "asl_options.h"
#include "asl_proc.h"
#include "asl_real.h"
#include "asl_snapshot.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ASL_CHECK_EINVAL (-2)
#define ASL_CHECK_ENOMEM (-3)
#define ASL_CHECK_NO_SHIM (-1)      /* the shim stopped (asl_sandbox.h) */
#define ASL_CHECK_MAGIC 0x61736c70u /* "aslp" */

struct asl_check_snap {
	unsigned magic;
	int n;
	unsigned long long key[];
};

static unsigned long long key_of(const struct asl_tsnap *t)
{
	return (unsigned long long)t->slot << 32 | t->gen;
}

static int live(const struct asl_tsnap *t)
{
	return t->life == ASL_ALIVE || t->life == ASL_STARTING;
}

/* In: hooks pass through while the shim does its own waiting and locking,
 * and its system calls are marked (asl_syscalls.h).  0: the shim is
 * stopped (sandboxed), and nothing was entered. */
static int enter(int *was)
{
	if (!asl_syscalls_begin(asl_me))
		return 0;
	*was = asl_inside_enter();
	return 1;
}

static void leave(int was)
{
	asl_inside_leave(was);
	asl_syscalls_end(asl_me);
}

ASL_EXPORT int asleep_shim_snapshot(void **out, int *nthreads)
{
	struct asl_snapshot s;
	if (!out)
		return ASL_CHECK_EINVAL;
	*out = NULL;
	int was;
	if (!enter(&was))
		return ASL_CHECK_NO_SHIM;
	int rc = asl_snapshot_take(&s);
	struct asl_check_snap *c = rc == 0 ? malloc(sizeof *c + (size_t)(s.n > 0 ? s.n : 1) * sizeof c->key[0]) : NULL;
	if (c) {
		c->magic = ASL_CHECK_MAGIC;
		c->n = 0;
		for (int i = 0; i < s.n; i++)
			if (live(&s.t[i]))
				c->key[c->n++] = key_of(&s.t[i]);
		if (nthreads)
			*nthreads = c->n;
		*out = c;
	}
	if (rc == 0)
		asl_snapshot_free(&s);
	leave(was);
	return c ? 0 : ASL_CHECK_ENOMEM;
}

ASL_EXPORT void asleep_shim_snapshot_free(void *snap)
{
	struct asl_check_snap *c = snap;
	if (c && c->magic == ASL_CHECK_MAGIC) {
		c->magic = 0;
		free(c);
	}
}

static int in_snap(const struct asl_check_snap *c, unsigned long long key)
{
	for (int i = 0; i < c->n; i++)
		if (c->key[i] == key)
			return 1;
	return 0;
}

static int leaked(const struct asl_check_snap *c, const struct asl_tsnap *t, pid_t self)
{
	return live(t) && !t->is_main && t->tid != self && !in_snap(c, key_of(t));
}

static void describe(struct asl_finding *f, const struct asl_tsnap *t)
{
	char name[64];
	asl_proc_thread_name(t->tid, name, sizeof name);
	memset(f, 0, sizeof *f);
	f->kind = ASL_F_LEAKED_THREAD;
	f->ntids = 1;
	f->tids[0] = t->tid;
	if (t->blocked)
		snprintf(f->message, sizeof f->message,
		         "thread %d \"%s\" (created by thread %d) is not in the snapshot and still blocked on %s 0x%lx",
		         t->tid, name, t->parent_tid, asl_wait_kind_name(t->wait.kind), (unsigned long)t->wait.obj);
	else
		snprintf(f->message, sizeof f->message,
		         "thread %d \"%s\" (created by thread %d) is not in the snapshot and still running", t->tid,
		         name, t->parent_tid);
}

/* Scans until no thread beyond the snapshot is alive, at most max_scans
 * times wait_ms apart (threads on their way out get to finish), then
 * publishes what is left.  Returns the number of unsuppressed leaked
 * threads; *scans_out: how many scans it took. */
ASL_EXPORT int asleep_shim_verify_none(const void *snap, int max_scans, int wait_ms, int *scans_out)
{
	const struct asl_check_snap *c = snap;
	struct asl_snapshot s;
	int scans = 0, nleaked = 0, rc;
	if (!c || c->magic != ASL_CHECK_MAGIC)
		return ASL_CHECK_EINVAL;
	if (max_scans <= 0)
		max_scans = 50;
	if (max_scans > 10000)
		max_scans = 10000;
	if (wait_ms < 0 || wait_ms > 10000)
		wait_ms = 10;
	int was;
	if (!enter(&was))
		return ASL_CHECK_NO_SHIM;
	pid_t self = asl_gettid();
	for (;;) {
		if (asl_snapshot_take(&s) != 0) {
			leave(was);
			return ASL_CHECK_ENOMEM;
		}
		scans++;
		nleaked = 0;
		for (int i = 0; i < s.n; i++)
			nleaked += leaked(c, &s.t[i], self);
		if (nleaked == 0 || scans >= max_scans)
			break;
		asl_snapshot_free(&s);
		struct timespec ts = { wait_ms / 1000, (long)(wait_ms % 1000) * 1000000L };
		nanosleep(&ts, NULL);
	}
	rc = 0;
	if (nleaked > 0) {
		struct asl_finding *f = calloc((size_t)nleaked, sizeof *f);
		int nf = 0;
		char footer[128];
		for (int i = 0; f && i < s.n; i++)
			if (leaked(c, &s.t[i], self))
				describe(&f[nf++], &s.t[i]);
		snprintf(footer, sizeof footer, "asleep_verify_none: %d leaked thread%s after %d scan%s", nf,
		         nf == 1 ? "" : "s", scans, scans == 1 ? "" : "s");
		rc = f ? asl_publish("check", f, nf, &s, footer) : ASL_CHECK_ENOMEM;
		free(f);
	}
	asl_snapshot_free(&s);
	leave(was);
	if (scans_out)
		*scans_out = scans;
	return rc;
}
