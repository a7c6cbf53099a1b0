/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE /* open_memstream */
#include "frame.h"

#include <stdlib.h>
#include <string.h>

#include "escape.h"

/* " (module+0x1234)" when the dump knows the module. */
static void print_module_offset(FILE *out, const struct dump *d, const struct dump_frame *f)
{
	if (f->module < 0 || (size_t)f->module >= d->n_modules || !f->offset)
		return;
	fputs(" (", out);
	print_escaped(out, path_basename(d->modules[f->module].path));
	fprintf(out, "+%s)", f->offset);
}

/* A location with a line reads "function at file:line"; without one the
 * dump's "function+0x1f" says more than a bare name. */
static void print_loc(FILE *out, const struct dump_frame *f, const struct sym_loc *l, bool outermost)
{
	if (l->file && l->line > 0) {
		print_escaped(out, l->function ? l->function : "??");
		fputs(" at ", out);
		print_escaped(out, l->file);
		fprintf(out, ":%d", l->line);
	} else if (outermost && f->function) {
		print_escaped(out, f->function);
	} else {
		print_escaped(out, l->function ? l->function : "??");
	}
}

void frame_text_print(FILE *out, const struct dump *d, const struct dump_frame *f, struct symbolizer *sym)
{
	struct sym_frame sf;

	symbolize_frame(sym, d, f, &sf);
	if (sf.n == 0) {
		dump_print_frame(out, d, f);
		return;
	}
	print_loc(out, f, &sf.locs[0], sf.n == 1);
	if (sf.n > 1) {
		fputs(" inlined in ", out);
		print_escaped(out, sf.locs[sf.n - 1].function ? sf.locs[sf.n - 1].function : "??");
	}
	print_module_offset(out, d, f);
}

void frame_text_stack(FILE *out, const struct dump *d, const struct dump_stack *s, struct symbolizer *sym,
                      const char *indent, size_t max_frames)
{
	size_t n = max_frames && max_frames < s->n ? max_frames : s->n, i, k;
	struct sym_frame sf;

	for (i = 0; i < n; i++) {
		const struct dump_frame *f = &s->frames[i];
		symbolize_frame(sym, d, f, &sf);
		if (sf.n == 0) {
			fprintf(out, "%s#%zu ", indent, i);
			dump_print_frame(out, d, f);
			putc('\n', out);
			continue;
		}
		for (k = 0; k < sf.n; k++) {
			fprintf(out, "%s#%zu ", indent, i);
			if (k + 1 < sf.n)
				fputs("[inlined] ", out);
			print_loc(out, f, &sf.locs[k], k + 1 == sf.n);
			if (k + 1 == sf.n)
				print_module_offset(out, d, f);
			putc('\n', out);
		}
	}
	if (n < s->n)
		fprintf(out, "%s... %zu more frame%s\n", indent, s->n - n, s->n - n == 1 ? "" : "s");
}

/* dladdr names are "symbol+0xoff"; the offset moves with every rebuild,
 * the symbol does not. */
static size_t name_len_without_offset(const char *name)
{
	const char *plus = strrchr(name, '+');

	if (plus && plus != name && strncmp(plus, "+0x", 3) == 0)
		return (size_t)(plus - name);
	return strlen(name);
}

void frame_sym_get(struct symbolizer *sym, const struct dump *d, const struct dump_frame *f, struct frame_sym *s)
{
	struct sym_frame sf;

	memset(s, 0, sizeof(*s));
	if (f->function) {
		s->function = f->function;
		s->function_len = name_len_without_offset(f->function);
	}
	if (f->module >= 0 && (size_t)f->module < d->n_modules) {
		s->module_path = d->modules[f->module].path;
		s->module = path_basename(s->module_path);
		s->offset = f->offset;
	}
	if (!sym)
		return;
	symbolize_frame(sym, d, f, &sf);
	/* locs[0] is the innermost (possibly inlined) call: its line is
	 * where the thread really is, and its function names that line. */
	if (sf.n && sf.locs[0].function) {
		s->function = sf.locs[0].function;
		s->function_len = strlen(s->function);
	}
	if (sf.n && sf.locs[0].file) {
		s->file = sf.locs[0].file;
		s->line = sf.locs[0].line;
	}
}

char *frame_label(struct symbolizer *sym, const struct dump *d, const struct dump_frame *f)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);

	if (!mem)
		return NULL;
	frame_text_print(mem, d, f, sym);
	if (fclose(mem) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

void frame_key_write(FILE *out, const struct frame_sym *s)
{
	if (s->function)
		fwrite(s->function, 1, s->function_len, out);
	else if (s->module && s->offset)
		fprintf(out, "%s+%s", s->module, s->offset);
	else
		putc('?', out);
}

/* The program's own frames say more than libc's pthread_cond_wait. */
static bool in_exe(const struct dump *d, const struct frame_sym *fs)
{
	return d->exe && fs->module_path && strcmp(d->exe, fs->module_path) == 0;
}

static const struct dump_frame *best_frame(struct symbolizer *sym, const struct dump *d, const struct dump_stack *s)
{
	const struct dump_frame *in_program = NULL, *with_function = NULL;
	struct frame_sym fs;
	size_t i;

	for (i = 0; i < s->n; i++) {
		frame_sym_get(sym, d, &s->frames[i], &fs);
		if (fs.file)
			return &s->frames[i];
		if (fs.function && in_exe(d, &fs) && !in_program)
			in_program = &s->frames[i];
		if (fs.function && !with_function)
			with_function = &s->frames[i];
	}
	if (in_program)
		return in_program;
	return with_function ? with_function : s->n ? &s->frames[0] : NULL;
}

const struct dump_frame *finding_top_frame(struct symbolizer *sym, const struct dump *d, const struct dump_finding *f)
{
	const struct dump_thread *t = f->n_threads ? dump_find_thread(d, f->threads[0]) : NULL;
	const struct dump_frame *fr = NULL;

	if (f->has_site)
		return &f->site;
	if (t && (fr = best_frame(sym, d, &t->stack)))
		return fr;
	if (f->n_order && (fr = best_frame(sym, d, &f->order[0].acquire_stack)))
		return fr;
	if (t)
		fr = best_frame(sym, d, &t->creator_stack);
	return fr;
}
