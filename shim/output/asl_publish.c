/* SPDX-License-Identifier: MIT */
/* Publishing findings: the stderr report and the dump; and what was
 * already reported. */
#define _GNU_SOURCE
#include "asl_diag.h"
#include "asl_dumpfile.h"
#include "asl_finding.h"
#include "asl_forklock.h"
#include "asl_options.h"
#include "asl_crashdump.h"
#include "asl_proc.h"
#include "asl_real.h"
#include "asl_suppress.h"
#include "asl_sys.h"

#include <errno.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Serializes what reaches stderr (or log_path) so that reports never
 * interleave.  Held across write(2) calls only. */
static struct asl_forklock report_lock = ASL_FORKLOCK_INIT;
static __thread struct asl_forklock_tls reporting __attribute__((tls_model("initial-exec")));

/* The keys of findings already reported, a ring (the oldest are forgotten). */
#define SEEN_MAX 256
static struct asl_forklock seen_lock = ASL_FORKLOCK_INIT;
static __thread struct asl_forklock_tls seeing __attribute__((tls_model("initial-exec")));
static unsigned long long seen[SEEN_MAX]; /* guarded by seen_lock */
static int nseen, seen_next;              /* guarded by seen_lock */

void asl_finding_from_deadlock(struct asl_finding *f, const struct asl_snapshot *s, const struct asl_deadlock *d)
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
		snprintf(f->message, sizeof f->message, "%d threads wait for each other in a cycle (%d -> %d%s)", d->n,
		         f->cycle[0].tid, f->cycle[1].tid, d->n > 2 ? " -> ..." : "");
}

void asl_publish_fork_prepare(void)
{
	asl_forklock_prepare(&seen_lock, &seeing);
	asl_forklock_prepare(&report_lock, &reporting);
}

void asl_publish_fork_done(void)
{
	asl_forklock_done(&report_lock, &reporting);
	asl_forklock_done(&seen_lock, &seeing);
}

void asl_publish_reset_after_fork(void)
{
	nseen = seen_next = 0;
	asl_dump_seq_reset();
}

static int seen_has(unsigned long long key)
{
	for (int i = 0; i < nseen; i++)
		if (seen[i] == key)
			return 1;
	return 0;
}

int asl_was_reported(unsigned long long key)
{
	asl_forklock_enter(&seen_lock, &seeing);
	int found = seen_has(key);
	asl_forklock_leave(&seen_lock, &seeing);
	return found;
}

int asl_already_reported(unsigned long long key)
{
	asl_forklock_enter(&seen_lock, &seeing);
	int found = seen_has(key);
	if (!found) {
		seen[seen_next++ % SEEN_MAX] = key;
		if (nseen < SEEN_MAX)
			nseen++;
	}
	asl_forklock_leave(&seen_lock, &seeing);
	return found;
}

/* The report's last lines: where the dump went (or why it did not), and
 * what happens next. */
static void render_tail(char *buf, size_t len, const char *dump_path, int dump_errno, const char *footer)
{
	size_t n = 0;
	buf[0] = '\0';
	if (dump_path)
		n += (size_t)snprintf(buf, len, "\nasleep: dump written to %s\n", dump_path);
	else if (dump_errno)
		n += (size_t)snprintf(buf, len, "\nasleep: cannot write a dump into %s: %s\n", asl_opts.dump_dir,
		                      strerror(dump_errno));
	if (footer && n < len)
		snprintf(buf + n, len - n, "asleep: %s\n", footer);
}

/* Counts since start, by finding kind. */
#define NKINDS 16
static _Atomic unsigned long published[NKINDS], gating, dumps;

unsigned long asl_published_count(int kind)
{
	return kind >= 0 && kind < NKINDS ? atomic_load(&published[kind]) : 0;
}

unsigned long asl_published_gating(void)
{
	return atomic_load(&gating);
}

unsigned long asl_dumps_written(void)
{
	return atomic_load(&dumps);
}

static void count(const struct asl_finding *f, int nf)
{
	for (int i = 0; i < nf; i++) {
		if (f[i].kind >= 0 && f[i].kind < NKINDS)
			atomic_fetch_add(&published[f[i].kind], 1);
		if (asl_finding_kind_fails_gate(asl_finding_kind_name(f[i].kind)))
			atomic_fetch_add(&gating, 1);
	}
}

/* Writes the report's parts under the report lock, whole (NULLs skipped). */
static void say(const char *body, const char *tail, const char *used, const char *summary)
{
	const char *part[4] = { body, tail, used, summary };
	asl_forklock_enter(&report_lock, &reporting);
	int fd = asl_diag_begin();
	for (int i = 0; fd >= 0 && i < 4; i++)
		if (part[i])
			asl_sys_write_all(fd, part[i], strlen(part[i]));
	asl_diag_end(fd);
	asl_forklock_leave(&report_lock, &reporting);
}

/* What a finding list prints on stderr: everything but the threads found
 * alive at exit, which go to the dump and the runner's gate unless
 * report_leaks=1 (many are alive by design).  A check the program asked for
 * (asleep_verify_none) always says what it found. */
static int worth_saying(const char *reason, const struct asl_finding *f, int nf)
{
	if (asl_opts.report_leaks || strcmp(reason, "check") == 0)
		return 1;
	for (int i = 0; i < nf; i++)
		if (f[i].kind != ASL_F_LEAKED_THREAD)
			return 1;
	return 0;
}

/* Reports and dumps being written: the exit check lets them finish
 * (asl_exit.c), so that none is cut off half-written by the exit. */
static _Atomic int in_flight;

int asl_publish_in_flight(void)
{
	return atomic_load(&in_flight);
}

int asl_output_begin(void)
{
	atomic_fetch_add(&in_flight, 1);
	return 0;
}

void asl_output_end(void)
{
	atomic_fetch_sub(&in_flight, 1);
}

static int publish(const char *reason, const struct asl_finding *f, int nf, const struct asl_snapshot *s,
                   const char *footer);

int asl_publish(const char *reason, const struct asl_finding *f, int nf, const struct asl_snapshot *s,
                const char *footer)
{
	asl_output_begin();
	int r = publish(reason, f, nf, s, footer);
	asl_output_end();
	return r;
}

static int publish(const char *reason, const struct asl_finding *f, int nf, const struct asl_snapshot *s,
                   const char *footer)
{
	struct asl_snapshot own = { .n = 0 };
	struct asl_modules mods;
	struct asl_finding *kept = NULL;
	char path[1200], tail[1600];
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
	int dump_errno = 0;
	if (asl_opts.dump_dir[0] && !silent) {
		int seq = asl_dump_next_seq();
		char *text = asl_dump_render(&r, seq);
		if (text && asl_dump_store(asl_opts.dump_dir, seq, text, path, sizeof path) == 0) {
			r.dump_path = path;
			atomic_fetch_add(&dumps, 1);
		} else
			dump_errno = text ? errno : ENOMEM;
		free(text);
	}
	count(f, nkept);
	if (asl_opts.report && nkept > 0 && worth_saying(reason, f, nkept)) {
		char *body = asl_report_render(&r), *used = asl_suppress_used_text(), summary[600];
		render_tail(tail, sizeof tail, r.dump_path, dump_errno, footer);
		asl_report_summary(&r, summary, sizeof summary);
		say(body, tail, used, summary);
		free(body);
		free(used);
	} else if (dump_errno && nkept > 0) {
		render_tail(tail, sizeof tail, NULL, dump_errno, NULL);
		say(NULL, tail + 1, NULL, NULL);
	}
	free(kept);
	asl_modules_free(&mods);
	asl_snapshot_free(&own);
	return nkept;
}
