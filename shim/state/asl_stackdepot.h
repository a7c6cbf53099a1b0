/* SPDX-License-Identifier: MIT */
/* The stack depot: each distinct stack is stored once and named by a small
 * id (sanitizer_common's StackDepot idea).  The lock-order graph keeps ids,
 * not stacks: edges taken at the same places share them, so a graph of
 * millions of edges costs a few bytes per edge for its stacks.
 *
 * Memory comes from mmap (never malloc: callers hold the graph's lock) and
 * is never given back: ids stay valid for the life of the process.
 * Not thread-safe: every call is made under the caller's lock (the graph's). */
#ifndef ASL_STACKDEPOT_H
#define ASL_STACKDEPOT_H

#include <stddef.h>
#include <stdint.h>

/* 0: no stack (empty, or out of memory). */
uint32_t asl_depot_put(const uintptr_t *frames, int depth);
/* Copies stack `id` into out[] (at most max frames); returns its depth. */
int asl_depot_get(uint32_t id, uintptr_t *out, int max);

/* Call sites: the first stack seen at a return address, kept by id. */
void asl_depot_site_put(uintptr_t site, uint32_t stack);
uint32_t asl_depot_site_get(uintptr_t site);

/* Lock-order edges: the stack of the first edge made between two call
 * sites (where the held lock was taken, where the next was asked for).
 * Edges between the same sites share it, so that a program making many
 * edges the same way (locks in a loop, an object per request under one
 * parent) unwinds once, not once per edge.  `caller` names the request's
 * first frames: when the sites are a locking wrapper's, callers differ, and
 * a pair seen with two callers is `ambiguous` (its edges then look their
 * callers up by caller).  `checks`: sightings that agreed so far. */
struct asl_depot_pair {
	uint32_t stack, checks;
	uintptr_t caller;
	int ambiguous;
};
/* 0 when absent. */
int asl_depot_pair_get(uintptr_t held_site, uintptr_t site, struct asl_depot_pair *out);
void asl_depot_pair_put(uintptr_t held_site, uintptr_t site, const struct asl_depot_pair *p);

/* Bytes mapped (for reports and benchmarks). */
size_t asl_depot_bytes(void);

#endif
