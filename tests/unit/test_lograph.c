/* SPDX-License-Identifier: MIT */
/* The lock-order graph's cycle rules, each next to its mirror image. */
#include "asl_lograph.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

static struct asl_lograph *g;

static void *test_map(size_t len)
{
	return calloc(1, len);
}

static void test_unmap(void *p, size_t len)
{
	(void)len;
	free(p);
}

static const struct asl_lo_mem mem = { test_map, test_unmap };

static void setup(void)
{
	g = malloc(sizeof *g);
	asl_lograph_init(g, &mem, 0, 8);
}

static void teardown(void)
{
	asl_lograph_free(g);
	free(g);
}

static struct asl_lo_edge view(int ei)
{
	struct asl_lo_edge e;
	asl_lograph_edge(g, ei, &e);
	return e;
}

TestSuite(lograph, .init = setup, .fini = teardown);

/* Lock ids 1..N; read marks: 'r' for a read hold/acquisition of a sharing rwlock. */
static int add(uint64_t from, uint64_t to, int from_read, int to_read, const uint64_t *gates, int ngates)
{
	struct asl_lo_edge e;
	int changed, is_new;
	memset(&e, 0, sizeof e);
	e.from = from;
	e.to = to;
	e.from_read = (unsigned char)from_read;
	e.to_read = (unsigned char)to_read;
	e.to_shares = (unsigned char)to_read;
	for (int i = 0; i < ngates; i++) {
		e.gates[i] = gates[i];
		e.gate_obj[i] = (uintptr_t)gates[i] * 0x10;
	}
	e.ngates = (unsigned char)ngates;
	return asl_lograph_add(g, &e, &changed, &is_new);
}

static int cycle_len(int ei)
{
	int out[ASL_LO_CYCLE_MAX];
	return asl_lograph_cycle(g, ei, out, ASL_LO_CYCLE_MAX);
}

Test(lograph, abba_is_a_cycle_and_names_both_edges)
{
	int ab = add(1, 2, 0, 0, NULL, 0);
	cr_assert_eq(cycle_len(ab), 0, "one order alone is fine");
	int ba = add(2, 1, 0, 0, NULL, 0);
	int out[8];
	cr_assert_eq(asl_lograph_cycle(g, ba, out, 8), 2);
	cr_assert_eq(out[0], ba);
	cr_assert_eq(out[1], ab);
}

Test(lograph, same_edge_twice_is_one_edge)
{
	int a = add(1, 2, 0, 0, NULL, 0);
	cr_assert_eq(add(1, 2, 0, 0, NULL, 0), a);
	cr_assert_eq(g->nedges, 1);
}

Test(lograph, ring_of_25)
{
	int last = -1;
	for (uint64_t i = 1; i <= 25; i++) {
		last = add(i, i % 25 + 1, 0, 0, NULL, 0);
		if (i < 25)
			cr_assert_eq(cycle_len(last), 0, "no cycle before the ring closes (edge %d)", (int)i);
	}
	int out[ASL_LO_CYCLE_MAX];
	int n = asl_lograph_cycle(g, last, out, ASL_LO_CYCLE_MAX);
	cr_assert_eq(n, 25);
	for (int k = 0; k < n; k++)
		cr_assert_eq(view(out[k]).to, view(out[(k + 1) % n]).from, "edges chain at %d", k);
}

Test(lograph, common_gate_cannot_deadlock)
{
	uint64_t gate[1] = { 9 };
	add(1, 2, 0, 0, gate, 1);
	int ba = add(2, 1, 0, 0, gate, 1);
	cr_assert_eq(cycle_len(ba), 0, "both orders under lock 9");
}

Test(lograph, gate_missing_on_one_edge_is_reported)
{
	uint64_t gate[1] = { 9 };
	add(1, 2, 0, 0, gate, 1);
	int ba = add(2, 1, 0, 0, NULL, 0);
	cr_assert_eq(cycle_len(ba), 2);
}

Test(lograph, gates_narrow_with_every_sighting)
{
	uint64_t g9[1] = { 9 }, g8[1] = { 8 };
	add(1, 2, 0, 0, g9, 1);
	int ba = add(2, 1, 0, 0, g9, 1);
	cr_assert_eq(cycle_len(ba), 0);
	struct asl_lo_edge e;
	int changed, is_new;
	memset(&e, 0, sizeof e);
	e.from = 1;
	e.to = 2;
	e.gates[0] = 8;
	e.ngates = 1;
	int ab = asl_lograph_add(g, &e, &changed, &is_new);
	cr_assert(changed && !is_new, "1->2 seen once without 9: its gate set shrank");
	cr_assert_eq(view(ab).ngates, 0);
	cr_assert_eq(cycle_len(ab), 2);
	(void)g8;
}

/* known(): would an add change nothing?  Checked against what add says. */
static int known(uint64_t from, uint64_t to, int from_read, const uint64_t *gates, int ngates)
{
	struct asl_lo_edge e;
	memset(&e, 0, sizeof e);
	e.from = from;
	e.to = to;
	e.from_read = (unsigned char)from_read;
	for (int i = 0; i < ngates; i++)
		e.gates[i] = gates[i];
	e.ngates = (unsigned char)ngates;
	return asl_lograph_known(g, &e);
}

Test(lograph, known_means_an_add_would_change_nothing)
{
	uint64_t g9[1] = { 9 }, g89[2] = { 8, 9 }, g8[1] = { 8 };
	cr_assert_not(known(1, 2, 0, NULL, 0), "no such edge yet");
	add(1, 2, 0, 0, g9, 1);
	cr_assert(known(1, 2, 0, g9, 1));
	cr_assert(known(1, 2, 0, g89, 2), "more gates than the edge keeps: nothing to narrow");
	cr_assert_not(known(1, 2, 0, g8, 1), "without 9 the edge's gates would shrink");
	cr_assert_not(known(1, 2, 1, g9, 1), "a read hold of 1 is another edge");
	cr_assert_not(known(2, 1, 0, g9, 1), "the other direction is another edge");
	cr_assert_not(known(1, 3, 0, g9, 1), "lock 3 is not in the graph");
	add(1, 2, 0, 0, g8, 1);
	cr_assert(known(1, 2, 0, NULL, 0), "gates gone: every sighting is known now");
	asl_lograph_kill(g, 2);
	cr_assert_not(known(1, 2, 0, NULL, 0), "a killed lock takes its edges along");
}

Test(lograph, two_different_gates_do_not_serialize)
{
	uint64_t g8[1] = { 8 }, g9[1] = { 9 };
	add(1, 2, 0, 0, g8, 1);
	int ba = add(2, 1, 0, 0, g9, 1);
	cr_assert_eq(cycle_len(ba), 2);
}

Test(lograph, read_read_cycle_cannot_deadlock)
{
	add(1, 2, 1, 1, NULL, 0);
	int ba = add(2, 1, 1, 1, NULL, 0);
	cr_assert_eq(cycle_len(ba), 0);
}

Test(lograph, one_read_read_junction_is_enough_to_be_safe)
{
	/* t1 reads 1 then wants to read 2; t2 reads 2 then wants to write 1:
	 * t2 waits for t1, but t1 gets its read of 2 and finishes. */
	add(1, 2, 1, 1, NULL, 0);
	int ba = add(2, 1, 1, 0, NULL, 0);
	cr_assert_eq(cycle_len(ba), 0);
}

Test(lograph, writers_at_every_junction_are_reported)
{
	/* t1 reads 1 then wants to read 2; t2 writes 2 then wants to write 1. */
	add(1, 2, 1, 1, NULL, 0);
	int ba = add(2, 1, 0, 0, NULL, 0);
	cr_assert_eq(cycle_len(ba), 2);
}

Test(lograph, writer_preferring_rwlock_blocks_readers)
{
	/* PREFER_WRITER_NONRECURSIVE: a waiting writer stops new readers, so
	 * read-read can block once writers queue up. */
	struct asl_lo_edge e;
	int changed, is_new, ba = -1;
	for (int k = 0; k < 2; k++) {
		memset(&e, 0, sizeof e);
		e.from = k ? 2 : 1;
		e.to = k ? 1 : 2;
		e.from_read = e.to_read = 1;
		ba = asl_lograph_add(g, &e, &changed, &is_new);
	}
	cr_assert_eq(cycle_len(ba), 2);
}

Test(lograph, dead_lock_joins_no_cycle)
{
	add(1, 2, 0, 0, NULL, 0);
	asl_lograph_kill(g, 1);
	int ba = add(2, 1, 0, 0, NULL, 0);
	cr_assert_eq(cycle_len(ba), 0, "lock 1 was destroyed before the other order");
}

Test(lograph, longer_path_found_past_a_read_read_junction)
{
	/* 1 ->r 2 (read) then 2 held for read ->r 3 would be safe at 2 only if the
	 * arrival at 2 is a read: here it is a write, so the path counts. */
	add(1, 2, 0, 0, NULL, 0);
	add(2, 3, 1, 0, NULL, 0);
	int c = add(3, 1, 0, 0, NULL, 0);
	cr_assert_eq(cycle_len(c), 3);
}

Test(lograph, cap_refuses_and_counts)
{
	struct asl_lograph *small = malloc(sizeof *small);
	asl_lograph_init(small, &mem, 1024, 0);
	struct asl_lo_edge e;
	int changed, is_new;
	memset(&e, 0, sizeof e);
	for (int i = 0; i < 1024; i++) {
		e.from = (uint64_t)(i % 64) + 1;
		e.to = (uint64_t)(i / 64) + 1000;
		cr_assert_geq(asl_lograph_add(small, &e, &changed, &is_new), 0);
	}
	e.from = 7;
	e.to = 8;
	cr_assert_eq(asl_lograph_add(small, &e, &changed, &is_new), -1);
	cr_assert_eq(small->dropped, 1);
	/* an edge already there is still found (and its gates narrowed) */
	e.from = 1;
	e.to = 1000;
	cr_assert_geq(asl_lograph_add(small, &e, &changed, &is_new), 0);
	asl_lograph_free(small);
	free(small);
}

/* No ceiling: 20,000 locks in 10,000 nested pairs, one consistent order,
 * then two other locks in both orders: the inversion is still found, and
 * the consistent edges cost no search (their components differ). */
Test(lograph, inversion_after_twenty_thousand_locks)
{
	for (uint64_t i = 0; i < 10000; i++) {
		int ei = add(2 * i + 1, 2 * i + 2, 0, 0, NULL, 0);
		cr_assert_geq(ei, 0);
		cr_assert_eq(cycle_len(ei), 0);
	}
	cr_assert_eq(g->nnodes, 20000);
	add(50001, 50002, 0, 0, NULL, 0);
	cr_assert_eq(cycle_len(add(50002, 50001, 0, 0, NULL, 0)), 2);
	cr_assert_eq(g->dropped, 0);
}

/* A killed lock's memory is reused: churning locks under one parent does
 * not grow the graph. */
Test(lograph, killed_locks_give_their_memory_back)
{
	for (uint64_t i = 0; i < 1000; i++)
		add(1, 100 + i, 0, 0, NULL, 0);
	size_t before = asl_lograph_bytes(g);
	for (uint64_t round = 0; round < 50; round++)
		for (uint64_t i = 0; i < 1000; i++) {
			asl_lograph_kill(g, 100 + round * 1000 + i);
			add(1, 100 + (round + 1) * 1000 + i, 0, 0, NULL, 0);
		}
	cr_assert_eq(g->nedges, 1000);
	cr_assert_eq(g->nnodes, 1001);
	cr_assert_eq(asl_lograph_bytes(g), before, "the graph grew from %zu to %zu bytes", before,
	             asl_lograph_bytes(g));
}

/* Killing a lock takes its edges: a cycle that needed them is gone, one
 * through the rest stays. */
Test(lograph, kill_takes_the_edges_along)
{
	add(1, 2, 0, 0, NULL, 0);
	add(2, 3, 0, 0, NULL, 0);
	int c31 = add(3, 1, 0, 0, NULL, 0);
	cr_assert_eq(cycle_len(c31), 3);
	asl_lograph_kill(g, 2);
	cr_assert_eq(g->nedges, 1);
	cr_assert_eq(cycle_len(c31), 0, "the ring needed lock 2");
	add(1, 3, 0, 0, NULL, 0);
	cr_assert_eq(cycle_len(c31), 2, "1 -> 3 -> 1 is a cycle of its own");
}
