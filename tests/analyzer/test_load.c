/* SPDX-License-Identifier: MIT */
/* Loader tests: every malformed input must give one precise line naming
 * the file and the JSON path, and valid dumps must load with their values. */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <jansson.h>

#include "load.h"

#define NAME "dumps/t.json"

static char err[LOAD_ERR_MAX];

/* Loads text under NAME; returns the dump or NULL with err set. */
static struct dump *load_text(const char *text, size_t len)
{
	struct dump *d = (struct dump *)1;

	err[0] = '\0';
	if (dump_load_buffer(NAME, text, len, &d, err, sizeof(err)) < 0) {
		cr_assert_null(d, "a failed load must not return a dump");
		cr_assert(err[0], "a failed load must explain itself");
		cr_assert_null(strchr(err, '\n'), "error must be one line: %s", err);
		return NULL;
	}
	cr_assert_not_null(d);
	return d;
}

static json_t *fixture_json(const char *name)
{
	char path[PATH_MAX];
	json_error_t je;
	json_t *j;

	snprintf(path, sizeof(path), "%s/%s", FIXTURES_DIR, name);
	j = json_load_file(path, 0, &je);
	cr_assert_not_null(j, "%s: %s", path, je.text);
	return j;
}

/* Resolves "threads[1].wait.kind" up to its last step, which it returns
 * as a key (or, with *index >= 0, an array index). */
static json_t *parent_of(json_t *root, const char *path, char *key, long *index)
{
	const char *p = path;
	json_t *cur = root;
	char *end;
	size_t n;

	for (;;) {
		*index = -1;
		key[0] = '\0';
		if (*p == '[') {
			*index = strtol(p + 1, &end, 10);
			p = end + 1;
		} else {
			n = strcspn(p, ".[");
			memcpy(key, p, n);
			key[n] = '\0';
			p += n;
		}
		if (*p == '.')
			p++;
		if (!*p)
			return cur;
		cur = *index >= 0 ? json_array_get(cur, (size_t)*index) : json_object_get(cur, key);
		cr_assert_not_null(cur, "test bug: no %s in the base document", path);
	}
}

static void set_at(json_t *root, const char *path, json_t *v)
{
	char key[64];
	long index;
	json_t *parent = parent_of(root, path, key, &index);

	if (index >= 0)
		cr_assert_eq(json_array_set_new(parent, (size_t)index, v), 0, "%s", path);
	else
		cr_assert_eq(json_object_set_new(parent, key, v), 0, "%s", path);
}

static void del_at(json_t *root, const char *path)
{
	char key[64];
	long index;
	json_t *parent = parent_of(root, path, key, &index);

	cr_assert_lt(index, 0, "test bug: cannot delete array item %s", path);
	cr_assert_eq(json_object_del(parent, key), 0, "test bug: %s not in base", path);
}

/* Loads the mutated document and checks the exact message. */
static void expect_error(json_t *doc, const char *want, const char *what)
{
	char *text = json_dumps(doc, JSON_COMPACT);
	struct dump *d;

	cr_assert_not_null(text);
	d = load_text(text, strlen(text));
	cr_expect_null(d, "%s: accepted a malformed dump", what);
	if (d)
		dump_free(d);
	else
		cr_expect_str_eq(err, want, "%s", what);
	free(text);
}

/* Values of every JSON type, to put where another type belongs. */
static json_t *value_of_type(int t)
{
	switch (t) {
	case 0: return json_null();
	case 1: return json_true();
	case 2: return json_false();
	case 3: return json_integer(7);
	case 4: return json_real(1.5);
	case 5: return json_string("0x10");
	case 6: return json_pack("[i]", 1);
	default: return json_pack("{s:i}", "tid", 1);
	}
}

static const char *const type_words[] = {
	"null", "true", "false", "an integer", "a real number", "a string", "an array", "an object",
};

enum want { W_INT, W_STR, W_BOOL, W_ADDR, W_ARRAY, W_OBJECT };

struct typed_path {
	const char *path;
	enum want want;
	const char *object_what;	/* W_OBJECT: "a thread", ... or NULL */
};

/* Every field of full.json the schema types, required or optional. */
static const struct typed_path typed_paths[] = {
	{ "schema", W_STR, NULL },
	{ "pid", W_INT, NULL },
	{ "seq", W_INT, NULL },
	{ "reason", W_STR, NULL },
	{ "exe", W_STR, NULL },
	{ "time_unix_ms", W_INT, NULL },
	{ "uptime_ms", W_INT, NULL },
	{ "live_threads", W_INT, NULL },
	{ "peak_threads", W_INT, NULL },
	{ "threads", W_ARRAY, NULL },
	{ "findings", W_ARRAY, NULL },
	{ "modules", W_ARRAY, NULL },
	{ "threads[1]", W_OBJECT, "a thread" },
	{ "threads[1].tid", W_INT, NULL },
	{ "threads[1].name", W_STR, NULL },
	{ "threads[1].state", W_STR, NULL },
	{ "threads[1].main", W_BOOL, NULL },
	{ "threads[1].detached", W_BOOL, NULL },
	{ "threads[1].wait", W_OBJECT, NULL },
	{ "threads[1].wait.kind", W_STR, NULL },
	{ "threads[1].wait.object", W_STR, NULL },
	{ "threads[1].wait.owners", W_ARRAY, NULL },
	{ "threads[1].wait.owners[0]", W_INT, NULL },
	{ "threads[1].wait.mutex", W_ADDR, NULL },
	{ "threads[1].wait.since_ms", W_INT, NULL },
	{ "threads[1].wait.timed", W_BOOL, NULL },
	{ "threads[1].wait.shared", W_BOOL, NULL },
	{ "threads[1].held", W_ARRAY, NULL },
	{ "threads[1].held[0]", W_OBJECT, "a held lock" },
	{ "threads[1].held[0].kind", W_STR, NULL },
	{ "threads[1].held[0].object", W_ADDR, NULL },
	{ "threads[1].held[0].site", W_OBJECT, "a stack frame" },
	{ "threads[1].held[0].site.addr", W_ADDR, NULL },
	{ "threads[1].held[0].site.module", W_INT, NULL },
	{ "threads[1].held[0].site.function", W_STR, NULL },
	{ "threads[1].stack", W_ARRAY, NULL },
	{ "threads[1].stack[0]", W_OBJECT, "a stack frame" },
	{ "threads[1].stack[0].addr", W_ADDR, NULL },
	{ "threads[1].stack[0].module", W_INT, NULL },
	{ "threads[1].stack[0].offset", W_ADDR, NULL },
	{ "threads[1].stack[0].function", W_STR, NULL },
	{ "threads[1].stack[2].addr", W_ADDR, NULL },
	{ "threads[1].created_by", W_OBJECT, NULL },
	{ "threads[1].created_by.tid", W_INT, NULL },
	{ "threads[1].created_by.stack", W_ARRAY, NULL },
	{ "threads[1].created_by.stack[0]", W_OBJECT, "a stack frame" },
	{ "threads[1].created_by.stack[0].function", W_STR, NULL },
	{ "findings[0]", W_OBJECT, "a finding" },
	{ "findings[0].kind", W_STR, NULL },
	{ "findings[0].message", W_STR, NULL },
	{ "findings[0].threads", W_ARRAY, NULL },
	{ "findings[0].threads[1]", W_INT, NULL },
	{ "findings[0].objects", W_ARRAY, NULL },
	{ "findings[0].objects[1]", W_STR, NULL },
	{ "findings[0].cycle", W_ARRAY, NULL },
	{ "findings[0].cycle[1]", W_OBJECT, "a cycle step" },
	{ "findings[0].cycle[1].tid", W_INT, NULL },
	{ "findings[0].cycle[1].kind", W_STR, NULL },
	{ "findings[0].cycle[1].object", W_STR, NULL },
	{ "findings[0].cycle[1].owner", W_INT, NULL },
	{ "findings[0].site", W_OBJECT, "a stack frame" },
	{ "findings[0].site.addr", W_ADDR, NULL },
	{ "findings[0].site.offset", W_ADDR, NULL },
	{ "modules[0]", W_OBJECT, "a module" },
	{ "modules[0].path", W_STR, NULL },
	{ "modules[0].base", W_ADDR, NULL },
	{ "modules[0].build_id", W_STR, NULL },
};

static bool type_fits(enum want w, int t)
{
	switch (w) {
	case W_INT: return t == 3;
	case W_STR: return t == 5;
	case W_BOOL: return t == 1 || t == 2;
	case W_ADDR: return t == 5;	/* bad address strings: own test */
	case W_ARRAY: return t == 6;
	case W_OBJECT: return t == 7;
	}
	return false;
}

static void want_words(const struct typed_path *tp, char *buf, size_t len)
{
	static const char *const words[] = {
		"an integer", "a string", "a boolean", "an address string", "an array", "an object",
	};

	if (tp->object_what)
		snprintf(buf, len, "an object (%s)", tp->object_what);
	else
		snprintf(buf, len, "%s", words[tp->want]);
}

Test(load, every_typed_path_rejects_every_wrong_type)
{
	char want[128], expect[LOAD_ERR_MAX], what[256];
	size_t i, checked = 0;
	int t;

	for (i = 0; i < sizeof(typed_paths) / sizeof(typed_paths[0]); i++) {
		const struct typed_path *tp = &typed_paths[i];
		for (t = 0; t < 8; t++) {
			json_t *doc;
			if (type_fits(tp->want, t))
				continue;
			doc = fixture_json("analyzer/full.json");
			set_at(doc, tp->path, value_of_type(t));
			want_words(tp, want, sizeof(want));
			snprintf(expect, sizeof(expect), NAME ": %s: expected %s, got %s", tp->path,
				 want, type_words[t]);
			/* The schema check comes first and has its own message. */
			if (strcmp(tp->path, "schema") == 0)
				snprintf(expect, sizeof(expect), NAME ": schema: expected a string, got %s",
					 type_words[t]);
			snprintf(what, sizeof(what), "%s set to %s", tp->path, type_words[t]);
			expect_error(doc, expect, what);
			json_decref(doc);
			checked++;
		}
	}
	cr_expect_gt(checked, 300, "only %zu cases ran", checked);
}

static const char *const required_paths[] = {
	"schema", "pid", "seq", "reason", "threads", "findings", "modules",
	"threads[1].tid", "threads[1].name", "threads[1].state",
	"threads[1].wait.kind", "threads[1].wait.object", "threads[1].wait.since_ms",
	"threads[1].wait.timed",
	"threads[1].held[0].kind", "threads[1].held[0].object", "threads[1].held[0].site.addr",
	"threads[1].stack[1].addr", "threads[1].created_by.tid",
	"threads[1].created_by.stack[0].addr",
	"findings[0].kind", "findings[0].message", "findings[0].threads",
	"findings[0].cycle[0].tid", "findings[0].cycle[0].kind", "findings[0].cycle[0].object",
	"findings[0].cycle[0].owner", "findings[0].site.addr",
	"modules[1].path", "modules[1].base",
};

Test(load, every_required_field_is_required)
{
	char expect[LOAD_ERR_MAX];
	size_t i;

	for (i = 0; i < sizeof(required_paths) / sizeof(required_paths[0]); i++) {
		json_t *doc = fixture_json("analyzer/full.json");
		del_at(doc, required_paths[i]);
		snprintf(expect, sizeof(expect), NAME ": %s: required field is missing",
			 required_paths[i]);
		expect_error(doc, expect, required_paths[i]);
		json_decref(doc);
	}
}

Test(load, optional_fields_may_be_absent)
{
	static const char *const optional_paths[] = {
		"exe", "time_unix_ms", "uptime_ms", "live_threads", "peak_threads",
		"threads[1].main", "threads[1].detached", "threads[1].wait", "threads[1].held",
		"threads[1].stack", "threads[1].created_by", "threads[1].wait.owners",
		"threads[1].wait.mutex", "threads[1].wait.shared", "threads[1].held[0].site",
		"threads[1].stack[0].module", "threads[1].stack[0].offset",
		"threads[1].stack[0].function", "threads[1].created_by.stack",
		"findings[0].objects", "findings[0].cycle", "findings[0].site",
		"modules[0].build_id",
	};
	size_t i;

	for (i = 0; i < sizeof(optional_paths) / sizeof(optional_paths[0]); i++) {
		json_t *doc = fixture_json("analyzer/full.json");
		char *text;
		struct dump *d;

		del_at(doc, optional_paths[i]);
		text = json_dumps(doc, 0);
		d = load_text(text, strlen(text));
		cr_expect_not_null(d, "without %s: %s", optional_paths[i], err);
		dump_free(d);
		free(text);
		json_decref(doc);
	}
}

struct value_case {
	const char *path;
	const char *json;	/* the value to put there */
	const char *expect;	/* message after "NAME: " */
};

/* Right type, wrong value: ranges, address syntax, indexes, schemas. */
static const struct value_case value_cases[] = {
	{ "pid", "0", "pid: expected an integer >= 1, got 0" },
	{ "pid", "-4", "pid: expected an integer >= 1, got -4" },
	{ "seq", "-1", "seq: expected an integer >= 0, got -1" },
	{ "uptime_ms", "-1", "uptime_ms: expected an integer >= 0, got -1" },
	{ "live_threads", "-9223372036854775808",
	  "live_threads: expected an integer >= 0, got -9223372036854775808" },
	{ "threads[1].wait.since_ms", "-5",
	  "threads[1].wait.since_ms: expected an integer >= 0, got -5" },
	{ "threads[1].stack[0].module", "-1",
	  "threads[1].stack[0].module: expected an integer >= 0, got -1" },
	{ "threads[1].stack[0].module", "2",
	  "threads[1].stack[0].module: module index 2 is out of range (the dump lists 2 modules)" },
	{ "findings[0].site.module", "9223372036854775807",
	  "findings[0].site.module: module index 9223372036854775807 is out of range (the dump lists 2 modules)" },
	{ "threads[1].stack[0].addr", "\"7f0000011234\"",
	  "threads[1].stack[0].addr: expected an address like \"0x7f00a1\" (lowercase hex), got \"7f0000011234\"" },
	{ "threads[1].stack[0].addr", "\"0x\"",
	  "threads[1].stack[0].addr: expected an address like \"0x7f00a1\" (lowercase hex), got \"0x\"" },
	{ "threads[1].stack[0].addr", "\"0X7F\"",
	  "threads[1].stack[0].addr: expected an address like \"0x7f00a1\" (lowercase hex), got \"0X7F\"" },
	{ "threads[1].held[0].object", "\"0x12g\"",
	  "threads[1].held[0].object: expected an address like \"0x7f00a1\" (lowercase hex), got \"0x12g\"" },
	{ "modules[1].base", "\"\"",
	  "modules[1].base: expected an address like \"0x7f00a1\" (lowercase hex), got \"\"" },
	{ "modules[0].build_id", "\"DEADBEEF\"",
	  "modules[0].build_id: expected lowercase hex digits, got \"DEADBEEF\"" },
	{ "schema", "\"asleep-dump/2\"",
	  "written by a newer asleep (asleep-dump/2); this analyzer reads asleep-dump/1" },
	{ "schema", "\"asleep-dump/10\"",
	  "written by a newer asleep (asleep-dump/10); this analyzer reads asleep-dump/1" },
	{ "schema", "\"asleep-dump/99999999999999999999999\"",
	  "written by a newer asleep (asleep-dump/99999999999999999999999); this analyzer reads asleep-dump/1" },
	{ "schema", "\"asleep-dump/0\"",
	  "schema: unknown schema \"asleep-dump/0\" (expected \"asleep-dump/1\")" },
	{ "schema", "\"asleep-dump/01\"",
	  "schema: unknown schema \"asleep-dump/01\" (expected \"asleep-dump/1\")" },
	{ "schema", "\"asleep-dump/1.1\"",
	  "schema: unknown schema \"asleep-dump/1.1\" (expected \"asleep-dump/1\")" },
	{ "schema", "\"asleep-dump/\"",
	  "schema: unknown schema \"asleep-dump/\" (expected \"asleep-dump/1\")" },
	{ "schema", "\"\"", "schema: unknown schema \"\" (expected \"asleep-dump/1\")" },
	{ "schema", "\"tsan-report/1\"",
	  "schema: unknown schema \"tsan-report/1\" (expected \"asleep-dump/1\")" },
	/* Control characters from the input never reach the terminal raw. */
	{ "schema", "\"bad\\n\\u001b[31mred\"",
	  "schema: unknown schema \"bad??[31mred\" (expected \"asleep-dump/1\")" },
};

Test(load, values_out_of_range_or_malformed)
{
	char expect[LOAD_ERR_MAX];
	json_error_t je;
	size_t i;

	for (i = 0; i < sizeof(value_cases) / sizeof(value_cases[0]); i++) {
		const struct value_case *c = &value_cases[i];
		json_t *doc = fixture_json("analyzer/full.json");
		json_t *v = json_loads(c->json, JSON_DECODE_ANY, &je);

		cr_assert_not_null(v, "test bug: %s", c->json);
		set_at(doc, c->path, v);
		snprintf(expect, sizeof(expect), NAME ": %s", c->expect);
		expect_error(doc, expect, c->json);
		json_decref(doc);
	}
}

struct text_case {
	const char *what;
	const char *text;
	const char *expect;	/* the whole message, after "NAME" */
};

static const struct text_case text_cases[] = {
	{ "empty file", "", ": empty file (no JSON document)" },
	{ "only whitespace", " \n\t\r\n", ": empty file (no JSON document)" },
	{ "array at top", "[1, 2]", ": expected a JSON object at the top level, got an array" },
	{ "number at top", "42", ": expected a JSON object at the top level, got an integer" },
	{ "string at top", "\"asleep-dump/1\"",
	  ": expected a JSON object at the top level, got a string" },
	{ "null at top", "null", ": expected a JSON object at the top level, got null" },
	{ "empty object", "{}", ": schema: required field is missing" },
	{ "truncated object", "{\n  \"schema\": \"asleep-dump/1\",\n  \"pid\": 1",
	  ":3:10: invalid JSON: '}' expected near end of file" },
	{ "missing value", "{\n  \"pid\": }", ":2:10: invalid JSON: unexpected token near '}'" },
	{ "trailing garbage", "{} x", ":1:4: invalid JSON: end of file expected near 'x'" },
	{ "huge integer", "{\"pid\": 99999999999999999999}",
	  ":1:28: invalid JSON: too big integer near '99999999999999999999'" },
	{ "huge real", "{\"pid\": 1e400}", ":1:13: invalid JSON: real number overflow near '1e400'" },
	{ "duplicate key", "{\"schema\": \"asleep-dump/1\", \"schema\": \"asleep-dump/1\"}",
	  ":1:36: invalid JSON: duplicate object key near '\"schema\"'" },
	{ "raw control char in string", "{\"schema\": \"a\tb\"}",
	  ":1:13: invalid JSON: control character 0x9 near '\"a'" },
	{ "escaped NUL in string", "{\"schema\": \"a\\u0000b\"}",
	  ":1:21: invalid JSON: \\u0000 is not allowed without JSON_ALLOW_NUL near '\"a\\u0000b\"'" },
	{ "bad UTF-8", "{\"schema\": \"\xff\"}", ":1:12: invalid JSON: unable to decode byte 0xff near '\"'" },
	{ "real where integer", "{\"schema\": \"asleep-dump/1\", \"pid\": 1.0}",
	  ": pid: expected an integer, got a real number" },
	{ "nested garbage", "{\"schema\": \"asleep-dump/1\", \"pid\": {\"a\": [[{}]]}}",
	  ": pid: expected an integer, got an object" },
	{ "threads of garbage",
	  "{\"schema\": \"asleep-dump/1\", \"pid\": 1, \"seq\": 0, \"reason\": \"x\", "
	  "\"threads\": [[], {}], \"findings\": [], \"modules\": []}",
	  ": threads[0]: expected an object (a thread), got an array" },
	{ "second thread empty",
	  "{\"schema\": \"asleep-dump/1\", \"pid\": 1, \"seq\": 0, \"reason\": \"x\", "
	  "\"threads\": [{\"tid\": 1, \"name\": \"m\", \"state\": \"running\"}, {}], "
	  "\"findings\": [], \"modules\": []}",
	  ": threads[1].tid: required field is missing" },
	{ "frame module without modules",
	  "{\"schema\": \"asleep-dump/1\", \"pid\": 1, \"seq\": 0, \"reason\": \"x\", "
	  "\"threads\": [{\"tid\": 1, \"name\": \"m\", \"state\": \"blocked\", "
	  "\"stack\": [{\"addr\": \"0x1\", \"module\": 0}]}], \"findings\": [], \"modules\": []}",
	  ": threads[0].stack[0].module: module index 0 is out of range (the dump lists 0 modules)" },
};

Test(load, malformed_text)
{
	char expect[LOAD_ERR_MAX];
	size_t i;

	for (i = 0; i < sizeof(text_cases) / sizeof(text_cases[0]); i++) {
		const struct text_case *c = &text_cases[i];
		struct dump *d = load_text(c->text, strlen(c->text));

		snprintf(expect, sizeof(expect), NAME "%s", c->expect);
		cr_expect_null(d, "%s: accepted", c->what);
		if (d)
			dump_free(d);
		else
			cr_expect_str_eq(err, expect, "%s: got %s", c->what, err);
	}
}

Test(load, nul_bytes_and_deep_nesting_are_errors)
{
	static const char with_nul[] = "{\"schema\": \"asleep-dump/1\"\0}";
	size_t depth = 100000, i;
	char *deep = malloc(2 * depth + 1);

	cr_assert_null(load_text(with_nul, sizeof(with_nul) - 1));
	cr_expect_not_null(strstr(err, NAME ":1:"), "%s", err);
	cr_expect_not_null(strstr(err, "invalid JSON"), "%s", err);

	/* Deep nesting must be refused, not overflow the stack. */
	cr_assert_not_null(deep);
	for (i = 0; i < depth; i++) {
		deep[i] = '[';
		deep[2 * depth - 1 - i] = ']';
	}
	deep[2 * depth] = '\0';
	cr_assert_null(load_text(deep, 2 * depth));
	cr_expect_not_null(strstr(err, "maximum parsing depth"), "%s", err);
	free(deep);
}

Test(load, truncated_prefixes_of_a_valid_dump_all_fail_cleanly)
{
	json_t *doc = fixture_json("analyzer/full.json");
	char *text = json_dumps(doc, JSON_INDENT(1));
	size_t len = strlen(text), cut;

	/* json_dumps ends with the closing brace: every prefix is broken. */
	for (cut = 0; cut < len; cut++) {
		struct dump *d = load_text(text, cut);
		cr_expect_null(d, "prefix of %zu bytes accepted", cut);
		dump_free(d);
		cr_expect_eq(strncmp(err, NAME, strlen(NAME)), 0, "%s", err);
	}
	free(text);
	json_decref(doc);
}

Test(load, unknown_fields_are_ignored)
{
	json_t *doc = fixture_json("analyzer/full.json");
	struct dump *d;
	char *text;

	set_at(doc, "threads[1].future", json_pack("{s:[n,f]}", "x", 1.0));
	set_at(doc, "findings[0].score", json_real(0.5));
	set_at(doc, "modules[0].arch", json_string("x86_64"));
	set_at(doc, "threads[1].stack[0].inlined", json_true());
	text = json_dumps(doc, 0);
	d = load_text(text, strlen(text));
	cr_expect_not_null(d, "%s", err);
	dump_free(d);
	free(text);
	json_decref(doc);
}

Test(load, unknown_enum_values_are_shown_not_refused)
{
	json_t *doc = fixture_json("analyzer/full.json");
	struct dump *d;
	char *text;

	set_at(doc, "threads[1].state", json_string("zombie"));
	set_at(doc, "threads[1].wait.kind", json_string("epoll"));
	text = json_dumps(doc, 0);
	d = load_text(text, strlen(text));
	cr_assert_not_null(d, "%s", err);
	cr_expect_str_eq(d->threads[1].state, "zombie");
	cr_expect_str_eq(d->threads[1].wait.kind, "epoll");
	dump_free(d);
	free(text);
	json_decref(doc);
}

static struct dump *load_fixture(const char *name)
{
	char path[PATH_MAX];
	struct dump *d;

	snprintf(path, sizeof(path), "%s/%s", FIXTURES_DIR, name);
	cr_assert_eq(dump_load_file(path, &d, err, sizeof(err)), 0, "%s", err);
	cr_assert_str_eq(d->file, path);
	return d;
}

Test(load, abba_values)
{
	struct dump *d = load_fixture("abba.json");
	const struct dump_thread *t;
	const struct dump_finding *f;

	cr_expect_eq(d->pid, 4100);
	cr_expect_eq(d->seq, 0);
	cr_expect_str_eq(d->reason, "all-asleep");
	cr_expect_str_eq(d->exe, "/tmp/abba");
	cr_expect(d->has_uptime_ms && d->uptime_ms == 612);
	cr_assert_eq(d->n_threads, 3);
	cr_assert_eq(d->n_modules, 2);
	cr_expect_str_eq(d->modules[1].path, "/lib/x86_64-linux-gnu/libc.so.6");

	t = &d->threads[1];
	cr_expect_eq(t->tid, 4101);
	cr_expect_eq(t->main, 0);
	cr_assert(t->has_wait);
	cr_expect_str_eq(t->wait.kind, "mutex");
	cr_expect_str_eq(t->wait.object, "0x555555558040");
	cr_assert_eq(t->wait.n_owners, 1);
	cr_expect_eq(t->wait.owners[0], 4102);
	cr_expect_eq(t->wait.since_ms, 588);
	cr_expect_not(t->wait.timed);
	cr_expect_eq(t->wait.shared, -1);
	cr_assert_eq(t->n_held, 1);
	cr_expect_str_eq(t->held[0].object, "0x555555558080");
	cr_expect(t->held[0].has_site);
	cr_expect_str_eq(t->held[0].site.function, "t1+0x10");
	cr_assert_eq(t->stack.n, 1);
	cr_expect_eq(t->stack.frames[0].module, 0);
	cr_expect_str_eq(t->stack.frames[0].offset, "0x1230");
	cr_expect(t->has_created_by);
	cr_expect_eq(t->creator_tid, 4100);
	cr_expect_eq(t->creator_stack.n, 1);
	cr_expect_not(d->threads[0].has_created_by);
	cr_expect_eq(d->threads[0].main, 1);

	cr_assert_eq(d->n_findings, 2);
	f = &d->findings[0];
	cr_expect_str_eq(f->kind, "deadlock");
	cr_assert_eq(f->n_threads, 2);
	cr_expect_eq(f->threads[1], 4102);
	cr_assert_eq(f->n_cycle, 2);
	cr_expect_eq(f->cycle[0].tid, 4101);
	cr_expect_eq(f->cycle[0].owner, 4102);
	cr_expect_str_eq(f->cycle[1].object, "0x555555558080");
	cr_expect_eq(f->n_objects, 2);
	cr_expect_str_eq(d->findings[1].kind, "all-asleep");
	cr_expect_eq(d->findings[1].n_cycle, 0);
	cr_expect_eq(dump_find_thread(d, 4102), &d->threads[2]);
	cr_expect_null(dump_find_thread(d, 1));
	dump_free(d);
}

Test(load, all_valid_fixtures_load)
{
	static const char *const valid[] = {
		"abba.json", "leak.json", "clean.json",
		"analyzer/full.json", "analyzer/pool.json", "analyzer/longwait.json",
		"analyzer/abandoned.json", "analyzer/dumpdir/asleep.5000.2.json",
		"analyzer/dumpdir/asleep.5000.10.json",
	};
	size_t i;

	for (i = 0; i < sizeof(valid) / sizeof(valid[0]); i++)
		dump_free(load_fixture(valid[i]));
	{
		struct dump *d = load_fixture("leak.json");
		cr_expect_eq(d->n_findings, 1);
		cr_expect_str_eq(d->findings[0].kind, "leaked-thread");
		cr_expect_eq(d->findings[0].threads[0], 4201);
		dump_free(d);
	}
	{
		struct dump *d = load_fixture("clean.json");
		cr_expect_eq(d->n_findings, 0);
		cr_expect_null(d->exe);
		cr_expect_eq(d->n_modules, 0);
		dump_free(d);
	}
}

Test(load, invalid_fixture_files)
{
	static const struct {
		const char *name, *expect;
	} cases[] = {
		{ "analyzer/bad-tid.json", ": threads[0].tid: expected an integer, got a string" },
		{ "analyzer/schema2.json",
		  ": written by a newer asleep (asleep-dump/2); this analyzer reads asleep-dump/1" },
		{ "analyzer/truncated.json", ":3:0: invalid JSON: ']' expected near end of file" },
		{ "analyzer/no-such-file.json", ": No such file or directory" },
		{ "analyzer", ": is a directory" },
	};
	char path[PATH_MAX], expect[LOAD_ERR_MAX + PATH_MAX];
	struct dump *d;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", FIXTURES_DIR, cases[i].name);
		snprintf(expect, sizeof(expect), "%s%s", path, cases[i].expect);
		cr_expect_eq(dump_load_file(path, &d, err, sizeof(err)), -1, "%s", path);
		cr_expect_null(d);
		cr_expect_str_eq(err, expect);
	}
}

/* Inputs found by fuzz_load.c (tests/fixtures/analyzer/fuzz-*): odd
 * corners of the format.  Known ones have a known outcome; any other
 * fuzz-* file (a future crash reproducer) must load or fail cleanly. */
static const struct {
	const char *name;
	const char *expect;	/* NULL: loads */
} fuzz_known[] = {
	{ "fuzz-escape-in-state.json", NULL },
	{ "fuzz-mutated-pool.json", NULL },
	{ "fuzz-bad-utf8-lead.json", ":1:0: invalid JSON: unable to decode byte 0xff" },
	{ "fuzz-control-in-string.json", ":1:2: invalid JSON: control character 0x9 near '\"?'" },
	{ "fuzz-newer-schema-garbage.json",
	  ": written by a newer asleep (asleep-dump/2); this analyzer reads asleep-dump/1" },
	{ "fuzz-vertical-tab.json", ":1:1: invalid JSON: invalid token near '?'" },
};

Test(load, fuzz_regressions)
{
	char dir[PATH_MAX], path[PATH_MAX * 2], expect[PATH_MAX * 3];
	struct dirent *e;
	struct dump *d;
	size_t n = 0, i;
	DIR *dh;
	int r;

	snprintf(dir, sizeof(dir), "%s/analyzer", FIXTURES_DIR);
	dh = opendir(dir);
	cr_assert_not_null(dh);
	while ((e = readdir(dh))) {
		if (strncmp(e->d_name, "fuzz-", 5) != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		err[0] = '\0';
		r = dump_load_file(path, &d, err, sizeof(err));
		dump_free(d);
		n++;
		for (i = 0; i < sizeof(fuzz_known) / sizeof(fuzz_known[0]); i++)
			if (strcmp(fuzz_known[i].name, e->d_name) == 0)
				break;
		if (i < sizeof(fuzz_known) / sizeof(fuzz_known[0])) {
			cr_expect_eq(r, fuzz_known[i].expect ? -1 : 0, "%s: %s", e->d_name, err);
			if (fuzz_known[i].expect) {
				snprintf(expect, sizeof(expect), "%s%s", path, fuzz_known[i].expect);
				cr_expect_str_eq(err, expect);
			}
		} else if (r < 0) {
			cr_expect_eq(strncmp(err, path, strlen(path)), 0, "%s", err);
			cr_expect_null(strchr(err, '\n'));
		}
	}
	closedir(dh);
	cr_expect_geq(n, sizeof(fuzz_known) / sizeof(fuzz_known[0]), "fuzz fixtures missing");
}

Test(load, fuzz_found_escape_is_kept_verbatim)
{
	char path[PATH_MAX];
	struct dump *d;

	snprintf(path, sizeof(path), "%s/analyzer/fuzz-escape-in-state.json", FIXTURES_DIR);
	cr_assert_eq(dump_load_file(path, &d, err, sizeof(err)), 0, "%s", err);
	/* Stored as given; only printing escapes it (see e2e). */
	cr_expect_str_eq(d->threads[0].state, "\x1bg");
	dump_free(d);
}

/* lock-order-inversion edges: loaded with both stacks and gates; a bad
 * edge is refused with its JSON path. */
Test(load, lock_order_edges)
{
	json_t *doc = fixture_json("analyzer/lockorder.json");
	char *text = json_dumps(doc, JSON_COMPACT);
	struct dump *d = load_text(text, strlen(text));
	const struct dump_order_edge *e;

	cr_assert_not_null(d, "%s", err);
	cr_assert_eq(d->findings[0].n_order, 2);
	e = &d->findings[0].order[0];
	cr_expect_eq(e->tid, 15512);
	cr_expect_str_eq(e->thread, "t2");
	cr_expect_str_eq(e->held, "0x55ec88be80e0");
	cr_expect_str_eq(e->acquired_kind, "mutex");
	cr_expect_eq(e->held_stack.n, 4);
	cr_expect_str_eq(e->acquire_stack.frames[0].function, "lo_take_b_then_a+0x29");
	cr_expect_eq(e->n_gates, 0);
	dump_free(d);
	free(text);

	set_at(doc, "findings[0].order[1].gates", json_string("0x1"));
	expect_error(doc, NAME ": findings[0].order[1].gates: expected an array, got a string",
		     "gates not an array");
	set_at(doc, "findings[0].order[1].gates", json_pack("[s, i]", "0x1", 2));
	expect_error(doc, NAME ": findings[0].order[1].gates[1]: expected a string, got an integer",
		     "a gate not a string");
	del_at(doc, "findings[0].order[0].held_stack");
	expect_error(doc, NAME ": findings[0].order[0].held_stack: required field is missing",
		     "an edge without its stack");
	json_decref(doc);
}
