/* Grouping of threads that look alike, so that a pool of 200 workers
 * parked on the same condition variable reads as one entry.  Threads are
 * alike when state, wait kind, stack and creation stack match (frames
 * compared by function name, else address).  Wait objects, durations and
 * held locks may differ inside a group; the report says so. */
#ifndef ASLEEP_GROUP_H
#define ASLEEP_GROUP_H

#include <stddef.h>

#include "dump.h"

struct thread_group {
	const struct dump_thread **members;	/* in dump order */
	size_t n;
};

struct grouping {
	struct thread_group *groups;	/* largest first, then by first member */
	size_t n;
	const struct dump_thread **storage;
};

/* Returns -1 only when out of memory. */
int group_threads(const struct dump *d, struct grouping *out);
void grouping_free(struct grouping *g);

/* Frames compare equal by function name, or by address without one. */
int frame_key_cmp(const struct dump_frame *a, const struct dump_frame *b);

#endif
