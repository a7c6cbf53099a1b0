/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE /* open_memstream */
#include "format_dot.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "escape.h"
#include "finding.h"
#include "format.h"
#include "frame.h"

/* --format dot: the wait-for cycles of deadlock findings and the
 * lock-order cycles of lock-order-inversion findings as a Graphviz
 * graph, one cluster per dump.  Threads are boxes, locks and other wait
 * objects ellipses; a waiting thread points at what it waits for ("waits
 * for", at its wait site), a lock at its holder ("held by"); lock-order
 * edges go from the lock held to the lock then taken, labelled with the
 * thread and the acquisition site.  Node names are generated (d0n3), so
 * only labels carry dump strings, each escaped. */

struct gnode {
	bool thread;
	long long tid;      /* thread nodes */
	const char *object; /* object nodes */
	const char *kind;
};

enum edge_style { EDGE_WAIT, EDGE_HELD, EDGE_ORDER };

struct gedge {
	size_t from, to;
	enum edge_style style;
	char *label; /* lines separated by '\n', control bytes escaped */
};

struct graph {
	struct symbolizer *sym;
	const struct dump *d;
	struct gnode *nodes;
	size_t n_nodes, cap_nodes;
	struct gedge *edges;
	size_t n_edges, cap_edges;
	bool failed;
};

static bool grow(void **arr, size_t *cap, size_t n, size_t size)
{
	void *p;

	if (n < *cap)
		return true;
	p = realloc(*arr, (*cap ? 2 * *cap : 8) * size);
	if (!p)
		return false;
	*arr = p;
	*cap = *cap ? 2 * *cap : 8;
	return true;
}

static size_t thread_node(struct graph *g, long long tid)
{
	size_t i;

	for (i = 0; i < g->n_nodes; i++)
		if (g->nodes[i].thread && g->nodes[i].tid == tid)
			return i;
	if (!grow((void **)&g->nodes, &g->cap_nodes, g->n_nodes, sizeof(*g->nodes))) {
		g->failed = true;
		return 0;
	}
	g->nodes[g->n_nodes] = (struct gnode){ .thread = true, .tid = tid };
	return g->n_nodes++;
}

static size_t object_node(struct graph *g, const char *object, const char *kind)
{
	size_t i;

	for (i = 0; i < g->n_nodes; i++)
		if (!g->nodes[i].thread && strcmp(g->nodes[i].object, object) == 0)
			return i;
	if (!grow((void **)&g->nodes, &g->cap_nodes, g->n_nodes, sizeof(*g->nodes))) {
		g->failed = true;
		return 0;
	}
	g->nodes[g->n_nodes] = (struct gnode){ .object = object, .kind = kind };
	return g->n_nodes++;
}

/* Takes label; an edge already drawn (the same cycle in two findings)
 * is not drawn again. */
static void add_edge(struct graph *g, size_t from, size_t to, enum edge_style st, char *label)
{
	size_t i;

	if (!label || g->failed) {
		g->failed = true;
		free(label);
		return;
	}
	for (i = 0; i < g->n_edges; i++) {
		struct gedge *e = &g->edges[i];
		if (e->from == from && e->to == to && e->style == st && strcmp(e->label, label) == 0) {
			free(label);
			return;
		}
	}
	if (!grow((void **)&g->edges, &g->cap_edges, g->n_edges, sizeof(*g->edges))) {
		g->failed = true;
		free(label);
		return;
	}
	g->edges[g->n_edges++] = (struct gedge){ from, to, st, label };
}

/* "HEAD\nAT FRAME", the second line omitted without a frame. */
static char *where_label(struct graph *g, const char *head, const char *at, const struct dump_frame *f)
{
	char *buf = NULL, *label;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);

	if (!mem)
		return NULL;
	print_escaped(mem, head);
	if (f) {
		label = frame_label(g->sym, g->d, f);
		fprintf(mem, "\n%s %s", at, label ? label : "?");
		g->failed |= !label;
		free(label);
	}
	if (fclose(mem) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

static const struct dump_frame *wait_site(const struct dump *d, long long tid)
{
	const struct dump_thread *t = dump_find_thread(d, tid);

	return t && t->stack.n ? &t->stack.frames[0] : NULL;
}

/* Where the owner took the lock, from its held list. */
static const struct dump_frame *held_site(const struct dump *d, long long owner, const char *object)
{
	const struct dump_thread *t = dump_find_thread(d, owner);
	size_t i;

	for (i = 0; t && i < t->n_held; i++)
		if (t->held[i].has_site && strcmp(t->held[i].object, object) == 0)
			return &t->held[i].site;
	return NULL;
}

static void add_cycle(struct graph *g, const struct dump_finding *f)
{
	const struct dump_cycle_step *c;
	size_t i, waiter, obj, owner;

	for (i = 0; i < f->n_cycle; i++) {
		c = &f->cycle[i];
		waiter = thread_node(g, c->tid);
		owner = thread_node(g, c->owner);
		if (strcmp(c->kind, "join") == 0) {
			add_edge(g, waiter, owner, EDGE_WAIT,
			         where_label(g, "waits to join", "at", wait_site(g->d, c->tid)));
			continue;
		}
		obj = object_node(g, c->object, c->kind);
		add_edge(g, waiter, obj, EDGE_WAIT, where_label(g, "waits for", "at", wait_site(g->d, c->tid)));
		if (asl_wait_kind_is_lock(c->kind))
			add_edge(g, obj, owner, EDGE_HELD,
			         where_label(g, "held by", "taken at", held_site(g->d, c->owner, c->object)));
		else
			add_edge(g, obj, owner, EDGE_HELD, where_label(g, "needs", NULL, NULL));
	}
}

static void add_order(struct graph *g, const struct dump_finding *f)
{
	char *head = NULL;
	size_t i, held, acquired;

	for (i = 0; i < f->n_order; i++) {
		const struct dump_order_edge *e = &f->order[i];
		held = object_node(g, e->held, e->held_kind);
		acquired = object_node(g, e->acquired, e->acquired_kind);
		if (asprintf(&head, "then %s taken by tid %lld%s%s%s", e->acquired_kind, e->tid, e->thread ? " \"" : "",
		             e->thread ? e->thread : "", e->thread ? "\"" : "") < 0) {
			g->failed = true;
			continue;
		}
		add_edge(g, held, acquired, EDGE_ORDER,
		         where_label(g, head, "at", e->acquire_stack.n ? &e->acquire_stack.frames[0] : NULL));
		free(head);
	}
}

static void graph_free(struct graph *g)
{
	size_t i;

	for (i = 0; i < g->n_edges; i++)
		free(g->edges[i].label);
	free(g->edges);
	free(g->nodes);
}

/* A label: each line escaped, lines joined by DOT's \n. */
static void dot_label(FILE *out, const char *s)
{
	const char *nl;
	char *line;

	putc('"', out);
	for (;;) {
		nl = strchr(s, '\n');
		line = strndup(s, nl ? (size_t)(nl - s) : strlen(s));
		dot_escape(out, line ? line : "?");
		free(line);
		if (!nl)
			break;
		fputs("\\n", out);
		s = nl + 1;
	}
	putc('"', out);
}

static void write_nodes(FILE *out, const struct graph *g, size_t di, const char *indent)
{
	const struct dump_thread *t;
	size_t i;

	for (i = 0; i < g->n_nodes; i++) {
		const struct gnode *n = &g->nodes[i];
		fprintf(out, "%sd%zun%zu [", indent, di, i);
		if (n->thread) {
			t = dump_find_thread(g->d, n->tid);
			fprintf(out, "shape=box, label=\"tid %lld", n->tid);
			if (t) {
				fputs("\\n\\\"", out);
				dot_escape(out, t->name);
				fputs("\\\"", out);
			}
			fputs("\"", out);
		} else {
			fputs("shape=ellipse, label=\"", out);
			dot_escape(out, n->kind);
			fputs("\\n", out);
			dot_escape(out, n->object);
			putc('"', out);
		}
		fputs("];\n", out);
	}
}

static void write_edges(FILE *out, const struct graph *g, size_t di, const char *indent)
{
	static const char *const styles[] = {
		[EDGE_WAIT] = "color=\"#b00020\"",
		[EDGE_HELD] = "color=\"#303030\"",
		[EDGE_ORDER] = "color=\"#a05a00\", style=dashed",
	};
	size_t i;

	for (i = 0; i < g->n_edges; i++) {
		const struct gedge *e = &g->edges[i];
		fprintf(out, "%sd%zun%zu -> d%zun%zu [%s, label=", indent, di, e->from, di, e->to, styles[e->style]);
		dot_label(out, e->label);
		fputs("];\n", out);
	}
}

/* Collects the cycles of dump d; g->n_nodes == 0 when there are none. */
static int build(struct graph *g, struct symbolizer *sym, const struct dump *d)
{
	size_t i;

	memset(g, 0, sizeof(*g));
	g->sym = sym;
	g->d = d;
	for (i = 0; i < d->n_findings; i++) {
		add_cycle(g, &d->findings[i]);
		add_order(g, &d->findings[i]);
	}
	if (g->failed) {
		graph_free(g);
		return -1;
	}
	return 0;
}

static void dump_title(FILE *out, const struct dump *d)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);

	if (mem) {
		fprintf(mem, "pid %lld seq %lld (", d->pid, d->seq);
		print_escaped(mem, d->reason);
		fputs("): ", mem);
		print_escaped(mem, d->file);
		if (fclose(mem) == 0)
			dot_label(out, buf);
	}
	free(buf);
}

/* Top-down: threads and locks stack downwards, so that the page's width is
 * not the graph's limit (the HTML report scrolls it at its own size). */
static const char graph_defaults[] = "  graph [rankdir=TB, fontname=\"Helvetica\", fontsize=11];\n"
                                     "  node [fontname=\"Helvetica\", fontsize=10];\n"
                                     "  edge [fontname=\"Helvetica\", fontsize=9];\n";

int format_dot_dump(FILE *out, struct symbolizer *sym, const struct dump *d, size_t index, bool *drawn)
{
	struct graph g;

	*drawn = false;
	if (build(&g, sym, d) < 0)
		return -1;
	if (g.n_nodes) {
		*drawn = true;
		fprintf(out, "digraph asleep {\n%s  label=", graph_defaults);
		dump_title(out, d);
		fputs(";\n  labelloc=t;\n", out);
		write_nodes(out, &g, index, "  ");
		write_edges(out, &g, index, "  ");
		fputs("}\n", out);
	}
	graph_free(&g);
	return 0;
}

int format_dot_write(FILE *out, const struct format_input *in)
{
	struct graph g;
	size_t i, drawn = 0;

	fprintf(out, "digraph asleep {\n%s", graph_defaults);
	for (i = 0; i < in->n; i++) {
		if (build(&g, in->sym, in->dumps[i]) < 0)
			return -1;
		if (g.n_nodes) {
			fprintf(out, "  subgraph cluster_d%zu {\n    label=", i);
			dump_title(out, in->dumps[i]);
			fputs(";\n", out);
			write_nodes(out, &g, i, "    ");
			write_edges(out, &g, i, "    ");
			fputs("  }\n", out);
			drawn++;
		}
		graph_free(&g);
	}
	if (!drawn)
		fprintf(out, "  label=\"no wait-for or lock-order cycle in %zu dump%s\";\n", in->n,
		        in->n == 1 ? "" : "s");
	fputs("}\n", out);
	return 0;
}

static bool find_dot(char *path, size_t len)
{
	const char *p = getenv("PATH"), *end;
	int n;

	for (; p && *p; p = *end ? end + 1 : end) {
		end = strchr(p, ':');
		if (!end)
			end = p + strlen(p);
		if (end == p)
			continue; /* an empty entry would mean ".": not trusted */
		n = snprintf(path, len, "%.*s/dot", (int)(end - p), p);
		if (n > 0 && (size_t)n < len && access(path, X_OK) == 0)
			return true;
	}
	return false;
}

bool graphviz_found(void)
{
	char path[PATH_MAX];

	return find_dot(path, sizeof(path));
}

static bool write_all(int fd, const char *buf, size_t len)
{
	ssize_t w;

	while (len) {
		w = write(fd, buf, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		buf += w;
		len -= (size_t)w;
	}
	return true;
}

static char *read_all(int fd)
{
	size_t len = 0, cap = 1 << 16;
	char *buf = malloc(cap), *grown;
	ssize_t r;

	while (buf) {
		if (len + 1 == cap) {
			grown = realloc(buf, cap *= 2);
			if (!grown)
				break;
			buf = grown;
		}
		r = read(fd, buf + len, cap - 1 - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			break;
		if (r == 0) {
			buf[len] = '\0';
			return buf;
		}
		len += (size_t)r;
	}
	free(buf);
	return NULL;
}

/* dot reads a temporary file rather than a pipe, so that writing the
 * source and reading the SVG cannot block each other. */
static char *run_dot(const char *dot, const char *file)
{
	char *argv[] = { (char *)"dot", (char *)"-Tsvg", (char *)file, NULL };
	posix_spawn_file_actions_t fa;
	char *out = NULL;
	int pipefd[2], status = 1;
	pid_t pid;

	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return NULL;
	if (posix_spawn_file_actions_init(&fa) == 0) {
		posix_spawn_file_actions_adddup2(&fa, pipefd[1], STDOUT_FILENO);
		posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
		if (posix_spawn(&pid, dot, &fa, NULL, argv, environ) == 0) {
			close(pipefd[1]);
			pipefd[1] = -1;
			out = read_all(pipefd[0]);
			while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
				;
			if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
				free(out);
				out = NULL;
			}
		}
		posix_spawn_file_actions_destroy(&fa);
	}
	close(pipefd[0]);
	if (pipefd[1] >= 0)
		close(pipefd[1]);
	return out;
}

/* dot's output for several graphs is their SVG documents one after the
 * other: out[i] gets the i-th "<svg ...>...</svg>" element, malloc'd. */
static int split_svgs(const char *all, char **out, size_t n)
{
	const char *p = all;
	for (size_t i = 0; i < n; i++) {
		const char *start = strstr(p, "<svg"), *end = start ? strstr(start, "</svg>") : NULL;
		if (!end)
			return -1;
		end += strlen("</svg>");
		out[i] = strndup(start, (size_t)(end - start));
		if (!out[i])
			return -1;
		out[i][end - start] = '\0';
		p = end;
	}
	return 0;
}

int graphviz_svg_many(char *const *srcs, const size_t *lens, size_t n, char **svgs)
{
	char dot[PATH_MAX], file[PATH_MAX], *all = NULL;
	const char *tmp = getenv("TMPDIR");
	bool ok = true;
	int fd;

	for (size_t i = 0; i < n; i++)
		svgs[i] = NULL;
	if (n == 0)
		return 0;
	if (!find_dot(dot, sizeof(dot)))
		return -1;
	if (!tmp || !*tmp)
		tmp = "/tmp";
	if (snprintf(file, sizeof(file), "%s/asleep-graph.XXXXXX", tmp) >= (int)sizeof(file))
		return -1;
	fd = mkstemp(file);
	if (fd < 0)
		return -1;
	for (size_t i = 0; ok && i < n; i++)
		ok = write_all(fd, srcs[i], lens[i]) && write_all(fd, "\n", 1);
	if (ok)
		all = run_dot(dot, file);
	close(fd);
	unlink(file);
	if (!all || split_svgs(all, svgs, n) < 0) {
		for (size_t i = 0; i < n; i++) {
			free(svgs[i]);
			svgs[i] = NULL;
		}
		free(all);
		return -1;
	}
	free(all);
	return 0;
}

char *graphviz_svg(const char *src, size_t len)
{
	char *svg = NULL;
	char *srcs[1] = { (char *)src };
	return graphviz_svg_many(srcs, &len, 1, &svg) == 0 ? svg : NULL;
}
