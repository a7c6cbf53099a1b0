/* SPDX-License-Identifier: MIT */
#include "asl_lograph.h"

#include "asl_invariant.h"

#include <string.h>

#define NONE ASL_LO_NONE
#define CHUNK_MASK ((1u << ASL_LO_CHUNK_SHIFT) - 1)

/* A lock in the graph.  Its edges are in two doubly linked lists (out and
 * in); it belongs to one component, whose members are linked too. */
struct lo_node {
	uint64_t id;
	uintptr_t obj; /* its address and kind, for reports */
	uint32_t first_out, first_in;
	uint32_t comp, next_member, prev_member;
	uint32_t seen_epoch, seen_mask; /* the exact search's marks */
	unsigned char kind;
};

struct lo_edge {
	uint32_t from, to; /* nodes */
	uint32_t next_out, prev_out, next_in, prev_in;
	uint32_t gates; /* a gates record, or NONE */
	unsigned char from_read, to_read, to_shares, ngates;
};

struct lo_gates {
	uint64_t id[ASL_LO_GATES];
	uintptr_t obj[ASL_LO_GATES];
};

/* A strongly connected set of locks (every cycle lies inside one), placed
 * in the topological order of components by `ord`. */
struct lo_comp {
	uint64_t ord;
	uint32_t first_member, size;
	uint32_t mark_f, mark_b; /* Pearce-Kelly's forward and backward searches */
};

uint64_t asl_lograph_mix(uint64_t x)
{
	x ^= x >> 31;
	x *= 0x7fb5d329728ea185ull;
	x ^= x >> 27;
	x *= 0x81dadef4bc2dd44dull;
	return x ^ (x >> 33);
}

/* ------------------------------------------------------------------ */
/* tables of records */

static inline void *rec(const struct asl_lo_table *t, uint32_t i)
{
	return (char *)t->chunk[i >> ASL_LO_CHUNK_SHIFT] + (size_t)(i & CHUNK_MASK) * t->size;
}

static void table_init(struct asl_lo_table *t, size_t size)
{
	memset(t, 0, sizeof *t);
	t->size = size;
	t->free_head = NONE;
}

/* Makes record i addressable (its chunk mapped). */
static int table_reserve(struct asl_lograph *g, struct asl_lo_table *t, uint32_t i)
{
	uint32_t c = i >> ASL_LO_CHUNK_SHIFT;
	if (c >= ASL_LO_CHUNKS)
		return -1;
	if (!t->chunk[c] && !(t->chunk[c] = g->mem.map(t->size << ASL_LO_CHUNK_SHIFT)))
		return -1;
	if (t->n <= i)
		t->n = i + 1;
	return 0;
}

/* A zeroed record: a freed one, or the next new one.  NONE when out of
 * memory. */
static uint32_t table_alloc(struct asl_lograph *g, struct asl_lo_table *t)
{
	uint32_t i = t->free_head;
	if (i != NONE) {
		void *p = rec(t, i);
		memcpy(&t->free_head, p, sizeof t->free_head);
		memset(p, 0, t->size);
		return i;
	}
	i = t->n;
	if (i == NONE || table_reserve(g, t, i) != 0)
		return NONE;
	return i;
}

/* A freed record holds the next free one in its first bytes. */
static void table_free(struct asl_lo_table *t, uint32_t i)
{
	void *p = rec(t, i);
	memset(p, 0, t->size);
	memcpy(p, &t->free_head, sizeof t->free_head);
	t->free_head = i;
}

static void table_release(struct asl_lograph *g, struct asl_lo_table *t)
{
	for (int c = 0; c < ASL_LO_CHUNKS; c++)
		if (t->chunk[c])
			g->mem.unmap(t->chunk[c], t->size << ASL_LO_CHUNK_SHIFT);
	table_init(t, t->size);
}

static size_t table_bytes(const struct asl_lo_table *t)
{
	size_t n = 0;
	for (int c = 0; c < ASL_LO_CHUNKS; c++)
		n += t->chunk[c] ? t->size << ASL_LO_CHUNK_SHIFT : 0;
	return n;
}

#define NODE(g, i) ((struct lo_node *)rec(&(g)->nodes, (i)))
#define EDGE(g, i) ((struct lo_edge *)rec(&(g)->edges, (i)))
#define COMP(g, i) ((struct lo_comp *)rec(&(g)->comps, (i)))
#define GATES(g, i) ((struct lo_gates *)rec(&(g)->gates, (i)))

/* ------------------------------------------------------------------ */
/* hash tables (linear probing, at most half full, backward-shift delete) */

static uint32_t node_key_hash(const struct asl_lograph *g, uint32_t n)
{
	return (uint32_t)asl_lograph_mix(NODE(g, n)->id);
}

static uint32_t edge_hash_of(uint32_t from, uint32_t to, int from_read, int to_read)
{
	uint64_t k = ((uint64_t)from << 32 | to) * 4 + (uint64_t)from_read * 2 + (uint64_t)to_read;
	return (uint32_t)asl_lograph_mix(k ^ 0x9e3779b97f4a7c15ull);
}

static uint32_t edge_key_hash(const struct asl_lograph *g, uint32_t e)
{
	const struct lo_edge *x = EDGE(g, e);
	return edge_hash_of(x->from, x->to, x->from_read, x->to_read);
}

typedef uint32_t (*key_hash_fn)(const struct asl_lograph *g, uint32_t rec);

/* Room for one more entry; rehashes into a table twice the size. */
static int hash_make_room(struct asl_lograph *g, struct asl_lo_hash *h, key_hash_fn kh)
{
	if ((h->used + 1) * 2 <= h->cap)
		return 0;
	uint32_t cap = h->cap ? h->cap * 2 : 1024;
	if (cap < h->cap)
		return -1;
	uint32_t *slot = g->mem.map((size_t)cap * sizeof *slot);
	if (!slot)
		return -1;
	for (uint32_t i = 0; i < h->cap; i++) {
		uint32_t v = h->slot[i];
		if (!v)
			continue;
		uint32_t j = kh(g, v - 1) & (cap - 1);
		while (slot[j])
			j = (j + 1) & (cap - 1);
		slot[j] = v;
	}
	if (h->slot)
		g->mem.unmap(h->slot, (size_t)h->cap * sizeof *h->slot);
	h->slot = slot;
	h->cap = cap;
	return 0;
}

/* Empties slot i, moving later entries of its run back so that every entry
 * stays reachable from its home slot. */
static void hash_delete_at(const struct asl_lograph *g, struct asl_lo_hash *h, uint32_t i, key_hash_fn kh)
{
	uint32_t mask = h->cap - 1, j = i;
	for (;;) {
		h->slot[i] = 0;
		for (;;) {
			j = (j + 1) & mask;
			if (!h->slot[j]) {
				h->used--;
				return;
			}
			uint32_t home = kh(g, h->slot[j] - 1) & mask;
			/* stays when home lies cyclically in (i, j] */
			if (i <= j ? (i < home && home <= j) : (i < home || home <= j))
				continue;
			break;
		}
		h->slot[i] = h->slot[j];
		i = j;
	}
}

/* The node with this id (NONE), and the slot where it is or would go. */
static uint32_t node_find(const struct asl_lograph *g, uint64_t id, uint32_t *slot)
{
	const struct asl_lo_hash *h = &g->node_hash;
	if (!h->cap) {
		*slot = NONE;
		return NONE;
	}
	for (uint32_t i = (uint32_t)asl_lograph_mix(id) & (h->cap - 1);; i = (i + 1) & (h->cap - 1)) {
		uint32_t v = h->slot[i];
		if (!v || NODE(g, v - 1)->id == id) {
			*slot = i;
			return v ? v - 1 : NONE;
		}
	}
}

static uint32_t edge_find(const struct asl_lograph *g, uint32_t from, uint32_t to, int from_read, int to_read,
                          uint32_t *slot)
{
	const struct asl_lo_hash *h = &g->edge_hash;
	if (!h->cap) {
		*slot = NONE;
		return NONE;
	}
	for (uint32_t i = edge_hash_of(from, to, from_read, to_read) & (h->cap - 1);; i = (i + 1) & (h->cap - 1)) {
		uint32_t v = h->slot[i];
		const struct lo_edge *x = v ? EDGE(g, v - 1) : NULL;
		if (!x || (x->from == from && x->to == to && x->from_read == from_read && x->to_read == to_read)) {
			*slot = i;
			return v ? v - 1 : NONE;
		}
	}
}

/* ------------------------------------------------------------------ */
/* scratch arrays */

static void *scratch(struct asl_lograph *g, struct asl_lo_scratch *s, size_t need)
{
	if (need <= s->len)
		return s->p;
	size_t len = s->len ? s->len : 16384;
	while (len < need)
		len *= 2;
	void *p = g->mem.map(len);
	if (!p)
		return NULL;
	if (s->p) {
		memcpy(p, s->p, s->len);
		g->mem.unmap(s->p, s->len);
	}
	s->p = p;
	s->len = len;
	return p;
}

static void scratch_release(struct asl_lograph *g, struct asl_lo_scratch *s)
{
	if (s->p)
		g->mem.unmap(s->p, s->len);
	s->p = NULL;
	s->len = 0;
}

/* A new search: fresh marks.  On wrap-around every mark is cleared. */
static uint32_t next_epoch(struct asl_lograph *g)
{
	if (++g->epoch != 0)
		return g->epoch;
	for (uint32_t i = 0; i < g->comps.n; i++)
		COMP(g, i)->mark_f = COMP(g, i)->mark_b = 0;
	for (uint32_t i = 0; i < g->nodes.n; i++)
		NODE(g, i)->seen_epoch = 0;
	return g->epoch = 1;
}

/* ------------------------------------------------------------------ */

void asl_lograph_init(struct asl_lograph *g, const struct asl_lo_mem *mem, uint32_t max_edges, size_t payload)
{
	memset(g, 0, sizeof *g);
	g->mem = *mem;
	g->max_edges = max_edges ? max_edges : NONE - 1;
	g->payload = payload;
	table_init(&g->nodes, sizeof(struct lo_node));
	table_init(&g->edges, sizeof(struct lo_edge));
	table_init(&g->comps, sizeof(struct lo_comp));
	table_init(&g->gates, sizeof(struct lo_gates));
	table_init(&g->payloads, payload ? payload : 1);
}

void asl_lograph_free(struct asl_lograph *g)
{
	table_release(g, &g->nodes);
	table_release(g, &g->edges);
	table_release(g, &g->comps);
	table_release(g, &g->gates);
	table_release(g, &g->payloads);
	if (g->node_hash.slot)
		g->mem.unmap(g->node_hash.slot, (size_t)g->node_hash.cap * sizeof(uint32_t));
	if (g->edge_hash.slot)
		g->mem.unmap(g->edge_hash.slot, (size_t)g->edge_hash.cap * sizeof(uint32_t));
	scratch_release(g, &g->s_fwd);
	scratch_release(g, &g->s_bwd);
	scratch_release(g, &g->s_stack);
	scratch_release(g, &g->s_q);
	struct asl_lo_mem mem = g->mem;
	asl_lograph_init(g, &mem, g->max_edges, g->payload);
}

size_t asl_lograph_bytes(const struct asl_lograph *g)
{
	return table_bytes(&g->nodes) + table_bytes(&g->edges) + table_bytes(&g->comps) + table_bytes(&g->gates) +
	       table_bytes(&g->payloads) + ((size_t)g->node_hash.cap + g->edge_hash.cap) * sizeof(uint32_t) +
	       g->s_fwd.len + g->s_bwd.len + g->s_stack.len + g->s_q.len;
}

/* The node for id, made (alone in a new component, last in the order) if
 * it is not there yet.  NONE when out of memory. */
static uint32_t node_get(struct asl_lograph *g, uint64_t id, uintptr_t obj, unsigned char kind)
{
	uint32_t slot, n = node_find(g, id, &slot);
	if (n != NONE)
		return n;
	if (hash_make_room(g, &g->node_hash, node_key_hash) != 0)
		return NONE;
	node_find(g, id, &slot);
	n = table_alloc(g, &g->nodes);
	uint32_t c = n == NONE ? NONE : table_alloc(g, &g->comps);
	if (c == NONE) {
		if (n != NONE)
			table_free(&g->nodes, n);
		return NONE;
	}
	struct lo_node *x = NODE(g, n);
	x->id = id;
	x->obj = obj;
	x->kind = kind;
	x->first_out = x->first_in = NONE;
	x->comp = c;
	x->next_member = x->prev_member = NONE;
	struct lo_comp *k = COMP(g, c);
	k->ord = g->next_ord++;
	k->first_member = n;
	k->size = 1;
	g->node_hash.slot[slot] = n + 1;
	g->node_hash.used++;
	g->nnodes++;
	return n;
}

static int has_gate(const uint64_t *ids, int n, uint64_t id)
{
	for (int i = 0; i < n; i++)
		if (ids[i] == id)
			return 1;
	return 0;
}

/* Keeps only the gates this sighting also held.  Returns 1 when some went. */
static int narrow_gates(struct asl_lograph *g, struct lo_edge *x, const struct asl_lo_edge *seen)
{
	if (!x->ngates)
		return 0;
	struct lo_gates *gs = GATES(g, x->gates);
	int k = 0, before = x->ngates;
	for (int i = 0; i < before; i++) {
		if (!has_gate(seen->gates, seen->ngates, gs->id[i]))
			continue;
		gs->id[k] = gs->id[i];
		gs->obj[k] = gs->obj[i];
		k++;
	}
	x->ngates = (unsigned char)k;
	if (!k) {
		table_free(&g->gates, x->gates);
		x->gates = NONE;
	}
	return k != before;
}

/* ------------------------------------------------------------------ */
/* the order of components (Pearce-Kelly) */

/* Heapsort (no allocation, no recursion: callers hold the graph's lock):
 * n items of `size` bytes (at most 16), ordered by less(a, b, ctx). */
typedef int (*less_fn)(const void *a, const void *b, const void *ctx);

static void swap_items(char *a, uint32_t i, uint32_t j, size_t size)
{
	char tmp[16];
	memcpy(tmp, a + i * size, size);
	memcpy(a + i * size, a + j * size, size);
	memcpy(a + j * size, tmp, size);
}

static void sift_down(char *a, uint32_t root, uint32_t end, size_t size, less_fn less, const void *ctx)
{
	for (;;) {
		uint32_t child = 2 * root + 1;
		if (child >= end)
			return;
		if (child + 1 < end && less(a + child * size, a + (child + 1) * size, ctx))
			child++;
		if (!less(a + root * size, a + child * size, ctx))
			return;
		swap_items(a, root, child, size);
		root = child;
	}
}

static void heap_sort(void *base, uint32_t n, size_t size, less_fn less, const void *ctx)
{
	char *a = base;
	ASL_INVARIANT(size <= 16, "heap_sort: items too big");
	for (uint32_t i = n / 2; i-- > 0;)
		sift_down(a, i, n, size, less, ctx);
	for (uint32_t end = n; end-- > 1;) {
		swap_items(a, 0, end, size);
		sift_down(a, 0, end, size, less, ctx);
	}
}

static int comp_less(const void *a, const void *b, const void *ctx)
{
	const struct asl_lograph *g = ctx;
	return COMP(g, *(const uint32_t *)a)->ord < COMP(g, *(const uint32_t *)b)->ord;
}

static int u64_less(const void *a, const void *b, const void *unused)
{
	(void)unused;
	return *(const uint64_t *)a < *(const uint64_t *)b;
}

/* Depth-first over components from `start`, forward (out edges) with ord at
 * most `bound`, or backward (in edges) with ord at least `bound`.  Fills
 * list with the components reached (start included); returns how many, or
 * -1 when out of memory. */
static int64_t pk_search(struct asl_lograph *g, uint32_t start, uint64_t bound, int forward, uint32_t epoch,
                         struct asl_lo_scratch *out)
{
	uint32_t n = 0, top = 0, *list, *stack;
	COMP(g, start)->mark_f = forward ? epoch : COMP(g, start)->mark_f;
	COMP(g, start)->mark_b = forward ? COMP(g, start)->mark_b : epoch;
	if (!(stack = scratch(g, &g->s_stack, sizeof *stack)))
		return -1;
	stack[top++] = start;
	while (top > 0) {
		uint32_t c = ((uint32_t *)g->s_stack.p)[--top];
		if (!(list = scratch(g, out, ((size_t)n + 1) * sizeof *list)))
			return -1;
		list[n++] = c;
		for (uint32_t m = COMP(g, c)->first_member; m != NONE; m = NODE(g, m)->next_member) {
			const struct lo_node *x = NODE(g, m);
			for (uint32_t e = forward ? x->first_out : x->first_in; e != NONE;) {
				const struct lo_edge *y = EDGE(g, e);
				uint32_t d = NODE(g, forward ? y->to : y->from)->comp;
				e = forward ? y->next_out : y->next_in;
				struct lo_comp *k = COMP(g, d);
				if (d == c || (forward ? k->ord > bound : k->ord < bound))
					continue;
				uint32_t *mark = forward ? &k->mark_f : &k->mark_b;
				if (*mark == epoch)
					continue;
				*mark = epoch;
				if (!(stack = scratch(g, &g->s_stack, ((size_t)top + 1) * sizeof *stack)))
					return -1;
				stack[top++] = d;
			}
		}
	}
	return n;
}

/* Moves every member of component `from` into `to`. */
static void comp_merge(struct asl_lograph *g, uint32_t to, uint32_t from)
{
	struct lo_comp *a = COMP(g, to), *b = COMP(g, from);
	uint32_t last = NONE;
	for (uint32_t m = b->first_member; m != NONE; m = NODE(g, m)->next_member) {
		NODE(g, m)->comp = to;
		last = m;
	}
	if (last != NONE) {
		NODE(g, last)->next_member = a->first_member;
		if (a->first_member != NONE)
			NODE(g, a->first_member)->prev_member = last;
		a->first_member = b->first_member;
	}
	a->size += b->size;
	table_free(&g->comps, from);
}

/* Edge cu -> cv between components placed the other way round (ord[cu] >
 * ord[cv]).  Pearce-Kelly: the components between them in the order that
 * cv reaches (F) are moved after those that reach cu (B), into the same
 * order slots.  When cv reaches cu, the components on those paths (in both
 * F and B) now form one cycle: they merge into one component, placed
 * between the rest of B and the rest of F.  -1: out of memory (the order is
 * left as it was, which keeps it valid for the old edges; the caller then
 * merges nothing and must treat the two as one: see add). */
static int pk_insert(struct asl_lograph *g, uint32_t cu, uint32_t cv)
{
	uint64_t lb = COMP(g, cv)->ord, ub = COMP(g, cu)->ord;
	uint32_t epoch = next_epoch(g);
	int64_t nf = pk_search(g, cv, ub, 1, epoch, &g->s_fwd);
	int64_t nb = nf < 0 ? -1 : pk_search(g, cu, lb, 0, epoch, &g->s_bwd);
	if (nb < 0)
		return -1;
	uint32_t *F = g->s_fwd.p, *B = g->s_bwd.p;
	int cycle = COMP(g, cu)->mark_f == epoch;
	/* the order slots of every component involved, ascending */
	uint64_t *slots = scratch(g, &g->s_q, (size_t)(nf + nb) * sizeof *slots);
	if (!slots)
		return -1;
	uint32_t ns = 0;
	for (int64_t i = 0; i < nb; i++)
		slots[ns++] = COMP(g, B[i])->ord;
	for (int64_t i = 0; i < nf; i++)
		if (COMP(g, F[i])->mark_b != epoch)
			slots[ns++] = COMP(g, F[i])->ord;
	heap_sort(slots, ns, sizeof *slots, u64_less, NULL);
	/* drop the cycle's components from F and B (F first: merging frees
	 * components), merging them into one */
	uint32_t merged = NONE, kb = 0, kf = 0;
	for (int64_t i = 0; i < nf; i++)
		if (!cycle || COMP(g, F[i])->mark_b != epoch)
			F[kf++] = F[i];
	for (int64_t i = 0; i < nb; i++) {
		uint32_t c = B[i];
		if (!cycle || COMP(g, c)->mark_f != epoch) {
			B[kb++] = c;
			continue;
		}
		if (merged == NONE) {
			merged = c;
		} else if (COMP(g, c)->size > COMP(g, merged)->size) {
			comp_merge(g, c, merged);
			merged = c;
		} else {
			comp_merge(g, merged, c);
		}
	}
	heap_sort(B, kb, sizeof *B, comp_less, g);
	heap_sort(F, kf, sizeof *F, comp_less, g);
	/* B takes the lowest slots and F the highest, so that no component of B
	 * moves up and none of F moves down (what keeps the edges from and to
	 * the components left alone in order); the merged one goes between. */
	ASL_INVARIANT(kb + kf + (merged != NONE) <= ns, "Pearce-Kelly has more components than slots");
	for (uint32_t i = 0; i < kb; i++)
		COMP(g, B[i])->ord = slots[i];
	if (merged != NONE)
		COMP(g, merged)->ord = slots[kb];
	for (uint32_t i = 0; i < kf; i++)
		COMP(g, F[i])->ord = slots[ns - kf + i];
	return 0;
}

/* ------------------------------------------------------------------ */

static void link_edge(struct asl_lograph *g, uint32_t i)
{
	struct lo_edge *e = EDGE(g, i);
	struct lo_node *f = NODE(g, e->from), *t = NODE(g, e->to);
	e->prev_out = e->prev_in = NONE;
	e->next_out = f->first_out;
	if (f->first_out != NONE)
		EDGE(g, f->first_out)->prev_out = i;
	f->first_out = i;
	e->next_in = t->first_in;
	if (t->first_in != NONE)
		EDGE(g, t->first_in)->prev_in = i;
	t->first_in = i;
}

static void unlink_edge(struct asl_lograph *g, uint32_t i)
{
	struct lo_edge *e = EDGE(g, i);
	if (e->prev_out != NONE)
		EDGE(g, e->prev_out)->next_out = e->next_out;
	else
		NODE(g, e->from)->first_out = e->next_out;
	if (e->next_out != NONE)
		EDGE(g, e->next_out)->prev_out = e->prev_out;
	if (e->prev_in != NONE)
		EDGE(g, e->prev_in)->next_in = e->next_in;
	else
		NODE(g, e->to)->first_in = e->next_in;
	if (e->next_in != NONE)
		EDGE(g, e->next_in)->prev_in = e->prev_in;
}

int asl_lograph_known(const struct asl_lograph *g, const struct asl_lo_edge *e)
{
	uint32_t slot, fn, tn, i;
	if ((fn = node_find(g, e->from, &slot)) == NONE || (tn = node_find(g, e->to, &slot)) == NONE)
		return 0;
	if ((i = edge_find(g, fn, tn, e->from_read, e->to_read, &slot)) == NONE)
		return 0;
	const struct lo_edge *x = EDGE(g, i);
	if (!x->ngates)
		return 1;
	const struct lo_gates *gs = GATES(g, x->gates);
	for (int k = 0; k < x->ngates; k++)
		if (!has_gate(e->gates, e->ngates, gs->id[k]))
			return 0;
	return 1;
}

int asl_lograph_add(struct asl_lograph *g, const struct asl_lo_edge *e, int *changed, int *is_new)
{
	uint32_t slot, fn, tn;
	*changed = *is_new = 0;
	ASL_INVARIANT(e->from != e->to && e->from && e->to, "a lock-order edge from a lock to itself, or to lock 0");
	fn = node_find(g, e->from, &slot);
	tn = node_find(g, e->to, &slot);
	if (fn != NONE && tn != NONE) {
		uint32_t i = edge_find(g, fn, tn, e->from_read, e->to_read, &slot);
		if (i != NONE) {
			*changed = narrow_gates(g, EDGE(g, i), e);
			return (int)i;
		}
	}
	if (g->nedges >= g->max_edges || g->nedges >= (uint32_t)INT32_MAX)
		goto drop;
	if ((fn = node_get(g, e->from, e->from_obj, e->from_kind)) == NONE ||
	    (tn = node_get(g, e->to, e->to_obj, e->to_kind)) == NONE)
		goto drop;
	if (hash_make_room(g, &g->edge_hash, edge_key_hash) != 0)
		goto drop;
	uint32_t gi = NONE, i = table_alloc(g, &g->edges);
	if (i == NONE || table_reserve(g, &g->payloads, i) != 0 ||
	    (e->ngates && (gi = table_alloc(g, &g->gates)) == NONE)) {
		if (i != NONE)
			table_free(&g->edges, i);
		goto drop;
	}
	struct lo_edge *x = EDGE(g, i);
	x->from = fn;
	x->to = tn;
	x->from_read = e->from_read;
	x->to_read = e->to_read;
	x->to_shares = e->to_shares;
	x->ngates = e->ngates > ASL_LO_GATES ? ASL_LO_GATES : e->ngates;
	x->gates = gi;
	if (gi != NONE) {
		memcpy(GATES(g, gi)->id, e->gates, x->ngates * sizeof e->gates[0]);
		memcpy(GATES(g, gi)->obj, e->gate_obj, x->ngates * sizeof e->gate_obj[0]);
	}
	memset(rec(&g->payloads, i), 0, g->payloads.size);
	link_edge(g, i);
	edge_find(g, fn, tn, e->from_read, e->to_read, &slot);
	g->edge_hash.slot[slot] = i + 1;
	g->edge_hash.used++;
	g->nedges++;
	uint32_t cu = NODE(g, fn)->comp, cv = NODE(g, tn)->comp;
	if (cu != cv && COMP(g, cu)->ord > COMP(g, cv)->ord && pk_insert(g, cu, cv) != 0) {
		/* No memory to reorder: the edge is taken back (never added). */
		unlink_edge(g, i);
		edge_find(g, fn, tn, e->from_read, e->to_read, &slot);
		hash_delete_at(g, &g->edge_hash, slot, edge_key_hash);
		if (gi != NONE)
			table_free(&g->gates, gi);
		table_free(&g->edges, i);
		g->nedges--;
		goto drop;
	}
	*changed = *is_new = 1;
	return (int)i;
drop:
	g->dropped++;
	return -1;
}

static void free_edge(struct asl_lograph *g, uint32_t i)
{
	struct lo_edge *e = EDGE(g, i);
	uint32_t slot;
	unlink_edge(g, i);
	edge_find(g, e->from, e->to, e->from_read, e->to_read, &slot);
	hash_delete_at(g, &g->edge_hash, slot, edge_key_hash);
	if (e->gates != NONE)
		table_free(&g->gates, e->gates);
	table_free(&g->edges, i);
	g->nedges--;
}

void asl_lograph_kill(struct asl_lograph *g, uint64_t id)
{
	uint32_t slot, n = node_find(g, id, &slot);
	if (n == NONE)
		return;
	struct lo_node *x = NODE(g, n);
	while (x->first_out != NONE)
		free_edge(g, x->first_out);
	while (x->first_in != NONE)
		free_edge(g, x->first_in);
	node_find(g, id, &slot);
	hash_delete_at(g, &g->node_hash, slot, node_key_hash);
	/* out of its component (which stays one: conservative) */
	struct lo_comp *c = COMP(g, x->comp);
	if (x->prev_member != NONE)
		NODE(g, x->prev_member)->next_member = x->next_member;
	else
		c->first_member = x->next_member;
	if (x->next_member != NONE)
		NODE(g, x->next_member)->prev_member = x->prev_member;
	if (--c->size == 0)
		table_free(&g->comps, x->comp);
	table_free(&g->nodes, n);
	g->nnodes--;
}

void asl_lograph_edge(const struct asl_lograph *g, int ei, struct asl_lo_edge *out)
{
	const struct lo_edge *x = EDGE(g, (uint32_t)ei);
	memset(out, 0, sizeof *out);
	const struct lo_node *f = NODE(g, x->from), *t = NODE(g, x->to);
	out->from = f->id;
	out->to = t->id;
	out->from_obj = f->obj;
	out->to_obj = t->obj;
	out->from_kind = f->kind;
	out->to_kind = t->kind;
	out->from_read = x->from_read;
	out->to_read = x->to_read;
	out->to_shares = x->to_shares;
	out->ngates = x->ngates;
	if (x->ngates) {
		memcpy(out->gates, GATES(g, x->gates)->id, x->ngates * sizeof out->gates[0]);
		memcpy(out->gate_obj, GATES(g, x->gates)->obj, x->ngates * sizeof out->gate_obj[0]);
	}
}

void *asl_lograph_payload(const struct asl_lograph *g, int ei)
{
	return rec(&g->payloads, (uint32_t)ei);
}

/* ------------------------------------------------------------------ */
/* the exact search for a cycle that could deadlock */

struct q_item {
	uint32_t edge;
	int32_t prev;
	uint32_t mask;
};

/* Arriving at e->to: could a reader holding it let this arrival in? */
static int arrives_shared(const struct lo_edge *e)
{
	return e->to_read && e->to_shares;
}

/* Bits of e0's gates that f was taken without. */
static unsigned gates_missing(const struct asl_lograph *g, const struct lo_edge *e0, const struct lo_edge *f)
{
	if (!e0->ngates)
		return 0;
	const struct lo_gates *a = GATES(g, e0->gates);
	const uint64_t *b = f->ngates ? GATES(g, f->gates)->id : NULL;
	unsigned m = 0;
	for (int i = 0; i < e0->ngates; i++)
		if (!b || !has_gate(b, f->ngates, a->id[i]))
			m |= 1u << i;
	return m;
}

static int unwind_path(const struct q_item *q, int ei, uint32_t last, int32_t qi, int *out, int max)
{
	int n = 0, rev[ASL_LO_CYCLE_MAX], nr = 0;
	out[n++] = ei;
	rev[nr++] = (int)last;
	for (int32_t k = qi; q[k].prev >= 0 && nr < ASL_LO_CYCLE_MAX; k = q[k].prev)
		rev[nr++] = (int)q[k].edge;
	if (nr + 1 > max)
		return 0;
	while (nr > 0)
		out[n++] = rev[--nr];
	return n;
}

/* Breadth-first from e0's target back to its source, inside their
 * component (a cycle cannot leave it).  A search state is (lock,
 * arrived-as-a-sharing-reader, which of e0's gates some edge on the path
 * lacks), so each lock is expanded at most 32 times. */
int asl_lograph_cycle(struct asl_lograph *g, int ei, int *out, int max)
{
	const struct lo_edge *e0 = EDGE(g, (uint32_t)ei);
	uint32_t comp = NODE(g, e0->from)->comp;
	if (NODE(g, e0->to)->comp != comp)
		return 0; /* no path back: the order says so */
	unsigned full = (1u << e0->ngates) - 1;
	uint32_t epoch = next_epoch(g);
	int32_t head = 0, tail = 0;
	struct q_item *q = scratch(g, &g->s_q, sizeof *q);
	if (!q)
		return 0;
	q[tail++] = (struct q_item){ (uint32_t)ei, -1, 0 };
	while (head < tail) {
		int32_t qi = head++;
		const struct lo_edge *in = EDGE(g, q[qi].edge);
		int shared = arrives_shared(in);
		for (uint32_t f = NODE(g, in->to)->first_out; f != NONE; f = EDGE(g, f)->next_out) {
			const struct lo_edge *F = EDGE(g, f);
			struct lo_node *to = NODE(g, F->to);
			if (to->comp != comp || (shared && F->from_read))
				continue;
			unsigned m = q[qi].mask | gates_missing(g, e0, F);
			if (F->to == e0->from) {
				if ((arrives_shared(F) && e0->from_read) || m != full)
					continue;
				return unwind_path(q, ei, f, qi, out, max);
			}
			uint32_t bit = 1u << ((unsigned)arrives_shared(F) << 4 | m);
			if (to->seen_epoch != epoch) {
				to->seen_epoch = epoch;
				to->seen_mask = 0;
			}
			if (to->seen_mask & bit)
				continue;
			to->seen_mask |= bit;
			if (!(q = scratch(g, &g->s_q, ((size_t)tail + 1) * sizeof *q)))
				return 0;
			q[tail++] = (struct q_item){ f, qi, m };
		}
	}
	return 0;
}

/* ------------------------------------------------------------------ */

int asl_lograph_check(const struct asl_lograph *g)
{
	uint32_t nodes = 0, edges = 0;
	for (uint32_t h = 0; h < g->node_hash.cap; h++) {
		uint32_t v = g->node_hash.slot[h];
		if (!v)
			continue;
		const struct lo_node *x = NODE(g, v - 1);
		uint32_t slot;
		if (node_find(g, x->id, &slot) != v - 1)
			return 1; /* a node the hash cannot find */
		nodes++;
		const struct lo_comp *c = COMP(g, x->comp);
		int member = 0;
		for (uint32_t m = c->first_member; m != NONE && !member; m = NODE(g, m)->next_member)
			member = m == v - 1;
		if (!member)
			return 2; /* not in its component's member list */
		for (uint32_t e = x->first_out; e != NONE; e = EDGE(g, e)->next_out) {
			const struct lo_edge *y = EDGE(g, e);
			if (y->from != v - 1)
				return 3; /* an out-list holds another node's edge */
			if (edge_find(g, y->from, y->to, y->from_read, y->to_read, &slot) != e)
				return 4; /* an edge the hash cannot find */
			const struct lo_comp *d = COMP(g, NODE(g, y->to)->comp);
			if (NODE(g, y->to)->comp != x->comp && c->ord >= d->ord)
				return 5; /* the order of components broken */
			int in = 0;
			for (uint32_t f = NODE(g, y->to)->first_in; f != NONE && !in; f = EDGE(g, f)->next_in)
				in = f == e;
			if (!in)
				return 6; /* missing from its target's in-list */
			edges++;
		}
	}
	if (nodes != g->nnodes || nodes != g->node_hash.used)
		return 7;
	if (edges != g->nedges || edges != g->edge_hash.used)
		return 8;
	return 0;
}
