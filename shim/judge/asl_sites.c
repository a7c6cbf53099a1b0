/* SPDX-License-Identifier: MIT */
#include "asl_sites.h"

static int prefix_depth(int depth)
{
	return depth < ASL_SITE_FRAMES ? depth : ASL_SITE_FRAMES;
}

static int same_prefix(const uintptr_t *a, int na, const uintptr_t *b, int nb)
{
	na = prefix_depth(na);
	if (na != prefix_depth(nb))
		return 0;
	for (int i = 0; i < na; i++)
		if (a[i] != b[i])
			return 0;
	return 1;
}

int asl_same_site(const struct asl_tsnap *a, const struct asl_tsnap *b)
{
	if (a->is_main != b->is_main || a->blocked != b->blocked ||
	    (a->life == ASL_FINISHED) != (b->life == ASL_FINISHED))
		return 0;
	if (!same_prefix(a->create_stack, a->create_depth, b->create_stack, b->create_depth))
		return 0;
	if (!a->blocked)
		return 1;
	return a->wait.kind == b->wait.kind && same_prefix(a->wait.stack, a->wait.depth, b->wait.stack, b->wait.depth);
}

int asl_sites_group(const struct asl_snapshot *s, struct asl_site *out)
{
	int n = 0;
	for (int i = 0; i < s->n; i++) {
		int g = 0;
		while (g < n && !asl_same_site(&s->t[out[g].first], &s->t[i]))
			g++;
		if (g == n)
			out[n++] = (struct asl_site){ 0, i };
		out[g].count++;
	}
	/* Insertion sort: stable, and the groups are few. */
	for (int i = 1; i < n; i++) {
		struct asl_site x = out[i];
		int j = i;
		for (; j > 0 && out[j - 1].count < x.count; j--)
			out[j] = out[j - 1];
		out[j] = x;
	}
	return n;
}
