/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "asl_stackdepot.h"

#include "asl_lograph.h"

#include <string.h>
#include <sys/mman.h>

/* Stacks live in 1 MiB blocks as [hash][depth][frames...]; an id is the
 * record's word index + 1.  Guarded by the graph's lock (the caller's). */
#define BLOCK_WORDS (1u << 17)
#define MAX_BLOCKS 4096
static uintptr_t *blocks[MAX_BLOCKS];
static uint32_t nblocks, block_used;

struct table {
	uint32_t *slot; /* id, 0: empty */
	uint32_t cap, used;
};
static struct table stacks;

struct site {
	uintptr_t site;
	uint32_t stack;
};
static struct site *sites;
static uint32_t site_cap, site_used;

static void *map(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

static uintptr_t *record(uint32_t id)
{
	uint32_t w = id - 1;
	return &blocks[w / BLOCK_WORDS][w % BLOCK_WORDS];
}

static uintptr_t hash_frames(const uintptr_t *f, int depth)
{
	uint64_t h = 0x737461636b646570ull + (uint64_t)depth;
	for (int i = 0; i < depth; i++)
		h = asl_lograph_mix(h ^ f[i]);
	return (uintptr_t)(h | 1);
}

static int same(uint32_t id, uintptr_t h, const uintptr_t *f, int depth)
{
	const uintptr_t *r = record(id);
	return r[0] == h && r[1] == (uintptr_t)depth && !memcmp(r + 2, f, (size_t)depth * sizeof *f);
}

static int grow(void)
{
	uint32_t cap = stacks.cap ? stacks.cap * 2 : 4096;
	uint32_t *slot = map((size_t)cap * sizeof *slot);
	if (!slot)
		return -1;
	for (uint32_t i = 0; i < stacks.cap; i++) {
		uint32_t id = stacks.slot[i];
		if (!id)
			continue;
		uint32_t j = (uint32_t)record(id)[0] & (cap - 1);
		while (slot[j])
			j = (j + 1) & (cap - 1);
		slot[j] = id;
	}
	if (stacks.slot)
		munmap(stacks.slot, (size_t)stacks.cap * sizeof *stacks.slot);
	stacks.slot = slot;
	stacks.cap = cap;
	return 0;
}

/* Room for a record of n words: the rest of the last block, or a new one. */
static uint32_t append(uint32_t n)
{
	if (!nblocks || block_used + n > BLOCK_WORDS) {
		if (nblocks == MAX_BLOCKS || !(blocks[nblocks] = map(BLOCK_WORDS * sizeof(uintptr_t))))
			return 0;
		nblocks++;
		block_used = 0;
	}
	uint32_t id = (nblocks - 1) * BLOCK_WORDS + block_used + 1;
	block_used += n;
	return id;
}

uint32_t asl_depot_put(const uintptr_t *frames, int depth)
{
	if (depth <= 0)
		return 0;
	if ((stacks.used + 1) * 2 > stacks.cap && grow() != 0)
		return 0;
	uintptr_t h = hash_frames(frames, depth);
	uint32_t i = (uint32_t)h & (stacks.cap - 1);
	for (; stacks.slot[i]; i = (i + 1) & (stacks.cap - 1))
		if (same(stacks.slot[i], h, frames, depth))
			return stacks.slot[i];
	uint32_t id = append((uint32_t)depth + 2);
	if (!id)
		return 0;
	uintptr_t *r = record(id);
	r[0] = h;
	r[1] = (uintptr_t)depth;
	memcpy(r + 2, frames, (size_t)depth * sizeof *frames);
	stacks.slot[i] = id;
	stacks.used++;
	return id;
}

int asl_depot_get(uint32_t id, uintptr_t *out, int max)
{
	if (!id)
		return 0;
	const uintptr_t *r = record(id);
	int depth = (int)r[1] < max ? (int)r[1] : max;
	memcpy(out, r + 2, (size_t)depth * sizeof *out);
	return depth;
}

static int site_grow(void)
{
	uint32_t cap = site_cap ? site_cap * 2 : 4096;
	struct site *s = map((size_t)cap * sizeof *s);
	if (!s)
		return -1;
	for (uint32_t i = 0; i < site_cap; i++) {
		if (!sites[i].site)
			continue;
		uint32_t j = (uint32_t)asl_lograph_mix(sites[i].site) & (cap - 1);
		while (s[j].site)
			j = (j + 1) & (cap - 1);
		s[j] = sites[i];
	}
	if (sites)
		munmap(sites, (size_t)site_cap * sizeof *sites);
	sites = s;
	site_cap = cap;
	return 0;
}

void asl_depot_site_put(uintptr_t site, uint32_t stack)
{
	if (!site || !stack || ((site_used + 1) * 2 > site_cap && site_grow() != 0))
		return;
	uint32_t i = (uint32_t)asl_lograph_mix(site) & (site_cap - 1);
	for (; sites[i].site; i = (i + 1) & (site_cap - 1))
		if (sites[i].site == site)
			return; /* the first stack seen there stays */
	sites[i] = (struct site){ site, stack };
	site_used++;
}

uint32_t asl_depot_site_get(uintptr_t site)
{
	if (!site_cap)
		return 0;
	for (uint32_t i = (uint32_t)asl_lograph_mix(site) & (site_cap - 1); sites[i].site; i = (i + 1) & (site_cap - 1))
		if (sites[i].site == site)
			return sites[i].stack;
	return 0;
}

struct pair {
	uintptr_t a, b;
	struct asl_depot_pair p; /* p.stack 0: empty slot */
};
static struct pair *pairs;
static uint32_t pair_cap, pair_used;

static uint32_t pair_home(uintptr_t a, uintptr_t b, uint32_t cap)
{
	return (uint32_t)asl_lograph_mix(asl_lograph_mix(a) ^ b) & (cap - 1);
}

static int pair_grow(void)
{
	uint32_t cap = pair_cap ? pair_cap * 2 : 4096;
	struct pair *p = map((size_t)cap * sizeof *p);
	if (!p)
		return -1;
	for (uint32_t i = 0; i < pair_cap; i++) {
		if (!pairs[i].p.stack)
			continue;
		uint32_t j = pair_home(pairs[i].a, pairs[i].b, cap);
		while (p[j].p.stack)
			j = (j + 1) & (cap - 1);
		p[j] = pairs[i];
	}
	if (pairs)
		munmap(pairs, (size_t)pair_cap * sizeof *pairs);
	pairs = p;
	pair_cap = cap;
	return 0;
}

static struct pair *pair_find(uintptr_t a, uintptr_t b)
{
	if (!pair_cap)
		return NULL;
	for (uint32_t i = pair_home(a, b, pair_cap);; i = (i + 1) & (pair_cap - 1))
		if (!pairs[i].p.stack || (pairs[i].a == a && pairs[i].b == b))
			return &pairs[i];
}

void asl_depot_pair_put(uintptr_t held_site, uintptr_t site, const struct asl_depot_pair *p)
{
	struct pair *x = pair_find(held_site, site);
	if (!p->stack)
		return;
	if (!x || !x->p.stack) {
		if ((pair_used + 1) * 2 > pair_cap && pair_grow() != 0)
			return;
		x = pair_find(held_site, site);
		pair_used++;
	}
	x->a = held_site;
	x->b = site;
	x->p = *p;
}

int asl_depot_pair_get(uintptr_t held_site, uintptr_t site, struct asl_depot_pair *out)
{
	struct pair *x = pair_find(held_site, site);
	if (!x || !x->p.stack)
		return 0;
	*out = x->p;
	return 1;
}

size_t asl_depot_bytes(void)
{
	return (size_t)nblocks * BLOCK_WORDS * sizeof(uintptr_t) + (size_t)stacks.cap * sizeof(uint32_t) +
	       (size_t)site_cap * sizeof(struct site) + (size_t)pair_cap * sizeof(struct pair);
}
