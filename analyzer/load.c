/* SPDX-License-Identifier: MIT */
/* Validating loader: checks every field the schema defines, in a fixed
 * order, and stops at the first problem with its JSON path.  Unknown
 * fields are ignored so that newer shims can add fields to schema 1.
 * Enumerated strings (state, wait kinds) are not restricted to today's
 * values for the same reason: they are shown verbatim. */
#include "load.h"

#include "asl_demangle.h"

#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "readfile.h"

/* Paths are built from the schema's own keys and array indexes, so their
 * length is bounded well below this. */
#define JPATH_MAX 192

/* Results of the field getters; anything < 0 stops the load. */
enum { BAD = -1, ABSENT = 0, PRESENT = 1 };

struct loader {
	const char *file;
	char *err;
	size_t errlen;
	const struct dump *d; /* modules, for frame index checks */
};

typedef int (*item_fn)(struct loader *ld, json_t *v, const char *jp, void *item);

__attribute__((format(printf, 3, 4))) static int fail(struct loader *ld, const char *jp, const char *fmt, ...)
{
	char what[320];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (jp && *jp)
		snprintf(ld->err, ld->errlen, "%s: %s: %s", ld->file, jp, what);
	else
		snprintf(ld->err, ld->errlen, "%s: %s", ld->file, what);
	sanitize_line(ld->err);
	return BAD;
}

static const char *type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
		return "an integer";
	case JSON_REAL:
		return "a real number";
	case JSON_TRUE:
		return "true";
	case JSON_FALSE:
		return "false";
	case JSON_NULL:
		return "null";
	}
	return "an unknown value";
}

static int wrong_type(struct loader *ld, const char *jp, const char *want, const json_t *v)
{
	return fail(ld, jp, "expected %s, got %s", want, type_name(v));
}

/* Paths cannot really overflow (see JPATH_MAX); if one did, it would
 * be cut short, which only makes a message less precise. */
__attribute__((format(printf, 2, 3))) static void jpath_fmt(char *out, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(out, JPATH_MAX, fmt, ap);
	va_end(ap);
}

static void jpath_key(char *out, const char *parent, const char *key)
{
	if (*parent)
		jpath_fmt(out, "%s.%s", parent, key);
	else
		jpath_fmt(out, "%s", key);
}

static void jpath_index(char *out, const char *parent, size_t i)
{
	jpath_fmt(out, "%s[%zu]", parent, i);
}

/* Looks up obj.key and sets jp to its path. */
static int member(struct loader *ld, json_t *obj, const char *parent, const char *key, bool required, char *jp,
                  json_t **v)
{
	jpath_key(jp, parent, key);
	*v = json_object_get(obj, key);
	if (*v)
		return PRESENT;
	if (required)
		return fail(ld, jp, "required field is missing");
	return ABSENT;
}

static bool is_hex_digits(const char *s)
{
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
			return false;
	return true;
}

static bool is_address(const char *s)
{
	return s[0] == '0' && s[1] == 'x' && s[2] && is_hex_digits(s + 2);
}

static int check_int(struct loader *ld, const char *jp, json_t *v, long long min, long long *out)
{
	long long x;

	if (!json_is_integer(v))
		return wrong_type(ld, jp, "an integer", v);
	x = json_integer_value(v);
	if (x < min)
		return fail(ld, jp, "expected an integer >= %lld, got %lld", min, x);
	*out = x;
	return PRESENT;
}

static int check_str(struct loader *ld, const char *jp, json_t *v, const char **out)
{
	if (!json_is_string(v))
		return wrong_type(ld, jp, "a string", v);
	*out = json_string_value(v);
	return PRESENT;
}

static int check_addr(struct loader *ld, const char *jp, json_t *v, const char **out)
{
	const char *s;

	if (!json_is_string(v))
		return wrong_type(ld, jp, "an address string", v);
	s = json_string_value(v);
	if (!is_address(s))
		return fail(ld, jp, "expected an address like \"0x7f00a1\" (lowercase hex), got \"%.40s\"", s);
	*out = s;
	return PRESENT;
}

static int get_int(struct loader *ld, json_t *obj, const char *parent, const char *key, bool required, long long min,
                   long long *out)
{
	char jp[JPATH_MAX];
	json_t *v;
	int r = member(ld, obj, parent, key, required, jp, &v);

	return r == PRESENT ? check_int(ld, jp, v, min, out) : r;
}

/* Optional integer that records whether it was there. */
static int get_opt_int(struct loader *ld, json_t *obj, const char *key, long long min, long long *out, bool *has)
{
	int r = get_int(ld, obj, "", key, false, min, out);

	*has = r == PRESENT;
	return r;
}

static int get_str(struct loader *ld, json_t *obj, const char *parent, const char *key, bool required, const char **out)
{
	char jp[JPATH_MAX];
	json_t *v;
	int r = member(ld, obj, parent, key, required, jp, &v);

	return r == PRESENT ? check_str(ld, jp, v, out) : r;
}

static int get_addr(struct loader *ld, json_t *obj, const char *parent, const char *key, bool required,
                    const char **out)
{
	char jp[JPATH_MAX];
	json_t *v;
	int r = member(ld, obj, parent, key, required, jp, &v);

	return r == PRESENT ? check_addr(ld, jp, v, out) : r;
}

static int get_bool(struct loader *ld, json_t *obj, const char *parent, const char *key, bool required, bool *out)
{
	char jp[JPATH_MAX];
	json_t *v;
	int r = member(ld, obj, parent, key, required, jp, &v);

	if (r != PRESENT)
		return r;
	if (!json_is_boolean(v))
		return wrong_type(ld, jp, "a boolean", v);
	*out = json_is_true(v);
	return PRESENT;
}

/* Optional boolean as -1 (absent), 0 or 1. */
static int get_tristate(struct loader *ld, json_t *obj, const char *parent, const char *key, int *out)
{
	bool b = false;
	int r = get_bool(ld, obj, parent, key, false, &b);

	*out = r == PRESENT ? b : -1;
	return r;
}

/* obj.key as a container of the given type; jp receives its path. */
static int get_container(struct loader *ld, json_t *obj, const char *parent, const char *key, bool required, bool array,
                         char *jp, json_t **out)
{
	int r = member(ld, obj, parent, key, required, jp, out);

	if (r != PRESENT)
		return r;
	if (array ? !json_is_array(*out) : !json_is_object(*out))
		return wrong_type(ld, jp, array ? "an array" : "an object", *out);
	return PRESENT;
}

/* Allocates zeroed items for arr; the caller stores the result before
 * filling it, so dump_free() can release a half-loaded dump. */
static void *alloc_items(struct loader *ld, const char *jp, json_t *arr, size_t size, int *r)
{
	size_t n = json_array_size(arr);
	void *p;

	*r = PRESENT;
	if (n == 0)
		return NULL;
	p = calloc(n, size);
	if (!p)
		*r = fail(ld, jp, "out of memory for %zu items", n);
	return p;
}

static int each_item(struct loader *ld, json_t *arr, const char *jp, void *items, size_t size, item_fn fn)
{
	char ijp[JPATH_MAX];
	size_t i;

	for (i = 0; i < json_array_size(arr); i++) {
		jpath_index(ijp, jp, i);
		if (fn(ld, json_array_get(arr, i), ijp, (char *)items + i * size) < 0)
			return BAD;
	}
	return PRESENT;
}

static int int_item(struct loader *ld, json_t *v, const char *jp, void *item)
{
	return check_int(ld, jp, v, LLONG_MIN, item);
}

static int str_item(struct loader *ld, json_t *v, const char *jp, void *item)
{
	return check_str(ld, jp, v, item);
}

static int load_ints(struct loader *ld, json_t *arr, const char *jp, long long **items, size_t *n)
{
	int r;

	*items = alloc_items(ld, jp, arr, sizeof(**items), &r);
	if (r < 0)
		return r;
	*n = json_array_size(arr);
	return each_item(ld, arr, jp, *items, sizeof(**items), int_item);
}

/* A C++ name in a dump from a shim that could not demangle it (a C program
 * whose C++ library was loaded privately): shown demangled all the same.
 * The dump's own string is replaced, so the name lives as long as it. */
static void demangle_function(json_t *frame, struct dump_frame *f)
{
	char buf[1024];
	if (!f->function || f->function[0] != '_' || f->function[1] != 'Z')
		return;
	asl_demangle(__cxa_demangle, f->function, buf, sizeof buf);
	json_t *name = json_object_get(frame, "function");
	if (strcmp(buf, f->function) != 0 && json_string_set(name, buf) == 0)
		f->function = json_string_value(name);
}

static int load_frame(struct loader *ld, json_t *v, const char *jp, struct dump_frame *f)
{
	char mjp[JPATH_MAX];
	int r;

	f->module = -1;
	if (!json_is_object(v))
		return wrong_type(ld, jp, "an object (a stack frame)", v);
	if (get_addr(ld, v, jp, "addr", true, &f->addr) < 0)
		return BAD;
	r = get_int(ld, v, jp, "module", false, 0, &f->module);
	if (r < 0)
		return r;
	if (r == PRESENT && (unsigned long long)f->module >= ld->d->n_modules) {
		jpath_key(mjp, jp, "module");
		return fail(ld, mjp, "module index %lld is out of range (the dump lists %zu modules)", f->module,
		            ld->d->n_modules);
	}
	if (get_addr(ld, v, jp, "offset", false, &f->offset) < 0 ||
	    get_str(ld, v, jp, "function", false, &f->function) < 0)
		return BAD;
	demangle_function(v, f);
	return PRESENT;
}

static int frame_item(struct loader *ld, json_t *v, const char *jp, void *item)
{
	return load_frame(ld, v, jp, item);
}

/* Optional frame obj.key (a lock's site). */
static int get_frame(struct loader *ld, json_t *obj, const char *parent, const char *key, struct dump_frame *f,
                     bool *has)
{
	char jp[JPATH_MAX];
	json_t *v;
	int r = member(ld, obj, parent, key, false, jp, &v);

	*has = false;
	if (r != PRESENT)
		return r;
	if (load_frame(ld, v, jp, f) < 0)
		return BAD;
	*has = true;
	return PRESENT;
}

/* Optional stack obj.key. */
static int get_stack(struct loader *ld, json_t *obj, const char *parent, const char *key, struct dump_stack *s)
{
	char jp[JPATH_MAX];
	json_t *arr;
	int r = get_container(ld, obj, parent, key, false, true, jp, &arr);

	if (r != PRESENT)
		return r;
	s->frames = alloc_items(ld, jp, arr, sizeof(*s->frames), &r);
	if (r < 0)
		return r;
	s->n = json_array_size(arr);
	return each_item(ld, arr, jp, s->frames, sizeof(*s->frames), frame_item);
}

static int load_wait(struct loader *ld, json_t *v, const char *jp, struct dump_wait *w)
{
	char ajp[JPATH_MAX];
	json_t *arr;
	int r;

	if (get_str(ld, v, jp, "kind", true, &w->kind) < 0 || get_str(ld, v, jp, "object", true, &w->object) < 0)
		return BAD;
	r = get_container(ld, v, jp, "owners", false, true, ajp, &arr);
	if (r < 0 || (r == PRESENT && load_ints(ld, arr, ajp, &w->owners, &w->n_owners) < 0))
		return BAD;
	if (get_addr(ld, v, jp, "mutex", false, &w->mutex) < 0 || get_str(ld, v, jp, "what", false, &w->what) < 0 ||
	    get_int(ld, v, jp, "since_ms", true, 0, &w->since_ms) < 0 ||
	    get_bool(ld, v, jp, "timed", true, &w->timed) < 0 || get_tristate(ld, v, jp, "shared", &w->shared) < 0)
		return BAD;
	return PRESENT;
}

static int held_item(struct loader *ld, json_t *v, const char *jp, void *item)
{
	struct dump_held *h = item;

	if (!json_is_object(v))
		return wrong_type(ld, jp, "an object (a held lock)", v);
	if (get_str(ld, v, jp, "kind", true, &h->kind) < 0 || get_addr(ld, v, jp, "object", true, &h->object) < 0 ||
	    get_frame(ld, v, jp, "site", &h->site, &h->has_site) < 0)
		return BAD;
	return PRESENT;
}

static int load_created_by(struct loader *ld, json_t *v, const char *jp, struct dump_thread *t)
{
	if (get_int(ld, v, jp, "tid", true, LLONG_MIN, &t->creator_tid) < 0 ||
	    get_stack(ld, v, jp, "stack", &t->creator_stack) < 0)
		return BAD;
	t->has_created_by = true;
	return PRESENT;
}

static int thread_item(struct loader *ld, json_t *v, const char *jp, void *item)
{
	struct dump_thread *t = item;
	char cjp[JPATH_MAX];
	json_t *c;
	int r;

	t->main = t->detached = -1;
	if (!json_is_object(v))
		return wrong_type(ld, jp, "an object (a thread)", v);
	if (get_int(ld, v, jp, "tid", true, LLONG_MIN, &t->tid) < 0 || get_str(ld, v, jp, "name", true, &t->name) < 0 ||
	    get_str(ld, v, jp, "state", true, &t->state) < 0 || get_tristate(ld, v, jp, "main", &t->main) < 0 ||
	    get_tristate(ld, v, jp, "detached", &t->detached) < 0)
		return BAD;

	r = get_container(ld, v, jp, "wait", false, false, cjp, &c);
	if (r < 0 || (r == PRESENT && load_wait(ld, c, cjp, &t->wait) < 0))
		return BAD;
	t->has_wait = r == PRESENT;

	r = get_container(ld, v, jp, "held", false, true, cjp, &c);
	if (r < 0)
		return r;
	if (r == PRESENT) {
		t->held = alloc_items(ld, cjp, c, sizeof(*t->held), &r);
		if (r < 0)
			return r;
		t->n_held = json_array_size(c);
		if (each_item(ld, c, cjp, t->held, sizeof(*t->held), held_item) < 0)
			return BAD;
	}

	if (get_stack(ld, v, jp, "stack", &t->stack) < 0)
		return BAD;

	r = get_container(ld, v, jp, "created_by", false, false, cjp, &c);
	if (r < 0 || (r == PRESENT && load_created_by(ld, c, cjp, t) < 0))
		return BAD;
	return PRESENT;
}

static int cycle_item(struct loader *ld, json_t *v, const char *jp, void *item)
{
	struct dump_cycle_step *s = item;

	if (!json_is_object(v))
		return wrong_type(ld, jp, "an object (a cycle step)", v);
	if (get_int(ld, v, jp, "tid", true, LLONG_MIN, &s->tid) < 0 || get_str(ld, v, jp, "kind", true, &s->kind) < 0 ||
	    get_str(ld, v, jp, "object", true, &s->object) < 0 ||
	    get_int(ld, v, jp, "owner", true, LLONG_MIN, &s->owner) < 0)
		return BAD;
	return PRESENT;
}

static int order_item(struct loader *ld, json_t *v, const char *jp, void *item)
{
	struct dump_order_edge *e = item;
	char ajp[JPATH_MAX];
	json_t *arr;
	int r;

	if (!json_is_object(v))
		return wrong_type(ld, jp, "an object (a lock-order edge)", v);
	if (get_int(ld, v, jp, "tid", true, LLONG_MIN, &e->tid) < 0 ||
	    get_str(ld, v, jp, "thread", false, &e->thread) < 0 || get_str(ld, v, jp, "held", true, &e->held) < 0 ||
	    get_str(ld, v, jp, "held_kind", true, &e->held_kind) < 0 ||
	    get_str(ld, v, jp, "acquired", true, &e->acquired) < 0 ||
	    get_str(ld, v, jp, "acquired_kind", true, &e->acquired_kind) < 0)
		return BAD;
	/* Required by the schema: an edge without its stacks is no evidence. */
	r = get_container(ld, v, jp, "held_stack", true, true, ajp, &arr);
	if (r < 0 || get_stack(ld, v, jp, "held_stack", &e->held_stack) < 0)
		return BAD;
	r = get_container(ld, v, jp, "acquire_stack", true, true, ajp, &arr);
	if (r < 0 || get_stack(ld, v, jp, "acquire_stack", &e->acquire_stack) < 0)
		return BAD;
	if (get_container(ld, v, jp, "gates", true, true, ajp, &arr) < 0)
		return BAD;
	e->gates = alloc_items(ld, ajp, arr, sizeof(*e->gates), &r);
	if (r < 0)
		return r;
	e->n_gates = json_array_size(arr);
	return each_item(ld, arr, ajp, e->gates, sizeof(*e->gates), str_item);
}

static int finding_item(struct loader *ld, json_t *v, const char *jp, void *item)
{
	struct dump_finding *f = item;
	char ajp[JPATH_MAX];
	json_t *arr;
	int r;

	if (!json_is_object(v))
		return wrong_type(ld, jp, "an object (a finding)", v);
	if (get_str(ld, v, jp, "kind", true, &f->kind) < 0 || get_str(ld, v, jp, "message", true, &f->message) < 0 ||
	    get_container(ld, v, jp, "threads", true, true, ajp, &arr) < 0 ||
	    load_ints(ld, arr, ajp, &f->threads, &f->n_threads) < 0)
		return BAD;

	r = get_container(ld, v, jp, "objects", false, true, ajp, &arr);
	if (r < 0)
		return r;
	if (r == PRESENT) {
		f->objects = alloc_items(ld, ajp, arr, sizeof(*f->objects), &r);
		if (r < 0)
			return r;
		f->n_objects = json_array_size(arr);
		if (each_item(ld, arr, ajp, f->objects, sizeof(*f->objects), str_item) < 0)
			return BAD;
	}

	r = get_container(ld, v, jp, "cycle", false, true, ajp, &arr);
	if (r < 0)
		return r;
	if (r == PRESENT) {
		f->cycle = alloc_items(ld, ajp, arr, sizeof(*f->cycle), &r);
		if (r < 0)
			return r;
		f->n_cycle = json_array_size(arr);
		if (each_item(ld, arr, ajp, f->cycle, sizeof(*f->cycle), cycle_item) < 0)
			return BAD;
	}

	r = get_container(ld, v, jp, "order", false, true, ajp, &arr);
	if (r < 0)
		return r;
	if (r == PRESENT) {
		f->order = alloc_items(ld, ajp, arr, sizeof(*f->order), &r);
		if (r < 0)
			return r;
		f->n_order = json_array_size(arr);
		if (each_item(ld, arr, ajp, f->order, sizeof(*f->order), order_item) < 0)
			return BAD;
	}

	return get_frame(ld, v, jp, "site", &f->site, &f->has_site);
}

static int module_item(struct loader *ld, json_t *v, const char *jp, void *item)
{
	struct dump_module *m = item;
	char bjp[JPATH_MAX];

	if (!json_is_object(v))
		return wrong_type(ld, jp, "an object (a module)", v);
	if (get_str(ld, v, jp, "path", true, &m->path) < 0 || get_addr(ld, v, jp, "base", true, &m->base) < 0 ||
	    get_str(ld, v, jp, "build_id", false, &m->build_id) < 0)
		return BAD;
	if (m->build_id && !is_hex_digits(m->build_id)) {
		jpath_key(bjp, jp, "build_id");
		return fail(ld, bjp, "expected lowercase hex digits, got \"%.40s\"", m->build_id);
	}
	return PRESENT;
}

/* Accepts exactly asleep-dump/1; tells a newer format from garbage. */
static int check_schema(struct loader *ld, json_t *root)
{
	const size_t plen = strlen(DUMP_SCHEMA_PREFIX);
	const char *s, *num;
	size_t digits;

	if (get_str(ld, root, "", "schema", true, &s) < 0)
		return BAD;
	if (strncmp(s, DUMP_SCHEMA_PREFIX, plen) == 0) {
		num = s + plen;
		digits = strspn(num, "0123456789");
		if (digits > 0 && num[digits] == '\0' && num[0] != '0') {
			if (digits == 1 && num[0] - '0' == DUMP_SCHEMA_VERSION)
				return PRESENT;
			if (digits > 1 || num[0] - '0' > DUMP_SCHEMA_VERSION)
				return fail(ld, NULL, "written by a newer asleep (%.64s); this analyzer reads %s%d", s,
				            DUMP_SCHEMA_PREFIX, DUMP_SCHEMA_VERSION);
		}
	}
	return fail(ld, "schema", "unknown schema \"%.64s\" (expected \"%s%d\")", s, DUMP_SCHEMA_PREFIX,
	            DUMP_SCHEMA_VERSION);
}

static int load_root(struct loader *ld, json_t *root, struct dump *d)
{
	char tjp[JPATH_MAX], fjp[JPATH_MAX], mjp[JPATH_MAX];
	json_t *threads, *findings, *modules;
	int r;

	if (!json_is_object(root))
		return fail(ld, NULL, "expected a JSON object at the top level, got %s", type_name(root));
	if (check_schema(ld, root) < 0 || get_int(ld, root, "", "pid", true, 1, &d->pid) < 0 ||
	    get_int(ld, root, "", "seq", true, 0, &d->seq) < 0 ||
	    get_str(ld, root, "", "reason", true, &d->reason) < 0 || get_str(ld, root, "", "exe", false, &d->exe) < 0 ||
	    get_opt_int(ld, root, "time_unix_ms", LLONG_MIN, &d->time_unix_ms, &d->has_time_unix_ms) < 0 ||
	    get_opt_int(ld, root, "uptime_ms", 0, &d->uptime_ms, &d->has_uptime_ms) < 0 ||
	    get_opt_int(ld, root, "live_threads", 0, &d->live_threads, &d->has_live_threads) < 0 ||
	    get_opt_int(ld, root, "peak_threads", 0, &d->peak_threads, &d->has_peak_threads) < 0 ||
	    get_container(ld, root, "", "threads", true, true, tjp, &threads) < 0 ||
	    get_container(ld, root, "", "findings", true, true, fjp, &findings) < 0 ||
	    get_container(ld, root, "", "modules", true, true, mjp, &modules) < 0)
		return BAD;

	/* Modules first: frames refer to them by index. */
	d->modules = alloc_items(ld, mjp, modules, sizeof(*d->modules), &r);
	if (r < 0)
		return r;
	d->n_modules = json_array_size(modules);
	if (each_item(ld, modules, mjp, d->modules, sizeof(*d->modules), module_item) < 0)
		return BAD;

	d->threads = alloc_items(ld, tjp, threads, sizeof(*d->threads), &r);
	if (r < 0)
		return r;
	d->n_threads = json_array_size(threads);
	if (each_item(ld, threads, tjp, d->threads, sizeof(*d->threads), thread_item) < 0)
		return BAD;

	d->findings = alloc_items(ld, fjp, findings, sizeof(*d->findings), &r);
	if (r < 0)
		return r;
	d->n_findings = json_array_size(findings);
	return each_item(ld, findings, fjp, d->findings, sizeof(*d->findings), finding_item);
}

static bool all_space(const char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!strchr(" \t\r\n", buf[i]) || buf[i] == '\0')
			return false;
	return true;
}

int dump_load_buffer(const char *name, const char *buf, size_t len, struct dump **out, char *err, size_t errlen)
{
	struct loader ld = { .file = name, .err = err, .errlen = errlen };
	json_error_t je;
	struct dump *d;

	*out = NULL;
	if (all_space(buf, len)) {
		fail(&ld, NULL, "empty file (no JSON document)");
		return -1;
	}
	d = calloc(1, sizeof(*d));
	if (!d || !(d->file = strdup(name))) {
		free(d);
		fail(&ld, NULL, "out of memory");
		return -1;
	}
	/* DECODE_ANY: a scalar document gets our "expected an object"
	 * message rather than a parser one. */
	d->root = json_loadb(buf, len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &je);
	if (!d->root) {
		if (je.line > 0)
			snprintf(err, errlen, "%s:%d:%d: invalid JSON: %s", name, je.line, je.column, je.text);
		else
			snprintf(err, errlen, "%s: invalid JSON: %s", name, je.text);
		sanitize_line(err);
		dump_free(d);
		return -1;
	}
	ld.d = d;
	if (load_root(&ld, d->root, d) < 0) {
		dump_free(d);
		return -1;
	}
	*out = d;
	return 0;
}

int dump_load_file(const char *path, struct dump **out, char *err, size_t errlen)
{
	size_t len;
	char *buf;
	int r;

	*out = NULL;
	if (read_whole_file(path, &buf, &len, err, errlen) < 0)
		return -1;
	r = dump_load_buffer(path, buf, len, out, err, errlen);
	free(buf);
	return r;
}
