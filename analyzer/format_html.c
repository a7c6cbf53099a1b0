/* SPDX-License-Identifier: MIT */
/* --format html: one self-contained page (inline CSS, no scripts, no
 * network) with the summary, each dump's findings, its wait-for and
 * lock-order graph, its thread groups and the full text report.  Graphs
 * are inline SVG rendered by Graphviz's `dot` when it is in PATH; without
 * it the page says so and shows the DOT source. */
#define _GNU_SOURCE /* open_memstream */
#include <stdlib.h>
#include <string.h>

#include "asl_duration.h"
#include "escape.h"
#include "finding.h"
#include "frame.h"
#include "format_dot.h"
#include "format.h"
#include "group.h"
#include "report_text.h"

#define NO_GRAPHVIZ "Graphviz not installed: graphs shown as DOT source"

static const char page_head[] =
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<title>asleep report</title>\n<style>\n"
        "body{font-family:system-ui,sans-serif;margin:2em;max-width:80em;color:#222}\n"
        "h1{font-size:1.5em}h2{font-size:1.2em;border-bottom:1px solid #ccc;margin-top:2em}\n"
        "h3{font-size:1em}pre{background:#f6f6f6;padding:.6em;overflow-x:auto;font-size:.85em}\n"
        "table{border-collapse:collapse;font-size:.85em}\n"
        "td,th{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}\n"
        ".fails{border-left:4px solid #b00020;padding-left:.5em}\n"
        ".passes{border-left:4px solid #888;padding-left:.5em}\n"
        ".verdict{font-weight:bold}.note{color:#a05a00}\n"
        /* graphs at their own size (labels readable), scrolled when wider
         * than the page; long tables scroll too, the page never does */
        ".graph{overflow:auto;max-width:100%;border:1px solid #eee}\n"
        ".graph svg{max-width:none;height:auto}\n"
        ".scroll{overflow-x:auto;max-width:100%}\n"
        "td{overflow-wrap:anywhere;max-width:40em}\n"
        ".card{margin:1em 0}.card h4{margin:.2em 0;font-size:1em}\n"
        "</style>\n</head>\n<body>\n<h1>asleep report</h1>\n";

/* Runs a printer into memory, then writes its text escaped. */
static int escaped_block(FILE *out, int (*print)(FILE *, const void *), const void *arg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	int r;

	if (!mem)
		return -1;
	r = print(mem, arg);
	if (fclose(mem) != 0 || r < 0) {
		free(buf);
		return -1;
	}
	xml_escape_block(out, buf, len);
	free(buf);
	return 0;
}

static int print_summary(FILE *out, const void *arg)
{
	const struct format_input *in = arg;

	report_text_summary(out, in->dumps, in->n);
	return 0;
}

struct finding_arg {
	const struct format_input *in;
	const struct dump *d;
	const struct dump_finding *f;
};

static int print_finding(FILE *out, const void *arg)
{
	const struct finding_arg *a = arg;

	return format_finding_text(out, a->in->sym, a->d, a->f);
}

struct text_arg {
	const struct dump *d;
	bool per_thread;
};

static int print_text_report(FILE *out, const void *arg)
{
	const struct text_arg *a = arg;
	struct report_opts o = { .per_thread = a->per_thread };

	return report_text_dump(out, a->d, &o);
}

static void verdict_line(FILE *out, const struct format_input *in, const struct finding_verdict *v)
{
	fputs("<p class=\"verdict\">", out);
	if (!in->gate) {
		fputs("finding", out);
	} else if (v->fails) {
		fputs("fails the gate", out);
	} else if (v->suppressed_by) {
		format_xml_suppressed_by(out, in, v->suppressed_by);
	} else {
		fputs("not gated (reported only)", out);
	}
	fputs("</p>\n", out);
}

static int findings_section(FILE *out, const struct format_input *in, size_t di)
{
	const struct dump *d = in->dumps[di];
	struct finding_arg a = { in, d, NULL };
	size_t i;

	if (d->n_findings == 0) {
		fputs("<p>No findings.</p>\n", out);
		return 0;
	}
	fprintf(out, "<h3>Findings (%zu)</h3>\n", d->n_findings);
	for (i = 0; i < d->n_findings; i++) {
		const struct finding_verdict *v = &in->verdicts[di][i];
		fprintf(out, "<div class=\"card %s\">\n<h4>", v->fails ? "fails" : "passes");
		xml_escape(out, d->findings[i].kind);
		fputs(": ", out);
		xml_escape(out, d->findings[i].message);
		fputs("</h4>\n", out);
		verdict_line(out, in, v);
		fputs("<pre>", out);
		a.f = &d->findings[i];
		if (escaped_block(out, print_finding, &a) < 0)
			return -1;
		fputs("</pre>\n</div>\n", out);
	}
	return 0;
}

/* Every dump's wait-for / lock-order graph, as DOT, then rendered to SVG
 * by one run of dot for all of them. */
struct graphs {
	char **src, **svg;
	size_t *len;
	size_t n;
};

static void graphs_free(struct graphs *g)
{
	for (size_t i = 0; g->src && i < g->n; i++) {
		free(g->src[i]);
		free(g->svg[i]);
	}
	free(g->src);
	free(g->svg);
	free(g->len);
}

/* src[i] is NULL for a dump with nothing to draw. */
static int graphs_make(const struct format_input *in, bool have_dot, struct graphs *g)
{
	char **srcs = NULL, **svgs = NULL;
	size_t *lens = NULL, nd = 0;
	g->n = in->n;
	g->src = calloc(in->n + 1, sizeof(*g->src));
	g->svg = calloc(in->n + 1, sizeof(*g->svg));
	g->len = calloc(in->n + 1, sizeof(*g->len));
	if (!g->src || !g->svg || !g->len)
		return -1;
	for (size_t i = 0; i < in->n; i++) {
		FILE *mem = open_memstream(&g->src[i], &g->len[i]);
		bool drawn = false;
		if (!mem)
			return -1;
		int r = format_dot_dump(mem, in->sym, in->dumps[i], i, &drawn);
		if (fclose(mem) != 0 || r < 0)
			return -1;
		if (!drawn) {
			free(g->src[i]);
			g->src[i] = NULL;
		} else {
			nd++;
		}
	}
	if (!have_dot || nd == 0)
		return 0;
	srcs = calloc(nd, sizeof(*srcs));
	svgs = calloc(nd, sizeof(*svgs));
	lens = calloc(nd, sizeof(*lens));
	if (srcs && svgs && lens) {
		size_t k = 0;
		for (size_t i = 0; i < in->n; i++)
			if (g->src[i]) {
				srcs[k] = g->src[i];
				lens[k++] = g->len[i];
			}
		if (graphviz_svg_many(srcs, lens, nd, svgs) == 0)
			for (size_t i = 0, k2 = 0; i < in->n; i++)
				if (g->src[i])
					g->svg[i] = svgs[k2++];
	}
	free(srcs);
	free(svgs);
	free(lens);
	return 0;
}

static void graph_section(FILE *out, const struct graphs *g, size_t di, bool have_dot)
{
	if (!g->src[di])
		return;
	fputs("<h3>Wait-for and lock-order graph</h3>\n", out);
	if (g->svg[di]) {
		fprintf(out, "<div class=\"graph\">\n%s\n</div>\n", g->svg[di]);
		return;
	}
	if (have_dot)
		fputs("<p class=\"note\">Graphviz could not render this graph: "
		      "shown as DOT source</p>\n",
		      out);
	fputs("<pre>", out);
	xml_escape_block(out, g->src[di], g->len[di]);
	fputs("</pre>\n", out);
}

static void group_wait_cell(FILE *out, const struct thread_group *g)
{
	const struct dump_wait *w = &g->members[0]->wait;
	long long lo = w->since_ms, hi = w->since_ms;
	char a[ASL_DURATION_MAX], b[ASL_DURATION_MAX];
	bool same_object = true;
	size_t i;

	if (!g->members[0]->has_wait)
		return;
	for (i = 1; i < g->n; i++) {
		const struct dump_wait *m = &g->members[i]->wait;
		same_object = same_object && strcmp(m->object, w->object) == 0;
		lo = m->since_ms < lo ? m->since_ms : lo;
		hi = m->since_ms > hi ? m->since_ms : hi;
	}
	xml_escape(out, w->kind);
	putc(' ', out);
	xml_escape(out, same_object ? w->object : "(various objects)");
	fprintf(out, ", for %s", asl_duration_format(lo, a, sizeof(a)));
	if (hi != lo)
		fprintf(out, " to %s", asl_duration_format(hi, b, sizeof(b)));
}

static int stack_cell(FILE *out, const struct format_input *in, const struct dump *d, const struct dump_stack *s)
{
	char *label;
	size_t i;

	for (i = 0; i < s->n; i++) {
		if (!(label = frame_label(in->sym, d, &s->frames[i])))
			return -1;
		if (i)
			fputs("<br>", out);
		xml_escape(out, label);
		free(label);
	}
	return 0;
}

static int group_row(FILE *out, const struct format_input *in, const struct dump *d, const struct thread_group *g)
{
	const struct dump_thread *t = g->members[0];
	bool one_name = true;
	size_t i;

	for (i = 1; i < g->n; i++)
		one_name = one_name && strcmp(g->members[i]->name, t->name) == 0;
	fprintf(out, "<tr><td>%zu</td><td>", g->n);
	xml_escape(out, t->state);
	fputs("</td><td>", out);
	xml_escape(out, one_name ? t->name : "(various)");
	fputs("</td><td>", out);
	for (i = 0; i < g->n; i++)
		fprintf(out, "%s%lld", i ? " " : "", g->members[i]->tid);
	fputs("</td><td>", out);
	group_wait_cell(out, g);
	fputs("</td><td>", out);
	if (stack_cell(out, in, d, &t->stack) < 0)
		return -1;
	fputs("</td><td>", out);
	if (stack_cell(out, in, d, &t->creator_stack) < 0)
		return -1;
	fputs("</td></tr>\n", out);
	return 0;
}

static int groups_section(FILE *out, const struct format_input *in, const struct dump *d)
{
	struct grouping gr;
	size_t i;
	int r = 0;

	if (d->n_threads == 0)
		return 0;
	if (group_threads(d, &gr) < 0)
		return -1;
	fprintf(out,
	        "<h3>Threads (%zu in %zu group%s)</h3>\n<div class=\"scroll\"><table>\n<tr><th>count</th>"
	        "<th>state</th><th>name</th><th>tids</th><th>wait</th><th>stack</th>"
	        "<th>created at</th></tr>\n",
	        d->n_threads, gr.n, gr.n == 1 ? "" : "s");
	for (i = 0; i < gr.n && r == 0; i++)
		r = group_row(out, in, d, &gr.groups[i]);
	fputs("</table></div>\n", out);
	grouping_free(&gr);
	return r;
}

static int dump_section(FILE *out, const struct format_input *in, const struct graphs *g, size_t di, bool have_dot)
{
	const struct dump *d = in->dumps[di];
	struct text_arg ta = { d, in->per_thread };

	fprintf(out, "<section id=\"dump-%zu\">\n<h2>pid %lld, seq %lld: ", di, d->pid, d->seq);
	xml_escape(out, d->reason);
	fputs("</h2>\n<p>", out);
	xml_escape(out, d->file);
	if (d->exe) {
		fputs(", exe ", out);
		xml_escape(out, d->exe);
	}
	fputs("</p>\n", out);
	if (findings_section(out, in, di) < 0)
		return -1;
	graph_section(out, g, di, have_dot);
	if (groups_section(out, in, d) < 0)
		return -1;
	fputs("<details>\n<summary>Text report</summary>\n<pre>", out);
	if (escaped_block(out, print_text_report, &ta) < 0)
		return -1;
	fputs("</pre>\n</details>\n</section>\n", out);
	return 0;
}

static bool any_graph(const struct format_input *in)
{
	size_t i, j;

	for (i = 0; i < in->n; i++)
		for (j = 0; j < in->dumps[i]->n_findings; j++)
			if (in->dumps[i]->findings[j].n_cycle || in->dumps[i]->findings[j].n_order)
				return true;
	return false;
}

int format_html_write(FILE *out, const struct format_input *in)
{
	bool have_dot = graphviz_found();
	struct graphs g = { 0 };
	size_t i;

	if (graphs_make(in, have_dot, &g) < 0) {
		graphs_free(&g);
		return -1;
	}
	fputs(page_head, out);
	fputs("<p>", out);
	if (escaped_block(out, print_summary, in) < 0)
		return -1;
	fputs("</p>\n", out);
	if (in->gate)
		fprintf(out,
		        "<p class=\"verdict\">gate: %s: %zu unsuppressed finding%s "
		        "(%zu suppressed)</p>\n",
		        in->failing ? "FAILED" : "passed", in->failing, in->failing == 1 ? "" : "s", in->suppressed);
	for (i = 0; i < in->n_empty_dirs; i++) {
		fputs("<p>no dumps in ", out);
		xml_escape(out, in->empty_dirs[i]);
		fputs("</p>\n", out);
	}
	if (!have_dot && any_graph(in))
		fputs("<p class=\"note\">" NO_GRAPHVIZ "</p>\n", out);
	for (i = 0; i < in->n; i++)
		if (dump_section(out, in, &g, i, have_dot) < 0) {
			graphs_free(&g);
			return -1;
		}
	graphs_free(&g);
	fputs("</body>\n</html>\n", out);
	return 0;
}
