/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "asl_exit.h"
#include "asl_monitor.h"

#include "asl_confirm.h"
#include "asl_lockorder_report.h"
#include "asl_growth.h"
#include "asl_interval.h"
#include "asl_metrics.h"
#include "asl_longwait.h"
#include "asl_options.h"
#include "asl_postmortem.h"
#include "asl_proc.h"
#include "asl_real.h"
#include "asl_suppress.h"
#include "asl_wait.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/futex.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define TICK_MS 100
/* While a verdict is in the making, the monitor looks again sooner. */
#define QUICK_TICK_MS 40
#define MAX_CYCLES 16

static _Atomic int running;
static _Atomic int stopped; /* asl_monitor_stop: for good */
static _Atomic pid_t monitor_tid;
static _Atomic int nudged; /* a futex word: the monitor's sleep ends when it changes */

void asl_monitor_nudge(void)
{
	atomic_fetch_add(&nudged, 1);
	REAL(syscall)(SYS_futex, &nudged, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

/* One tick's sleep, cut short by a nudge. */
static void monitor_sleep(int ms)
{
	struct timespec ts = { 0, ms * 1000000L };
	int seen = atomic_load(&nudged);
	REAL(syscall)(SYS_futex, &nudged, FUTEX_WAIT_PRIVATE, seen, &ts, NULL, 0);
}

int asl_monitor_running(void)
{
	return atomic_load(&running);
}

pid_t asl_monitor_tid(void)
{
	return atomic_load(&monitor_tid);
}

void asl_monitor_reset_after_fork(void)
{
	atomic_store(&running, 0);
	atomic_store(&monitor_tid, 0);
	asl_longwait_reset_after_fork();
	asl_growth_reset_after_fork();
	asl_interval_reset_after_fork();
	asl_metrics_reset_after_fork();
}

void asl_verdict_act(const struct asl_finding *f, int nf, const struct asl_snapshot *given)
{
	char footer[128];
	struct asl_snapshot own = { .n = 0 };
	const struct asl_snapshot *s = given;
	if (!s && asl_snapshot_take(&own) == 0)
		s = &own;
	/* A suppressed all-asleep is not acted on: the program hangs as it
	 * would without the shim (the cycles in it may still be reported). */
	for (int i = 0; i < nf; i++)
		if (f[i].kind == ASL_F_ALL_ASLEEP && s && asl_suppress_matches(&f[i], s)) {
			asl_publish("all-asleep", f, nf, s, "all-asleep is suppressed; the program is left as it is");
			asl_snapshot_free(&own);
			return;
		}
	switch (asl_opts.on_deadlock) {
	case ASL_ON_DEADLOCK_EXIT:
		snprintf(footer, sizeof footer, "exiting with status %d (on_deadlock=exit)", asl_opts.exitcode);
		break;
	case ASL_ON_DEADLOCK_ABORT:
		snprintf(footer, sizeof footer, "aborting (on_deadlock=abort)");
		break;
	default:
		snprintf(footer, sizeof footer, "the program is left as it is (on_deadlock=continue)");
	}
	asl_publish("all-asleep", f, nf, s, footer);
	asl_snapshot_free(&own);
	if (asl_opts.on_deadlock == ASL_ON_DEADLOCK_EXIT) {
		/* Keep what the program already printed, unless a stuck thread
		 * holds the stream (then waiting for it would hang us too). */
		if (ftrylockfile(stdout) == 0) {
			fflush_unlocked(stdout);
			funlockfile(stdout);
		}
		REAL(_exit)(asl_opts.exitcode);
	}
	if (asl_opts.on_deadlock == ASL_ON_DEADLOCK_ABORT) {
		asl_fatal_disarm(); /* our own abort: the report above says it all */
		abort();
	}
}

/* A verdict candidate: the same waits seen since `since`.  A candidate
 * the kernel vetoed is looked at again after `backoff` (doubling, so that an
 * idle process is not rescanned twice a second forever).  confirmed_at:
 * when the kernel last agreed, having switched the threads out `switches`
 * times in all. */
struct candidate {
	unsigned long long key;
	uint64_t since;
	uint64_t backoff;
	uint64_t confirmed_at;
	unsigned long long switches;
};

struct monitor {
	struct candidate all; /* key 0: none */
	struct candidate cyc[MAX_CYCLES];
	int ncyc;
	int quick; /* look again after QUICK_TICK_MS */
};

/* Two kernel confirmations this far apart, between which no thread ran. */
#define STABLE_NS (30 * 1000000ull)

#define BACKOFF_MAX_NS (30 * 1000000000ull)

static uint64_t grace_ns(void)
{
	return (uint64_t)asl_opts.grace_ms * 1000000u;
}

/* Has this candidate held still for the grace period?  Starts tracking it if
 * it is new.  prev/nprev: last tick's candidates, next: this tick's. */
static int held_still(unsigned long long key, uint64_t now, const struct candidate *prev, int nprev,
                      struct candidate *next, int *nnext)
{
	struct candidate c = { key, now, 0, 0, 0 };
	for (int i = 0; i < nprev; i++)
		if (prev[i].key == key)
			c = prev[i];
	if (*nnext < MAX_CYCLES)
		next[(*nnext)++] = c;
	return now - c.since >= grace_ns() + c.backoff;
}

/* The kernel vetoed candidate c: look again later. */
static void backoff(struct candidate *c, uint64_t now)
{
	c->since = now;
	c->confirmed_at = 0;
	c->backoff = c->backoff ? 2 * c->backoff : grace_ns();
	if (c->backoff > BACKOFF_MAX_NS)
		c->backoff = BACKOFF_MAX_NS;
}

static int any_blocked(void)
{
	int hwm = atomic_load(&asl_threads_hwm);
	for (int i = 0; i < hwm; i++) {
		struct asl_thread *t = asl_thread_at(i);
		int life = t ? atomic_load(&t->life) : ASL_FREE;
		if (life != ASL_FREE && life != ASL_EXITED && asl_is_blocked(atomic_load(&t->wait_seq)))
			return 1;
	}
	return 0;
}

static int all_certain(const struct asl_snapshot *s, const struct asl_deadlock *d)
{
	for (int k = 0; k < d->n; k++)
		if (!s->t[d->step[k].thread].wait.certain)
			return 0;
	return 1;
}

static void deadlock_members(const struct asl_deadlock *d, int *out)
{
	for (int k = 0; k < d->n; k++)
		out[k] = d->step[k].thread;
}

static void tick(struct monitor *m)
{
	struct asl_snapshot s;
	struct asl_deadlock d[MAX_CYCLES];
	struct asl_finding f[MAX_CYCLES + 1];
	struct candidate next[MAX_CYCLES];
	int nnext = 0, nf = 0;
	if (!any_blocked() || asl_snapshot_take(&s) != 0) {
		m->all.key = 0;
		m->ncyc = 0;
		asl_lo_flush(NULL, NULL, 0, 0);
		return;
	}
	struct asl_world w = { asl_proc_signal_handlers(asl_fatal_caught_mask()), asl_monitor_tid() };
	int nd = asl_find_deadlocks(&s, &w, d, MAX_CYCLES);
	int nd_found = nd;
	pid_t who;
	const char *veto = asl_all_asleep_veto(&s, &w, &who);
	if (!veto) {
		unsigned long long key = asl_snapshot_key(&s);
		struct asl_veto kv;
		/* All asleep, the same waits as before: the verdict comes when the
		 * kernel agrees twice, STABLE_NS apart, with none of the threads
		 * run in between (their switch counts unchanged: nothing woke
		 * them); or, where that cannot be told, after grace_ms. */
		uint64_t now = s.now_ns;
		int due_grace = now - m->all.since >= grace_ns() + m->all.backoff;
		int due_early = now - m->all.since >= m->all.backoff;
		unsigned long long sw = 0;
		if (m->all.key != key) {
			m->all = (struct candidate){ key, now, 0, 0, 0 };
			m->quick = 1;
		} else if ((due_grace || due_early) && !asl_was_reported(key)) {
			int verdict = 0;
			if (asl_confirm(&s, &w, NULL, 0, ASL_CONFIRM_ALL, &kv) != 0) {
				asl_confirm_note_veto(&kv);
				backoff(&m->all, now);
			} else {
				int have = asl_confirm_switches(&s, &sw) == 0;
				int stable = have && m->all.confirmed_at && sw == m->all.switches &&
				             now - m->all.confirmed_at >= STABLE_NS;
				verdict = stable || due_grace;
				if (!verdict) {
					m->all.confirmed_at = have ? now : 0;
					m->all.switches = sw;
					m->quick = have;
				}
			}
			if (verdict && !asl_already_reported(key)) {
				asl_confirm_clear_veto();
				for (int i = 0; i < nd; i++) {
					asl_already_reported(asl_deadlock_key(&s, &d[i]));
					asl_finding_from_deadlock(&f[nf++], &s, &d[i]);
				}
				memset(&f[nf], 0, sizeof f[nf]);
				f[nf].kind = ASL_F_ALL_ASLEEP;
				f[nf].all_threads = 1;
				snprintf(f[nf].message, sizeof f[nf].message, "all threads are asleep - deadlock!");
				asl_verdict_act(f, nf + 1, &s);
				nd = 0; /* on_deadlock=continue: the cycles went into that report */
			}
		}
	} else {
		m->all.key = 0;
		asl_confirm_clear_veto();
	}
	for (int i = 0; i < nd; i++) {
		unsigned long long key = asl_deadlock_key(&s, &d[i]);
		int members[ASL_CYCLE_MAX];
		struct asl_veto kv;
		/* A thread waiting for its own lock is certain at once; other
		 * cycles must hold still for the grace period. */
		if (!held_still(key, s.now_ns, m->cyc, m->ncyc, next, &nnext) && !all_certain(&s, &d[i]))
			continue;
		deadlock_members(&d[i], members);
		if (asl_was_reported(key))
			continue;
		if (asl_confirm(&s, &w, members, d[i].n, 0, &kv) != 0) {
			if (nnext > 0 && next[nnext - 1].key == key)
				backoff(&next[nnext - 1], s.now_ns);
			continue;
		}
		if (asl_already_reported(key))
			continue;
		asl_finding_from_deadlock(&f[0], &s, &d[i]);
		asl_publish("deadlock", f, 1, &s, "the program continues (partial deadlock)");
	}
	memcpy(m->cyc, next, (size_t)nnext * sizeof next[0]);
	m->ncyc = nnext;
	/* Verdicts first: while every thread is asleep, all-asleep speaks for
	 * them (and decides on_deadlock); a cycle's threads get the deadlock. */
	if (veto)
		asl_longwait_check(&s, d, nd_found);
	asl_lo_flush(&s, d, nd_found, 0); /* potential deadlocks, unless real ones */
	asl_snapshot_free(&s);
}

/* Main has called pthread_exit and the program's threads are all gone: do
 * what glibc would have done when the last of them exited. */
static void exit_if_last(void)
{
	struct asl_tasks k;
	if (atomic_load(&asl_live_threads) != 0 || asl_proc_tasks(&k) != 0)
		return;
	int alone = asl_only_monitor_left(&k, asl_monitor_tid());
	asl_proc_tasks_free(&k);
	if (alone)
		exit(0);
}

static void *monitor_main(void *unused)
{
	static struct monitor m;
	(void)unused;
	atomic_store(&monitor_tid, asl_gettid());
	prctl(PR_SET_NAME, "asleep-monitor");
	memset(&m, 0, sizeof m);
	for (;;) {
		int quick = m.quick;
		m.quick = 0;
		monitor_sleep(quick ? QUICK_TICK_MS : TICK_MS);
		if (atomic_load(&stopped))
			break;
		if (asl_exit_started())
			continue; /* the exit check has the last word (and the last dump) */
		exit_if_last();
		tick(&m);
		asl_postmortem_tick();
		asl_growth_check();
		asl_interval_tick(asl_now_ns());
		asl_metrics_tick(asl_now_ns());
	}
	return NULL;
}

/* Waits (up to about 2 s) until the monitor thread is gone from the kernel,
 * past glibc's thread exit.  It may be mid-tick: it finishes the tick. */
void asl_monitor_stop(void)
{
	atomic_store(&stopped, 1);
	if (!atomic_load(&running))
		return;
	asl_monitor_nudge();
	struct timespec ms = { 0, 1000000L };
	pid_t tid = 0;
	for (int i = 0; i < 2000; i++) {
		if (!tid)
			tid = atomic_load(&monitor_tid); /* 0 until the thread has started */
		if (tid && tgkill(asl_pid, tid, 0) != 0 && errno == ESRCH)
			return;
		REAL(nanosleep)(&ms, NULL);
	}
}

void asl_monitor_ensure(void)
{
	int expected = 0;
	if (atomic_load(&running) || atomic_load(&stopped) || !atomic_compare_exchange_strong(&running, &expected, 1))
		return;
	pthread_t th;
	pthread_attr_t attr;
	sigset_t all, old;
	/* Every signal blocked, so the program's process-directed signals never
	 * land on the shim's thread. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, 1 << 20);
	if (REAL(pthread_create)(&th, &attr, monitor_main, NULL) != 0)
		atomic_store(&running, 0);
	pthread_attr_destroy(&attr);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}
