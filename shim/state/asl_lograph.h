/* SPDX-License-Identifier: MIT */
/* The lock-order graph: an edge X -> Y means "some thread held X while it
 * blocked to acquire Y".  Pure data and algorithms (no globals, no locks);
 * memory comes from the caller's map/unmap (the shim's is mmap: nothing here
 * calls malloc, so the graph may grow while the shim's graph lock is held).
 *
 * Invariants kept here:
 *  - at most one edge per (from, to, from_read, to_read);
 *  - an edge's gates are the exclusively held locks common to EVERY sighting
 *    of it (they only ever shrink);
 *  - a killed lock (destroyed) is gone with its edges: it takes part in no
 *    cycle found later, and its memory is reused;
 *  - components: every cycle of the graph lies inside one component, and
 *    the components are kept in a topological order (Pearce-Kelly): `ord`
 *    of a component is below that of every component it has an edge to.
 *    Components only merge (a killed lock leaves its component as it is:
 *    conservative, never wrong).
 *
 * A cycle is a potential deadlock only when it could really block all
 * around.  It cannot when
 *  - every edge was taken under one common gate lock (the gate serializes
 *    the orders), or
 *  - at some lock of the cycle the thread arriving wants it for reading
 *    while the thread leaving holds it for reading, and the rwlock lets
 *    readers in while readers hold it (glibc's default reader preference).
 * A try-lock or a finite timed lock never blocks forever, so it adds no edge
 * into the lock tried: the caller simply does not add such edges.
 *
 * Cost model.  Memory: 48 bytes per lock in the graph (and 24 for its
 * component), 32 per edge (plus the caller's payload, and 64 for an edge
 * taken under gates), hash tables at most half full; nothing before the
 * first edge.  Adding an edge that is
 * already there: one hash probe.  A new edge consistent with the order so
 * far (the common case: a program with a lock hierarchy): a hash insert and
 * an order compare.  A new edge against the order: a search bounded by the
 * components between its two ends in the order (Pearce-Kelly), then, only
 * when it closes a cycle, the exact search for a cycle able to deadlock,
 * bounded by the one component. */
#ifndef ASL_LOGRAPH_H
#define ASL_LOGRAPH_H

#include <stddef.h>
#include <stdint.h>

#define ASL_LO_GATES 4
#define ASL_LO_CYCLE_MAX 64
#define ASL_LO_NONE 0xffffffffu

/* An edge as the caller sees it (added, or read back). */
struct asl_lo_edge {
	uint64_t from, to;       /* lock ids, never 0 */
	unsigned char from_read; /* `from` was held for reading */
	unsigned char to_read;   /* `to` was acquired for reading */
	unsigned char to_shares; /* `to` admits readers while readers hold it */
	unsigned char ngates;
	uint64_t gates[ASL_LO_GATES];
	uintptr_t gate_obj[ASL_LO_GATES]; /* the gates' addresses, for reports */
	/* The locks' addresses and kinds, for reports: kept per lock, as the
	 * edge that first brought the lock into the graph gave them. */
	uintptr_t from_obj, to_obj;
	unsigned char from_kind, to_kind;
};

/* Where the graph's memory comes from: zeroed pages, or NULL. */
struct asl_lo_mem {
	void *(*map)(size_t len);
	void (*unmap)(void *p, size_t len);
};

/* A table of fixed-size records that grows by chunks and never moves. */
#define ASL_LO_CHUNK_SHIFT 14
#define ASL_LO_CHUNKS 4096 /* up to 64M records */
struct asl_lo_table {
	size_t size;        /* bytes per record */
	uint32_t n;         /* records ever used (high-water mark) */
	uint32_t free_head; /* a free record, ASL_LO_NONE: none */
	void *chunk[ASL_LO_CHUNKS];
};

struct asl_lo_hash {
	uint32_t *slot; /* record index + 1; 0: empty */
	uint32_t cap, used;
};

/* A growable scratch array (search queues and stacks). */
struct asl_lo_scratch {
	void *p;
	size_t len;
};

struct asl_lograph {
	struct asl_lo_mem mem;
	uint32_t max_edges;      /* the cap: beyond it edges are dropped */
	uint32_t nedges, nnodes; /* live ones */
	unsigned long dropped;   /* edges refused: cap reached or out of memory */
	uint64_t next_ord;
	uint32_t epoch; /* search marks */
	size_t payload; /* the caller's bytes per edge */
	struct asl_lo_table nodes, edges, comps, gates, payloads;
	struct asl_lo_hash node_hash, edge_hash;
	struct asl_lo_scratch s_fwd, s_bwd, s_stack, s_q;
};

/* max_edges: the cap (0: the largest possible); payload: bytes of the
 * caller's record kept with each edge (asl_lograph_payload). */
void asl_lograph_init(struct asl_lograph *g, const struct asl_lo_mem *mem, uint32_t max_edges, size_t payload);
/* Gives all memory back. */
void asl_lograph_free(struct asl_lograph *g);

/* A 64-bit mixer (splitmix64's finalizer): hashes of lock ids and sites. */
uint64_t asl_lograph_mix(uint64_t x);

/* Adds the edge (or narrows an existing one's gates to those common with
 * this sighting).  Returns the edge's index, or -1 when it could not be
 * added (cap reached, out of memory: counted in `dropped`).  *changed is 1
 * when the edge is new or its gates shrank: only then can a new cycle
 * through it exist.  *is_new is 1 when the edge is new (its payload is
 * zeroed then). */
int asl_lograph_add(struct asl_lograph *g, const struct asl_lo_edge *e, int *changed, int *is_new);

/* Would adding e change nothing?  1 when the edge is there and every gate
 * it keeps is among e's (a lookup: one hash probe per end and the edge). */
int asl_lograph_known(const struct asl_lograph *g, const struct asl_lo_edge *e);

/* A cycle through edge `ei` that could deadlock: fills out[] with edge
 * indices, starting with ei, in cycle order.  Returns its length, or 0 (also
 * when the search could not get memory). */
int asl_lograph_cycle(struct asl_lograph *g, int ei, int *out, int max);

/* The lock `id` is gone (destroyed or re-initialized): it and its edges
 * leave the graph, and their indices may be reused. */
void asl_lograph_kill(struct asl_lograph *g, uint64_t id);

/* Edge `ei` as added (gates as narrowed). */
void asl_lograph_edge(const struct asl_lograph *g, int ei, struct asl_lo_edge *out);
/* The caller's record for edge `ei`. */
void *asl_lograph_payload(const struct asl_lograph *g, int ei);

/* Checks every invariant above the hard way (tests): 0 when they hold,
 * else a number naming the first one broken. */
int asl_lograph_check(const struct asl_lograph *g);

/* Bytes mapped for the graph now (for reports and benchmarks). */
size_t asl_lograph_bytes(const struct asl_lograph *g);

#endif
