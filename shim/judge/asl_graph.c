/* SPDX-License-Identifier: MIT */
#include "asl_graph.h"

enum { WHITE, GREY, BLACK };

/* Iterative depth-first search.  A grey node is on the current path; an edge
 * to a grey node closes a cycle made of the path from that node on. */
int asl_graph_cycles(int n, const int *first, const int *adj, struct asl_cycles *out, int *work)
{
	int *color = work, *path = work + n, *next_edge = work + 2 * n;
	int used = 0;
	out->count = 0;
	out->start[0] = 0;
	for (int u = 0; u < n; u++)
		color[u] = WHITE;
	for (int root = 0; root < n; root++) {
		if (color[root] != WHITE)
			continue;
		int depth = 0;
		path[depth++] = root;
		color[root] = GREY;
		next_edge[root] = first[root];
		while (depth > 0) {
			int u = path[depth - 1];
			if (next_edge[u] == first[u + 1]) {
				color[u] = BLACK;
				depth--;
				continue;
			}
			int v = adj[next_edge[u]++];
			if (color[v] == WHITE) {
				color[v] = GREY;
				next_edge[v] = first[v];
				path[depth++] = v;
			} else if (color[v] == GREY) {
				int k = depth - 1;
				while (path[k] != v)
					k--;
				for (int i = k; i < depth; i++)
					out->nodes[used++] = path[i];
				out->count++;
				out->start[out->count] = used;
				/* Close the cycle's nodes so none is reported twice. */
				for (int i = k; i < depth; i++)
					next_edge[path[i]] = first[path[i] + 1];
			}
		}
	}
	return out->count;
}
