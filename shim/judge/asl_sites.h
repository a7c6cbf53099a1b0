/* SPDX-License-Identifier: MIT */
/* Thread growth: live threads grouped by where they were created and where
 * they wait, so that a dump shows "800 threads made at X all wait at Y".
 * Pure over a snapshot, so it is unit-tested. */
#ifndef ASL_SITES_H
#define ASL_SITES_H

#include "asl_snapshot.h"

/* Frames of each stack that make a site: more than one, so that threads
 * made through a wrapper (std::thread, a pool's spawn helper) or waiting
 * through one (std::condition_variable) are still told apart. */
#define ASL_SITE_FRAMES 4

struct asl_site {
	int count;
	int first; /* snapshot index of its first member: the site's stacks */
};

/* Does thread b sit at the same (creation site, wait kind, wait site) as a? */
int asl_same_site(const struct asl_tsnap *a, const struct asl_tsnap *b);

/* Groups s's threads by site, largest first (equal counts: in snapshot
 * order).  out has room for s->n entries; returns how many were written. */
int asl_sites_group(const struct asl_snapshot *s, struct asl_site *out);

#endif
