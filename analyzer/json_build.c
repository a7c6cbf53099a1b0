/* SPDX-License-Identifier: MIT */
#include "json_build.h"

#include "frame.h"

void jb_set(struct jbuild *b, json_t *obj, const char *key, json_t *v)
{
	if (!v || !obj || json_object_set_new(obj, key, v) < 0)
		b->failed = true;
}

void jb_push(struct jbuild *b, json_t *arr, json_t *v)
{
	if (!v || !arr || json_array_append_new(arr, v) < 0)
		b->failed = true;
}

json_t *jb_obj(struct jbuild *b)
{
	json_t *o = json_object();

	b->failed |= !o;
	return o;
}

json_t *jb_arr(struct jbuild *b)
{
	json_t *a = json_array();

	b->failed |= !a;
	return a;
}

json_t *jb_str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

json_t *jb_int_or_null(bool has, long long v)
{
	return has ? json_integer(v) : json_null();
}

json_t *jb_frame(struct jbuild *b, const struct dump *d, const struct dump_frame *f)
{
	json_t *o = jb_obj(b);
	struct frame_sym s;

	frame_sym_get(b->sym, d, f, &s);
	jb_set(b, o, "function", s.function ? json_stringn(s.function, s.function_len) : json_null());
	jb_set(b, o, "file", jb_str_or_null(s.file));
	jb_set(b, o, "line", jb_int_or_null(s.file && s.line > 0, s.line));
	jb_set(b, o, "module", jb_str_or_null(s.module));
	jb_set(b, o, "offset", jb_str_or_null(s.offset));
	return o;
}

json_t *jb_stack(struct jbuild *b, const struct dump *d, const struct dump_stack *s)
{
	json_t *a = jb_arr(b);
	size_t i;

	for (i = 0; i < s->n; i++)
		jb_push(b, a, jb_frame(b, d, &s->frames[i]));
	return a;
}

int jb_print(struct jbuild *b, FILE *out, json_t *v)
{
	int r = -1;

	if (!b->failed && v && json_dumpf(v, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII) == 0 &&
	    putc('\n', out) != EOF)
		r = 0;
	json_decref(v);
	return r;
}
