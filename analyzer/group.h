/* SPDX-License-Identifier: MIT */
/* Grouping of threads that look alike, so that a pool of 200 workers
 * parked on the same condition variable reads as one entry.  Threads are
 * alike when state, wait kind, stack and creation stack match (frames
 * compared by function name, else address).  Wait objects, durations and
 * held locks may differ inside a group; the report says so. */
#ifndef ASLEEP_GROUP_H
#define ASLEEP_GROUP_H

#include <stdbool.h>
#include <stddef.h>

#include "dump.h"

struct thread_group {
	const struct dump_thread **members; /* in dump order */
	size_t n;
};

struct grouping {
	struct thread_group *groups; /* largest first, then by first member */
	size_t n;
	const struct dump_thread **storage;
};

/* Whether every member has the first one's name. */
bool group_names_alike(const struct thread_group *g);

/* Returns -1 only when out of memory. */
int group_threads(const struct dump *d, struct grouping *out);
void grouping_free(struct grouping *g);

/* Frames compare equal by function name, or by address without one. */
int frame_key_cmp(const struct dump_frame *a, const struct dump_frame *b);

/* The grouping key of one dump's threads (state, wait kind, stack,
 * creation stack); 0 when alike. */
int thread_key_cmp(const struct dump_thread *a, const struct dump_thread *b);

/* Several dumps (forked children, a CI run, two snapshots to diff).
 *
 * Each process counts once, by its latest dump (same pid and exe: the
 * highest seq), so the interval and exit dumps of one process do not add
 * up its threads twice.  Threads are then grouped across processes when
 * the program (exe basename) and the key above match; frames without a
 * function compare by module basename and offset, which stay the same
 * across runs of one binary where addresses do not. */
struct set_group {
	struct thread_group g;     /* members in input order */
	const struct dump **dumps; /* dumps[i] holds g.members[i] */
	size_t n_procs;            /* processes among the members */
	size_t first;              /* input position of members[0] */
};

struct set_grouping {
	struct set_group *groups; /* largest first, then by first member */
	size_t n;
	size_t n_threads;
	const struct dump **latest; /* the dumps grouped, in input order */
	size_t n_latest;
	const struct dump_thread **threads; /* storage */
	const struct dump **owners;         /* storage */
};

/* Returns -1 only when out of memory. */
int group_dump_set(struct dump *const *dumps, size_t n, struct set_grouping *out);
void set_grouping_free(struct set_grouping *g);

/* Orders groups (of any set grouping) by their key; 0: the same key,
 * which is how diff matches an old group with a new one. */
int set_group_key_cmp(const struct set_group *a, const struct set_group *b);

#endif
