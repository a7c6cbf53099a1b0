/* SPDX-License-Identifier: MIT */
#include "format_finding_text.h"

#include <stdlib.h>

#include "escape.h"
#include "format_frame.h"
#include "format_rules.h"

static int print_frame(FILE *out, struct symbolizer *sym, const struct dump *d, const struct dump_frame *f)
{
	char *label = frame_label(sym, d, f);

	if (!label)
		return -1;
	fputs(label, out);
	free(label);
	return 0;
}

static int print_stack(FILE *out, struct symbolizer *sym, const struct dump *d, const struct dump_stack *s,
                       const char *indent)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		fprintf(out, "%s#%zu ", indent, i);
		if (print_frame(out, sym, d, &s->frames[i]) < 0)
			return -1;
		putc('\n', out);
	}
	return 0;
}

static int print_thread(FILE *out, struct symbolizer *sym, const struct dump *d, long long tid)
{
	const struct dump_thread *t = dump_find_thread(d, tid);

	fprintf(out, "tid %lld", tid);
	if (!t) {
		fputs(" (not listed in the dump)\n", out);
		return 0;
	}
	fputs(" \"", out);
	print_escaped(out, t->name);
	fputs("\", ", out);
	print_escaped(out, t->state);
	putc('\n', out);
	if (t->stack.n) {
		fputs("  stack:\n", out);
		if (print_stack(out, sym, d, &t->stack, "    ") < 0)
			return -1;
	}
	if (t->has_created_by) {
		fprintf(out, "  created by tid %lld%s\n", t->creator_tid, t->creator_stack.n ? " at:" : "");
		if (print_stack(out, sym, d, &t->creator_stack, "    ") < 0)
			return -1;
	}
	return 0;
}

static int print_edge(FILE *out, struct symbolizer *sym, const struct dump *d, const struct dump_order_edge *e)
{
	fprintf(out, "tid %lld", e->tid);
	if (e->thread) {
		fputs(" \"", out);
		print_escaped(out, e->thread);
		putc('"', out);
	}
	char *text = order_edge_text(e);
	if (!text)
		return -1;
	putc(' ', out);
	print_escaped(out, text);
	free(text);
	fputs("\n  ", out);
	print_escaped(out, e->held);
	fputs(" " ASL_ORDER_HELD_AT ":\n", out);
	if (print_stack(out, sym, d, &e->held_stack, "    ") < 0)
		return -1;
	fputs("  ", out);
	print_escaped(out, e->acquired);
	fputs(" " ASL_ORDER_ACQUIRED_AT ":\n", out);
	return print_stack(out, sym, d, &e->acquire_stack, "    ");
}

int format_finding_text(FILE *out, struct symbolizer *sym, const struct dump *d, const struct dump_finding *f)
{
	char *step;
	size_t i;

	print_escaped(out, f->kind);
	fputs(": ", out);
	print_escaped(out, f->message);
	putc('\n', out);
	for (i = 0; i < f->n_objects; i++) {
		fputs(i ? ", " : "objects: ", out);
		print_escaped(out, f->objects[i]);
	}
	if (f->n_objects)
		putc('\n', out);
	for (i = 0; i < f->n_cycle; i++) {
		if (!(step = wait_step_text(&f->cycle[i])))
			return -1;
		fputs(i ? "  " : "cycle:\n  ", out);
		print_escaped(out, step);
		putc('\n', out);
		free(step);
	}
	for (i = 0; i < f->n_order; i++)
		if (print_edge(out, sym, d, &f->order[i]) < 0)
			return -1;
	if (f->has_site) {
		fputs("lock taken at ", out);
		if (print_frame(out, sym, d, &f->site) < 0)
			return -1;
		putc('\n', out);
	}
	for (i = 0; i < f->n_threads; i++)
		if (print_thread(out, sym, d, f->threads[i]) < 0)
			return -1;
	return 0;
}
