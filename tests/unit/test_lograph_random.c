/* SPDX-License-Identifier: MIT */
/* The lock-order graph against a brute-force model, as Abseil tests its
 * graphcycles: thousands of random small graphs, edges added (and gates
 * narrowed by repeated sightings) and locks killed at random; after every
 * addition the graph's answer ("a cycle through this edge that could
 * deadlock") must be the model's, and any cycle it returns must be one.
 *
 * The model states the rules of asl_lograph.h directly: a closed walk that
 * starts with the new edge e0 and comes back to its source (ending there:
 * a walk through e0's source again would need that lock held twice), through
 * no dead lock, where no junction lets a sharing reader in after a reader (the edge
 * arriving at a lock for reading a reader-preferring rwlock, the next one
 * leaving it held for reading), and where every gate of e0 is missing from
 * some edge of the walk (else that gate serializes them all).  Walks are
 * searched exhaustively up to a length that covers every search state. */
#include "asl_lograph.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#define NODES_MAX 24  /* locks alive at a time */
#define IDS 256       /* ids 1..IDS: a killed lock's id is never used again */
#define GATE_BASE 100 /* gate ids 101, 102 */

#define MODEL_EDGES 1024

struct model {
	int n;
	struct asl_lo_edge e[MODEL_EDGES];
	int dead[IDS + 1];
	uint64_t live[NODES_MAX]; /* the ids in use */
	uint64_t next_id;
};

static int arrives_shared(const struct asl_lo_edge *e)
{
	return e->to_read && e->to_shares;
}

static int has_gate(const struct asl_lo_edge *e, uint64_t id)
{
	for (int i = 0; i < e->ngates; i++)
		if (e->gates[i] == id)
			return 1;
	return 0;
}

/* Bits of e0's gates that f lacks. */
static unsigned missing(const struct asl_lo_edge *e0, const struct asl_lo_edge *f)
{
	unsigned m = 0;
	for (int i = 0; i < e0->ngates; i++)
		if (!has_gate(f, e0->gates[i]))
			m |= 1u << i;
	return m;
}

/* Reachability over (edge arrived through, gates-missing mask), computed
 * as a plain fixpoint: from e0, any edge leaving the lock the last one
 * reached, allowed at that junction, extends the walk.  The walk closes when
 * an edge reaches e0's source with every gate missing somewhere. */
static int model_cycle(const struct model *md, const struct asl_lo_edge *e0)
{
	static unsigned char reach[MODEL_EDGES + 1][4]; /* [edge or n (e0)][mask] */
	unsigned full = (1u << e0->ngates) - 1;
	int n = md->n, changed = 1;
	if (md->dead[e0->from] || md->dead[e0->to])
		return 0;
	memset(reach, 0, sizeof reach);
	reach[n][0] = 1; /* arrived through e0, nothing missing yet */
	while (changed) {
		changed = 0;
		for (int a = 0; a <= n; a++)
			for (unsigned m = 0; m <= full; m++) {
				if (!reach[a][m])
					continue;
				const struct asl_lo_edge *in = a == n ? e0 : &md->e[a];
				for (int b = 0; b < n; b++) {
					const struct asl_lo_edge *f = &md->e[b];
					if (f->from != in->to || md->dead[f->to] ||
					    (arrives_shared(in) && f->from_read))
						continue;
					unsigned m2 = m | missing(e0, f);
					if (f->to == e0->from) { /* the walk ends at e0's source, closed or not */
						if (!(arrives_shared(f) && e0->from_read) && m2 == full)
							return 1;
						continue;
					}
					if (!reach[b][m2])
						reach[b][m2] = changed = 1;
				}
			}
	}
	return 0;
}

/* The model's copy of an edge: one per (from, to, from_read, to_read),
 * gates narrowed to those common to every sighting. */
static const struct asl_lo_edge *model_add(struct model *md, const struct asl_lo_edge *e)
{
	for (int i = 0; i < md->n; i++) {
		struct asl_lo_edge *x = &md->e[i];
		if (x->from != e->from || x->to != e->to || x->from_read != e->from_read || x->to_read != e->to_read)
			continue;
		int k = 0;
		for (int g = 0; g < x->ngates; g++)
			if (has_gate(e, x->gates[g]))
				x->gates[k++] = x->gates[g];
		x->ngates = (unsigned char)k;
		return x;
	}
	md->e[md->n] = *e;
	return &md->e[md->n++];
}

/* Is out[0..n) a walk the rules allow, starting with edge ei? */
static struct asl_lo_edge view(struct asl_lograph *g, int ei)
{
	struct asl_lo_edge e;
	asl_lograph_edge(g, ei, &e);
	return e;
}

static void check_returned(struct asl_lograph *g, const struct model *md, int ei, const int *out, int n)
{
	struct asl_lo_edge v0 = view(g, ei);
	const struct asl_lo_edge *e0 = &v0;
	unsigned m = 0, full = (1u << e0->ngates) - 1;
	cr_assert_eq(out[0], ei, "the cycle starts with the new edge");
	for (int k = 0; k < n; k++) {
		struct asl_lo_edge va = view(g, out[k]), vb = view(g, out[(k + 1) % n]);
		const struct asl_lo_edge *a = &va, *b = &vb;
		cr_assert_eq(a->to, b->from, "edge %d does not lead to edge %d", k, (k + 1) % n);
		cr_assert(!md->dead[a->to], "the cycle goes through a dead lock");
		cr_assert(!(arrives_shared(a) && b->from_read), "a read-read junction was taken");
		m |= missing(e0, a);
	}
	cr_assert_eq(m, full, "a gate of the new edge is held around every edge of the returned cycle");
}

static int NODES = 6;

static struct asl_lo_edge random_edge(const struct model *md)
{
	struct asl_lo_edge e;
	memset(&e, 0, sizeof e);
	e.from = md->live[rand() % NODES];
	do
		e.to = md->live[rand() % NODES];
	while (e.to == e.from);
	e.from_read = rand() % 4 == 0;
	e.to_read = rand() % 4 == 0;
	e.to_shares = e.to_read && rand() % 2;
	for (int g = 1; g <= 2; g++)
		if (rand() % 3 == 0) {
			e.gates[e.ngates] = GATE_BASE + (uint64_t)g;
			e.gate_obj[e.ngates++] = (uintptr_t)(GATE_BASE + g) * 16;
		}
	return e;
}

static void *test_map(size_t len)
{
	return calloc(1, len);
}

static void test_unmap(void *p, size_t len)
{
	(void)len;
	free(p);
}

static void run(int nodes, int rounds, int steps)
{
	const struct asl_lo_mem mem = { test_map, test_unmap };
	struct asl_lograph *g = malloc(sizeof *g);
	struct model *md = malloc(sizeof *md);
	int cycles = 0, checks = 0;
	cr_assert(g && md);
	srand(20261202);
	asl_lograph_init(g, &mem, 0, 0);
	NODES = nodes;
	for (int round = 0; round < rounds; round++) {
		asl_lograph_free(g); /* empty again */
		memset(md, 0, sizeof *md);
		for (int i = 0; i < NODES; i++)
			md->live[i] = ++md->next_id;
		for (int step = 0; step < steps; step++) {
			if (rand() % 12 == 0 && md->next_id < IDS) {
				/* a lock destroyed; a new one takes its place under a new id */
				int k = rand() % NODES;
				asl_lograph_kill(g, md->live[k]);
				cr_assert_eq(asl_lograph_check(g), 0, "round %d step %d: after a kill", round, step);
				md->dead[md->live[k]] = 1;
				md->live[k] = ++md->next_id;
				continue;
			}
			struct asl_lo_edge e = random_edge(md);
			/* a real edge's to_shares follows its lock, not the sighting */
			for (int i = 0; i < md->n; i++)
				if (md->e[i].to == e.to && md->e[i].to_read && e.to_read)
					e.to_shares = md->e[i].to_shares;
			int changed, is_new, out[ASL_LO_CYCLE_MAX];
			int ei = asl_lograph_add(g, &e, &changed, &is_new);
			int broken = asl_lograph_check(g);
			cr_assert_eq(broken, 0, "round %d step %d: invariant %d broken", round, step, broken);
			const struct asl_lo_edge *me = model_add(md, &e);
			cr_assert_geq(ei, 0);
			if (!changed)
				continue; /* no new cycle can pass through an unchanged edge */
			int n = asl_lograph_cycle(g, ei, out, ASL_LO_CYCLE_MAX);
			int want = model_cycle(md, me);
			checks++;
			cr_assert_eq(n > 0, want, "round %d step %d: graph says %s, model says %s", round, step,
			             n > 0 ? "cycle" : "none", want ? "cycle" : "none");
			if (n > 0) {
				cycles++;
				check_returned(g, md, ei, out, n);
			}
		}
	}
	cr_assert_gt(cycles, rounds / 10, "too few cycles to mean anything (%d of %d checks)", cycles, checks);
	asl_lograph_free(g);
	free(g);
	free(md);
}

Test(lograph_random, agrees_with_brute_force)
{
	run(6, 3000, 24);
}

/* Bigger graphs: components merge and reorder many times over. */
Test(lograph_random, agrees_with_brute_force_on_bigger_graphs)
{
	run(24, 60, 160);
}
