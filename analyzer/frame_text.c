/* SPDX-License-Identifier: MIT */
#include "frame_text.h"

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
