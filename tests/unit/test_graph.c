/* SPDX-License-Identifier: MIT */
/* Cycle finding in the wait-for graph. */
#include "asl_graph.h"

#include <criterion/criterion.h>
#include <stdlib.h>

#define MAXN 64

struct graph {
	int n;
	int first[MAXN + 1];
	int adj[MAXN * 4];
};

/* Builds CSR from an edge list given as pairs. */
static void build(struct graph *g, int n, const int *edges, int nedges)
{
	int k = 0;
	g->n = n;
	for (int u = 0; u < n; u++) {
		g->first[u] = k;
		for (int e = 0; e < nedges; e++)
			if (edges[2 * e] == u)
				g->adj[k++] = edges[2 * e + 1];
	}
	g->first[n] = k;
}

static int cycles(struct graph *g, int *start, int *nodes)
{
	int work[3 * MAXN];
	struct asl_cycles c = { 0, start, nodes };
	return asl_graph_cycles(g->n, g->first, g->adj, &c, work);
}

Test(graph, no_edges_no_cycle)
{
	struct graph g = { 0 };
	int start[MAXN + 1], nodes[MAXN];
	build(&g, 5, NULL, 0);
	cr_assert_eq(cycles(&g, start, nodes), 0);
}

Test(graph, chain_and_diamond_have_no_cycle)
{
	static const int e[] = { 0, 1, 1, 2, 2, 3, 0, 4, 4, 3 };
	struct graph g = { 0 };
	int start[MAXN + 1], nodes[MAXN];
	build(&g, 5, e, 5);
	cr_assert_eq(cycles(&g, start, nodes), 0);
}

Test(graph, self_loop_is_a_cycle_of_one)
{
	static const int e[] = { 0, 1, 1, 1 };
	struct graph g = { 0 };
	int start[MAXN + 1], nodes[MAXN];
	build(&g, 2, e, 2);
	cr_assert_eq(cycles(&g, start, nodes), 1);
	cr_assert_eq(start[1] - start[0], 1);
	cr_assert_eq(nodes[0], 1);
}

Test(graph, abba_is_one_cycle_of_two)
{
	/* main(0) joins 1; 1 and 2 wait for each other */
	static const int e[] = { 0, 1, 1, 2, 2, 1 };
	struct graph g = { 0 };
	int start[MAXN + 1], nodes[MAXN];
	build(&g, 3, e, 3);
	cr_assert_eq(cycles(&g, start, nodes), 1);
	cr_assert_eq(start[1], 2);
	int a = nodes[0], b = nodes[1];
	cr_assert((a == 1 && b == 2) || (a == 2 && b == 1));
}

Test(graph, long_ring_of_twenty_five)
{
	int e[50];
	for (int i = 0; i < 25; i++) {
		e[2 * i] = i;
		e[2 * i + 1] = (i + 1) % 25;
	}
	struct graph g = { 0 };
	int start[MAXN + 1], nodes[MAXN];
	build(&g, 25, e, 25);
	cr_assert_eq(cycles(&g, start, nodes), 1);
	cr_assert_eq(start[1], 25);
	/* consecutive nodes follow edges */
	for (int i = 0; i < 25; i++)
		cr_assert_eq(nodes[(i + 1) % 25], (nodes[i] + 1) % 25);
}

Test(graph, disjoint_cycles_are_each_reported_once)
{
	/* 0<->1, 2->3->4->2, 5 waits on 2 (tail) */
	static const int e[] = { 0, 1, 1, 0, 2, 3, 3, 4, 4, 2, 5, 2 };
	struct graph g = { 0 };
	int start[MAXN + 1], nodes[MAXN];
	build(&g, 6, e, 6);
	cr_assert_eq(cycles(&g, start, nodes), 2);
	cr_assert_eq(start[2], 5, "five nodes on cycles, the tail not among them");
	int seen[6] = { 0 };
	for (int i = 0; i < start[2]; i++)
		seen[nodes[i]]++;
	for (int i = 0; i < 5; i++)
		cr_assert_eq(seen[i], 1, "node %d", i);
	cr_assert_eq(seen[5], 0);
}

Test(graph, shared_node_cycles_report_node_once)
{
	/* two cycles through node 0: 0->1->0 and 0->2->0; an rwlock writer
	 * waiting for two readers that both wait for it */
	static const int e[] = { 0, 1, 0, 2, 1, 0, 2, 0 };
	struct graph g = { 0 };
	int start[MAXN + 1], nodes[MAXN];
	build(&g, 3, e, 4);
	int c = cycles(&g, start, nodes);
	cr_assert_geq(c, 1);
	int seen[3] = { 0 };
	for (int i = 0; i < start[c]; i++)
		seen[nodes[i]]++;
	cr_assert_eq(seen[0], 1);
}

Test(graph, random_graphs_cycles_are_real)
{
	srand(12345);
	for (int round = 0; round < 2000; round++) {
		int n = 1 + rand() % 20, ne = rand() % (2 * n + 1), e[2 * 60];
		for (int i = 0; i < ne; i++) {
			e[2 * i] = rand() % n;
			e[2 * i + 1] = rand() % n;
		}
		struct graph g = { 0 };
		int start[MAXN + 1], nodes[MAXN];
		build(&g, n, e, ne);
		int c = cycles(&g, start, nodes);
		for (int k = 0; k < c; k++) {
			int len = start[k + 1] - start[k];
			cr_assert_gt(len, 0);
			for (int i = 0; i < len; i++) {
				int u = nodes[start[k] + i], v = nodes[start[k] + (i + 1) % len], found = 0;
				for (int x = g.first[u]; x < g.first[u + 1]; x++)
					found |= g.adj[x] == v;
				cr_assert(found, "round %d: %d->%d is not an edge", round, u, v);
			}
		}
		/* acyclic check: no cycle reported means a topological order exists */
		if (c == 0) {
			int indeg[MAXN] = { 0 }, queue[MAXN], qh = 0, qt = 0, done = 0;
			for (int x = 0; x < g.first[n]; x++)
				indeg[g.adj[x]]++;
			for (int u = 0; u < n; u++)
				if (!indeg[u])
					queue[qt++] = u;
			while (qh < qt) {
				int u = queue[qh++];
				done++;
				for (int x = g.first[u]; x < g.first[u + 1]; x++)
					if (--indeg[g.adj[x]] == 0)
						queue[qt++] = g.adj[x];
			}
			cr_assert_eq(done, n, "round %d: a cycle was missed", round);
		}
	}
}
