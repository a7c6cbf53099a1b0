/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "asl_interval.h"

#include "asl_dumpfile.h"
#include "asl_finding.h"
#include "asl_exit.h"
#include "asl_monitor.h"
#include "asl_options.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static uint64_t next_due; /* the monitor's, as is the ring */
/* The paths of this process's interval dumps on disk, oldest first (a ring). */
static char **ring;
static int ring_head, ring_n;

void asl_interval_reset_after_fork(void)
{
	/* The parent's files are not ours to delete; the strings leak (no free
	 * in a fork child). */
	next_due = 0;
	ring_head = ring_n = 0;
}

static void delete_oldest(void)
{
	char *p = ring[ring_head];
	unlink(p);
	free(p);
	ring_head = (ring_head + 1) % asl_opts.interval_keep;
	ring_n--;
}

/* Monitor only: the ring is its own, and nothing here takes a lock. */
static void write_one(void)
{
	struct asl_snapshot s;
	struct asl_modules mods;
	char path[1200];
	if (asl_snapshot_take(&s) != 0)
		return;
	asl_modules_collect(&mods);
	struct asl_report_ctx r = { "interval", NULL, 0, &s, &mods, NULL, NULL };
	int seq = asl_dump_next_seq();
	char *text = asl_dump_render(&r, seq);
	/* Delete first: never more than interval_keep files, even if we are
	 * killed between the two steps. */
	if (text && ring_n == asl_opts.interval_keep)
		delete_oldest();
	if (text && asl_dump_store(asl_opts.dump_dir, seq, text, path, sizeof path) == 0) {
		char *copy = strdup(path);
		if (copy) {
			ring[(ring_head + ring_n) % asl_opts.interval_keep] = copy;
			ring_n++;
		} else {
			unlink(path); /* untracked, it could break the cap */
		}
	}
	free(text);
	asl_modules_free(&mods);
	asl_snapshot_free(&s);
}

void asl_interval_tick(uint64_t now_ns)
{
	if (asl_opts.interval_ms <= 0 || !asl_opts.dump_dir[0] || now_ns < next_due)
		return;
	next_due = now_ns + (uint64_t)asl_opts.interval_ms * 1000000u;
	if (!ring)
		ring = calloc((size_t)asl_opts.interval_keep, sizeof *ring);
	/* Counted as in flight before the exit check is looked at: either the
	 * exit check waits for this dump, or this dump sees the exit begun. */
	asl_output_begin();
	if (ring && !asl_exit_started())
		write_one();
	asl_output_end();
}
