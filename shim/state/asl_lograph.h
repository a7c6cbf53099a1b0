/* SPDX-License-Identifier: MIT */
/* The lock-order graph: an edge X -> Y means "some thread held X while it
 * blocked to acquire Y".  Pure data and algorithms (no globals, no locks, no
 * allocation) so that the precision rules are unit-tested on their own.
 *
 * Invariants kept here:
 *  - at most one edge per (from, to, from_read, to_read);
 *  - an edge's gates are the exclusively held locks common to EVERY sighting
 *    of it (they only ever shrink);
 *  - a dead node (a destroyed lock) takes part in no cycle found later.
 *
 * A cycle is a potential deadlock only when it could really block all
 * around.  It cannot when
 *  - every edge was taken under one common gate lock (the gate serializes
 *    the orders), or
 *  - at some lock of the cycle the thread arriving wants it for reading
 *    while the thread leaving holds it for reading, and the rwlock lets
 *    readers in while readers hold it (glibc's default reader preference).
 * A try-lock or a finite timed lock never blocks forever, so it adds no edge
 * into the lock tried: the caller simply does not add such edges. */
#ifndef ASL_LOGRAPH_H
#define ASL_LOGRAPH_H

#include <stdint.h>

#define ASL_LO_GATES 4
#define ASL_LO_EDGES 4096
#define ASL_LO_NODES 4096
#define ASL_LO_CYCLE_MAX 64

struct asl_lo_edge {
	uint64_t from, to;       /* lock ids, never 0 */
	unsigned char from_read; /* `from` was held for reading */
	unsigned char to_read;   /* `to` was acquired for reading */
	unsigned char to_shares; /* `to` admits readers while readers hold it */
	unsigned char ngates;
	uint64_t gates[ASL_LO_GATES];
	uintptr_t gate_obj[ASL_LO_GATES]; /* the gates' addresses, for reports */
	int next_out;                     /* next edge with the same `from`, or -1 */
	int from_node, to_node;
};

struct asl_lo_node {
	uint64_t id;
	int first_out; /* -1: none */
	int dead;
};

struct asl_lograph {
	int nedges, nnodes;
	int dropped; /* edges refused: graph full */
	struct asl_lo_edge e[ASL_LO_EDGES];
	struct asl_lo_node node[ASL_LO_NODES];
	int node_hash[2 * ASL_LO_NODES]; /* node index + 1, 0 empty */
	int edge_hash[2 * ASL_LO_EDGES]; /* edge index + 1, 0 empty */
	/* search scratch */
	uint32_t seen[ASL_LO_NODES]; /* bit (read << 4 | gate mask) per node */
	int queue_edge[ASL_LO_NODES * 32];
	int queue_prev[ASL_LO_NODES * 32];
	unsigned char queue_mask[ASL_LO_NODES * 32];
};

void asl_lograph_init(struct asl_lograph *g);

/* A 64-bit mixer (splitmix64's finalizer): hashes of lock ids and sites. */
uint64_t asl_lograph_mix(uint64_t x);

/* Adds the edge (or narrows an existing one's gates to those common with
 * this sighting).  Returns the edge's index, or -1 when the graph is full.
 * *changed is 1 when the edge is new or its gates shrank: only then can a
 * new cycle through it exist. */
int asl_lograph_add(struct asl_lograph *g, const struct asl_lo_edge *e, int *changed);

/* A cycle through edge `ei` that could deadlock: fills out[] with edge
 * indices, starting with ei, in cycle order.  Returns its length, or 0. */
int asl_lograph_cycle(struct asl_lograph *g, int ei, int *out, int max);

/* The lock `id` is gone (destroyed or re-initialized): it joins no cycle. */
void asl_lograph_kill(struct asl_lograph *g, uint64_t id);

#endif
