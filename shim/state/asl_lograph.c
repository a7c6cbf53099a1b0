/* SPDX-License-Identifier: MIT */
#include "asl_lograph.h"

#include "asl_invariant.h"

#include <string.h>

uint64_t asl_lograph_mix(uint64_t x)
{
	x ^= x >> 31;
	x *= 0x7fb5d329728ea185ull;
	x ^= x >> 27;
	x *= 0x81dadef4bc2dd44dull;
	return x ^ (x >> 33);
}

static uint64_t edge_hash(uint64_t from, uint64_t to, int from_read, int to_read)
{
	return asl_lograph_mix(from * 4 + (uint64_t)from_read * 2 + (uint64_t)to_read) ^
	       asl_lograph_mix(to + 0x9e3779b97f4a7c15ull);
}

void asl_lograph_init(struct asl_lograph *g)
{
	g->nedges = g->nnodes = g->dropped = 0;
	memset(g->node_hash, 0, sizeof g->node_hash);
	memset(g->edge_hash, 0, sizeof g->edge_hash);
}

static int node_find(const struct asl_lograph *g, uint64_t id, unsigned *slot)
{
	const unsigned cap = 2 * ASL_LO_NODES;
	unsigned h = (unsigned)asl_lograph_mix(id) % cap;
	for (;; h = (h + 1) % cap) {
		int v = g->node_hash[h];
		if (v == 0 || g->node[v - 1].id == id) {
			*slot = h;
			return v - 1;
		}
	}
}

static int node_get(struct asl_lograph *g, uint64_t id)
{
	unsigned slot;
	int n = node_find(g, id, &slot);
	if (n >= 0)
		return n;
	if (g->nnodes == ASL_LO_NODES)
		return -1;
	n = g->nnodes++;
	g->node[n] = (struct asl_lo_node){ id, -1, 0 };
	g->node_hash[slot] = n + 1;
	return n;
}

static int edge_find(const struct asl_lograph *g, const struct asl_lo_edge *e, unsigned *slot)
{
	const unsigned cap = 2 * ASL_LO_EDGES;
	unsigned h = (unsigned)edge_hash(e->from, e->to, e->from_read, e->to_read) % cap;
	for (;; h = (h + 1) % cap) {
		int v = g->edge_hash[h];
		const struct asl_lo_edge *x = v ? &g->e[v - 1] : NULL;
		if (!x || (x->from == e->from && x->to == e->to && x->from_read == e->from_read &&
		           x->to_read == e->to_read)) {
			*slot = h;
			return v - 1;
		}
	}
}

static int has_gate(const struct asl_lo_edge *e, uint64_t id)
{
	for (int i = 0; i < e->ngates; i++)
		if (e->gates[i] == id)
			return 1;
	return 0;
}

/* Keeps only the gates this sighting also held. */
static int narrow_gates(struct asl_lo_edge *x, const struct asl_lo_edge *seen)
{
	int k = 0, before = x->ngates;
	for (int i = 0; i < before; i++) {
		if (!has_gate(seen, x->gates[i]))
			continue;
		x->gates[k] = x->gates[i];
		x->gate_obj[k] = x->gate_obj[i];
		k++;
	}
	x->ngates = (unsigned char)k;
	return k != before;
}

int asl_lograph_add(struct asl_lograph *g, const struct asl_lo_edge *e, int *changed)
{
	unsigned slot;
	int i = edge_find(g, e, &slot);
	*changed = 0;
	if (i >= 0) {
		*changed = narrow_gates(&g->e[i], e);
		return i;
	}
	int fn = g->nedges < ASL_LO_EDGES ? node_get(g, e->from) : -1;
	int tn = fn >= 0 ? node_get(g, e->to) : -1;
	if (tn < 0) {
		g->dropped++;
		return -1;
	}
	i = g->nedges++;
	g->e[i] = *e;
	if (g->e[i].ngates > ASL_LO_GATES)
		g->e[i].ngates = ASL_LO_GATES;
	g->e[i].from_node = fn;
	g->e[i].to_node = tn;
	g->e[i].next_out = g->node[fn].first_out;
	g->node[fn].first_out = i;
	g->edge_hash[slot] = i + 1;
	*changed = 1;
	ASL_INVARIANT(g->e[i].from != g->e[i].to && g->e[i].ngates <= ASL_LO_GATES,
	              "a lock-order edge from a lock to itself, or with too many gates");
	return i;
}

void asl_lograph_kill(struct asl_lograph *g, uint64_t id)
{
	unsigned slot;
	int n = node_find(g, id, &slot);
	if (n >= 0)
		g->node[n].dead = 1;
}

/* Arriving at e->to: could a reader holding it let this arrival in? */
static int arrives_shared(const struct asl_lo_edge *e)
{
	return e->to_read && e->to_shares;
}

/* Bits of e0's gates that f was taken without. */
static unsigned gates_missing(const struct asl_lo_edge *e0, const struct asl_lo_edge *f)
{
	unsigned m = 0;
	for (int i = 0; i < e0->ngates; i++)
		if (!has_gate(f, e0->gates[i]))
			m |= 1u << i;
	return m;
}

static int unwind_path(const struct asl_lograph *g, int ei, int last, int qi, int *out, int max)
{
	int n = 0;
	out[n++] = ei;
	int rev[ASL_LO_CYCLE_MAX], nr = 0;
	rev[nr++] = last;
	for (int q = qi; g->queue_prev[q] >= 0 && nr < ASL_LO_CYCLE_MAX; q = g->queue_prev[q])
		rev[nr++] = g->queue_edge[q];
	if (nr + 1 > max)
		return 0;
	while (nr > 0)
		out[n++] = rev[--nr];
	return n;
}

/* Breadth-first from e0's target back to its source.  A search state is
 * (lock, arrived-as-a-sharing-reader, which of e0's gates some edge on the
 * path lacks), so each lock is expanded at most 32 times. */
int asl_lograph_cycle(struct asl_lograph *g, int ei, int *out, int max)
{
	unsigned char *qmask = g->queue_mask;
	const struct asl_lo_edge *e0 = &g->e[ei];
	unsigned full = (1u << e0->ngates) - 1;
	int head = 0, tail = 0;
	if (g->node[e0->from_node].dead || g->node[e0->to_node].dead)
		return 0;
	memset(g->seen, 0, (size_t)g->nnodes * sizeof g->seen[0]);
	g->queue_edge[tail] = ei;
	g->queue_prev[tail] = -1;
	qmask[tail++] = 0;
	while (head < tail) {
		int qi = head++;
		const struct asl_lo_edge *in = &g->e[g->queue_edge[qi]];
		int shared = arrives_shared(in);
		for (int f = g->node[in->to_node].first_out; f >= 0; f = g->e[f].next_out) {
			const struct asl_lo_edge *F = &g->e[f];
			if (g->node[F->to_node].dead || (shared && F->from_read))
				continue;
			unsigned m = qmask[qi] | gates_missing(e0, F);
			if (F->to_node == e0->from_node) {
				if ((arrives_shared(F) && e0->from_read) || m != full)
					continue;
				return unwind_path(g, ei, f, qi, out, max);
			}
			uint32_t bit = 1u << ((unsigned)arrives_shared(F) << 4 | m);
			if ((g->seen[F->to_node] & bit) || tail == ASL_LO_NODES * 32)
				continue;
			g->seen[F->to_node] |= bit;
			g->queue_edge[tail] = f;
			g->queue_prev[tail] = qi;
			qmask[tail++] = (unsigned char)m;
		}
	}
	return 0;
}
