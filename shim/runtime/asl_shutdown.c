/* SPDX-License-Identifier: MIT */
/* The monitor's post-mortem duties, once per tick:
 *  - shutdown-stall: a SIGTERM reached the program's own handler (noted by
 *    the trampoline, which only stores a time) and the process is still
 *    alive shutdown_grace_ms later: name the threads holding it up;
 *  - dump on demand: DIR/asleep.<pid>.request exists (DIR = dump_dir), so
 *    write a dump (reason "request") and remove the request;
 *  - keep the crash path's module map fresh (it cannot walk the loader's list). */
#define _GNU_SOURCE
#include "asl_duration.h"
#include "asl_finding.h"
#include "asl_options.h"
#include "asl_postmortem.h"
#include "asl_proc.h"
#include "asl_snapshot.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define MODULE_REFRESH_TICKS 10

static _Atomic uint64_t sigterm_at; /* CLOCK_MONOTONIC ns of the first unreported SIGTERM; 0: none */
static uint64_t reported_at;        /* the SIGTERM already reported (monitor only) */

void asl_shutdown_note_sigterm(void)
{
	uint64_t none = 0;
	atomic_compare_exchange_strong(&sigterm_at, &none, asl_now_ns());
}

static int alive(const struct asl_tsnap *t)
{
	return t->life == ASL_ALIVE || t->life == ASL_STARTING || t->life == ASL_EXITING;
}

/* "thread 12 "worker" on cond 0x..." for the message, as room allows. */
static void add_waiter(char *msg, size_t len, const struct asl_tsnap *t)
{
	char name[64], part[160];
	size_t n = strlen(msg);
	asl_proc_thread_name(t->tid, name, sizeof name);
	if (t->blocked)
		snprintf(part, sizeof part, "%s%d \"%s\" on %s", n ? ", " : "", t->tid, name,
		         asl_wait_kind_name(t->wait.kind));
	else
		snprintf(part, sizeof part, "%s%d \"%s\" running", n ? ", " : "", t->tid, name);
	if (n + strlen(part) + 5 < len)
		snprintf(msg + n, len - n, "%s", part);
	else if (n + 5 < len && !strstr(msg, "..."))
		snprintf(msg + n, len - n, ", ...");
}

static void check_stall(void)
{
	uint64_t at = atomic_load(&sigterm_at), now = asl_now_ns();
	if (!asl_opts.shutdown_grace_ms || !at || at == reported_at ||
	    now - at < (uint64_t)asl_opts.shutdown_grace_ms * 1000000u)
		return;
	reported_at = at;
	struct asl_snapshot s;
	if (asl_snapshot_take(&s) != 0)
		return;
	struct asl_finding f;
	char who[256] = "";
	memset(&f, 0, sizeof f);
	f.kind = ASL_F_SHUTDOWN_STALL;
	for (int i = 0; i < s.n; i++) {
		if (!alive(&s.t[i]))
			continue;
		if (f.ntids < ASL_FINDING_TIDS)
			f.tids[f.ntids++] = s.t[i].tid;
		add_waiter(who, sizeof who, &s.t[i]);
	}
	char dur[ASL_DURATION_MAX];
	snprintf(f.message, sizeof f.message, "SIGTERM was handled %s ago and the process is still alive: %s",
	         asl_duration_format((long long)((now - at) / 1000000u), dur, sizeof dur), who);
	char footer[96];
	snprintf(footer, sizeof footer, "the program continues (shutdown_grace_ms=%d)", asl_opts.shutdown_grace_ms);
	asl_publish("shutdown-stall", &f, 1, &s, footer);
	asl_snapshot_free(&s);
	/* A later SIGTERM starts a new grace period. */
	uint64_t expected = at;
	atomic_compare_exchange_strong(&sigterm_at, &expected, 0);
}

static void check_request(void)
{
	char path[ASL_PATH_MAX + 64];
	if (!asl_opts.dump_dir[0])
		return;
	snprintf(path, sizeof path, "%s/asleep.%d.request", asl_opts.dump_dir, (int)getpid());
	/* Only the one who removes the request answers it. */
	if (unlink(path) != 0)
		return;
	asl_publish("request", NULL, 0, NULL, NULL);
}

void asl_postmortem_tick(void)
{
	static int ticks;
	if (++ticks % MODULE_REFRESH_TICKS == 0)
		asl_crash_modules_refresh();
	check_stall();
	check_request();
}
