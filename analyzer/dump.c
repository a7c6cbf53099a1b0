/* SPDX-License-Identifier: MIT */
#include "dump.h"

#include <stdlib.h>
#include <string.h>

#include "escape.h"

static void stack_free(struct dump_stack *s)
{
	free(s->frames);
}

void dump_free(struct dump *d)
{
	size_t i;

	if (!d)
		return;
	for (i = 0; i < d->n_threads; i++) {
		struct dump_thread *t = &d->threads[i];
		free(t->wait.owners);
		free(t->held);
		stack_free(&t->stack);
		stack_free(&t->creator_stack);
	}
	free(d->threads);
	for (i = 0; i < d->n_findings; i++) {
		struct dump_finding *f = &d->findings[i];
		free(f->threads);
		free(f->objects);
		free(f->cycle);
		for (size_t j = 0; j < f->n_order; j++) {
			stack_free(&f->order[j].held_stack);
			stack_free(&f->order[j].acquire_stack);
			free(f->order[j].gates);
		}
		free(f->order);
	}
	free(d->findings);
	free(d->modules);
	json_decref(d->root);
	free(d->file);
	free(d);
}

const struct dump_thread *dump_find_thread(const struct dump *d, long long tid)
{
	size_t i;

	for (i = 0; i < d->n_threads; i++)
		if (d->threads[i].tid == tid)
			return &d->threads[i];
	return NULL;
}

const char *path_basename(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static const struct dump_module *frame_module(const struct dump *d, const struct dump_frame *f)
{
	/* The loader checks the index; stay safe for hand-built dumps. */
	if (f->module < 0 || (size_t)f->module >= d->n_modules)
		return NULL;
	return &d->modules[f->module];
}

void dump_print_frame(FILE *out, const struct dump *d, const struct dump_frame *f)
{
	const struct dump_module *m = frame_module(d, f);

	if (f->function) {
		print_escaped(out, f->function);
		if (m && f->offset) {
			fputs(" (", out);
			print_escaped(out, path_basename(m->path));
			fprintf(out, "+%s)", f->offset);
		}
	} else if (m && f->offset) {
		print_escaped(out, path_basename(m->path));
		fprintf(out, "+%s", f->offset);
	} else {
		fputs(f->addr, out);
	}
}
