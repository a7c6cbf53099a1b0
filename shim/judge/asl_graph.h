/* SPDX-License-Identifier: MIT */
/* Cycles in a wait-for graph.  Pure: no globals, no allocation beyond what
 * the caller passes, so that it is unit-tested on its own.
 *
 * The graph has n nodes and edges first[u]..first[u+1]-1 in adj[] (CSR).
 * An edge u->v means "u waits for v".  Every wait the shim models is an AND
 * wait (a write lock needs every reader gone), so any cycle is a deadlock. */
#ifndef ASL_GRAPH_H
#define ASL_GRAPH_H

struct asl_cycles {
	int count;
	int *start; /* caller-provided, n + 1 entries: cycle c is nodes[start[c]..start[c+1]) */
	int *nodes; /* caller-provided, n entries */
};

/* Finds cycles; each node appears in at most one reported cycle, and at
 * least one cycle is reported in every strongly connected part that has one.
 * work must hold 3 * n ints.  Returns the number of cycles. */
int asl_graph_cycles(int n, const int *first, const int *adj, struct asl_cycles *out, int *work);

#endif
