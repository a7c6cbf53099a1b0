/* SPDX-License-Identifier: MIT */
/* --format sarif: SARIF 2.1.0 for code-scanning services.  One run for
 * all dumps; one result per finding with a stable ruleId per kind, the
 * threads' stacks, the wait-for or lock-order cycle as code flows, and
 * partialFingerprints that survive reruns (finding.h).  A gate's
 * suppressed findings stay in the log, marked as suppressed, as SARIF
 * viewers expect. */
#define _GNU_SOURCE /* asprintf */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "frame.h"
#include "json_build.h"
#include "finding.h"
#include "format.h"
#include "gate.h"

#define SARIF_SCHEMA_URI "https://docs.oasis-open.org/sarif/sarif/v2.1.0/os/schemas/sarif-schema-2.1.0.json"
#define FINGERPRINT_KEY "asleepFinding/v1"

/* Characters a URI may carry as they are (RFC 3986 unreserved and '/'). */
static bool uri_plain(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strchr("-._~/", c) != NULL;
}

/* An absolute path becomes file:///..., a relative one stays relative
 * (to the source root); everything else is percent-encoded. */
static json_t *path_uri(const char *path)
{
	size_t len = strlen(path), i, o = 0;
	char *buf = malloc(3 * len + 8);
	json_t *s;

	if (!buf)
		return NULL;
	if (path[0] == '/')
		o = (size_t)sprintf(buf, "file://");
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)path[i];
		if (uri_plain(c) && c != '\0')
			buf[o++] = (char)c;
		else
			o += (size_t)sprintf(buf + o, "%%%02X", c);
	}
	buf[o] = '\0';
	s = json_string(buf);
	free(buf);
	return s;
}

static json_t *text_message(struct jbuild *b, const char *text)
{
	json_t *m = jb_obj(b);

	jb_set(b, m, "text", json_string(text));
	return m;
}

/* Code scanning wants paths relative to the checkout: a path under
 * $ASLEEP_SRCROOT (default: the current directory) becomes relative to the
 * base id %SRCROOT%, which the run maps back to that directory. */
#define SRCROOT_ID "%SRCROOT%"
static char srcroot[4096];
static bool srcroot_used;

static void srcroot_init(void)
{
	const char *env = getenv("ASLEEP_SRCROOT");
	size_t n;

	srcroot_used = false;
	srcroot[0] = '\0';
	if (env && env[0] == '/' && strlen(env) < sizeof srcroot - 2)
		strcpy(srcroot, env);
	else if (!getcwd(srcroot, sizeof srcroot - 2))
		srcroot[0] = '\0';
	n = strlen(srcroot);
	if (n > 1 && srcroot[n - 1] != '/')
		strcpy(srcroot + n, "/");
	else if (n == 1)
		srcroot[0] = '\0'; /* "/" would make every path relative: keep them absolute */
}

static const char *under_srcroot(const char *path)
{
	size_t n = strlen(srcroot);
	if (n == 0 || strncmp(path, srcroot, n) != 0 || path[n] == '\0')
		return NULL;
	return path + n;
}

/* A location: the source line when known, else the module (or the
 * program) as the artifact; the function as a logical location. */
static json_t *frame_location(struct jbuild *b, const struct dump *d, const struct dump_frame *f, const char *message)
{
	json_t *loc = jb_obj(b), *phys, *art, *region, *logical, *ll;
	const char *path = NULL;
	struct frame_sym s = { 0 };

	if (f)
		frame_sym_get(b->sym, d, f, &s);
	path = s.file ? s.file : s.module_path ? s.module_path : d->exe;
	if (path) {
		phys = jb_obj(b);
		art = jb_obj(b);
		const char *rel = under_srcroot(path);
		jb_set(b, art, "uri", path_uri(rel ? rel : path));
		if (rel) {
			jb_set(b, art, "uriBaseId", json_string(SRCROOT_ID));
			srcroot_used = true;
		}
		jb_set(b, phys, "artifactLocation", art);
		if (s.file && s.line > 0) {
			region = jb_obj(b);
			jb_set(b, region, "startLine", json_integer(s.line));
			jb_set(b, phys, "region", region);
		}
		jb_set(b, loc, "physicalLocation", phys);
	}
	if (s.function) {
		logical = jb_arr(b);
		ll = jb_obj(b);
		jb_set(b, ll, "name", json_stringn(s.function, s.function_len));
		jb_set(b, ll, "kind", json_string("function"));
		jb_push(b, logical, ll);
		jb_set(b, loc, "logicalLocations", logical);
	}
	if (message)
		jb_set(b, loc, "message", text_message(b, message));
	return loc;
}

static char *thread_title(const struct dump *d, long long tid, const char *what)
{
	const struct dump_thread *t = dump_find_thread(d, tid);
	char *s = NULL;

	if (asprintf(&s, "tid %lld%s%s%s%s", tid, t ? " \"" : "", t ? t->name : "", t ? "\"" : "", what) < 0)
		return NULL;
	return s;
}

static json_t *stack_json(struct jbuild *b, const struct dump *d, long long tid, const struct dump_stack *s,
                          const char *what)
{
	json_t *st = jb_obj(b), *frames = jb_arr(b), *fr;
	char *title = thread_title(d, tid, what);
	struct frame_sym fs;
	size_t i;

	b->failed |= !title;
	jb_set(b, st, "message", text_message(b, title ? title : ""));
	free(title);
	for (i = 0; i < s->n; i++) {
		fr = jb_obj(b);
		frame_sym_get(b->sym, d, &s->frames[i], &fs);
		jb_set(b, fr, "location", frame_location(b, d, &s->frames[i], NULL));
		if (fs.module)
			jb_set(b, fr, "module", json_string(fs.module));
		jb_set(b, fr, "threadId", json_integer(tid));
		jb_push(b, frames, fr);
	}
	jb_set(b, st, "frames", frames);
	return st;
}

/* Each named thread's wait stack and creation stack, for the first
 * STACK_THREADS threads: an all-asleep finding may name thousands, whose
 * stacks the JSON summary and the text report group; SARIF viewers show
 * a few.  properties.threads still lists them all. */
#define STACK_THREADS 16

static json_t *stacks_json(struct jbuild *b, const struct dump *d, const struct dump_finding *f)
{
	json_t *a = jb_arr(b);
	const struct dump_thread *t;
	size_t i;

	for (i = 0; i < f->n_threads && i < STACK_THREADS; i++) {
		if (!(t = dump_find_thread(d, f->threads[i])))
			continue;
		if (t->stack.n)
			jb_push(b, a, stack_json(b, d, t->tid, &t->stack, ""));
		if (t->creator_stack.n)
			jb_push(b, a, stack_json(b, d, t->tid, &t->creator_stack, ", created at"));
	}
	return a;
}

static json_t *flow_step(struct jbuild *b, const struct dump *d, const struct dump_frame *f, const char *text)
{
	json_t *step = jb_obj(b);

	jb_set(b, step, "location", frame_location(b, d, f, text));
	return step;
}

static json_t *thread_flow(struct jbuild *b, long long tid, json_t *steps)
{
	json_t *tf = jb_obj(b);
	char id[32];

	snprintf(id, sizeof(id), "tid %lld", tid);
	jb_set(b, tf, "id", json_string(id));
	jb_set(b, tf, "locations", steps);
	return tf;
}

static json_t *wrap_flows(struct jbuild *b, json_t *thread_flows, const char *text)
{
	json_t *flows = jb_arr(b), *cf = jb_obj(b);

	jb_set(b, cf, "message", text_message(b, text));
	jb_set(b, cf, "threadFlows", thread_flows);
	jb_push(b, flows, cf);
	return flows;
}

/* The wait-for cycle: one thread flow per waiting thread, at its wait. */
static json_t *cycle_flows(struct jbuild *b, const struct dump *d, const struct dump_finding *f)
{
	json_t *tfs = jb_arr(b), *steps;
	const struct dump_cycle_step *c;
	const struct dump_thread *t;
	char *text;
	size_t i;

	for (i = 0; i < f->n_cycle; i++) {
		c = &f->cycle[i];
		t = dump_find_thread(d, c->tid);
		if (!(text = wait_step_text(c))) {
			b->failed = true;
			continue;
		}
		steps = jb_arr(b);
		jb_push(b, steps, flow_step(b, d, t && t->stack.n ? &t->stack.frames[0] : NULL, text));
		jb_push(b, tfs, thread_flow(b, c->tid, steps));
		free(text);
	}
	return wrap_flows(b, tfs, "wait-for cycle");
}

/* The lock-order cycle: per edge, where the first lock was taken, then
 * where the second was requested while holding it. */
static json_t *order_flows(struct jbuild *b, const struct dump *d, const struct dump_finding *f)
{
	json_t *tfs = jb_arr(b), *steps;
	char *held = NULL, *then = NULL;
	size_t i;

	for (i = 0; i < f->n_order; i++) {
		const struct dump_order_edge *e = &f->order[i];
		if (asprintf(&held, "takes %s %s", e->held_kind, e->held) < 0 ||
		    asprintf(&then, "then takes %s %s while holding %s", e->acquired_kind, e->acquired, e->held) < 0) {
			b->failed = true;
			free(held);
			continue;
		}
		steps = jb_arr(b);
		jb_push(b, steps, flow_step(b, d, e->held_stack.n ? &e->held_stack.frames[0] : NULL, held));
		jb_push(b, steps, flow_step(b, d, e->acquire_stack.n ? &e->acquire_stack.frames[0] : NULL, then));
		jb_push(b, tfs, thread_flow(b, e->tid, steps));
		free(held);
		free(then);
	}
	return wrap_flows(b, tfs, "lock-order cycle");
}

static json_t *suppression_json(struct jbuild *b, const struct format_input *in, const struct supp_rule *r)
{
	json_t *a = jb_arr(b), *s = jb_obj(b);
	char *why = NULL;

	if (asprintf(&why, "%s:%s (%s:%u)", r->kind, r->pattern, in->supp->file, r->line) < 0)
		why = NULL;
	b->failed |= !why;
	jb_set(b, s, "kind", json_string("external"));
	jb_set(b, s, "justification", json_string(why ? why : ""));
	free(why);
	jb_push(b, a, s);
	return a;
}

static json_t *result_props(struct jbuild *b, const struct dump *d, const struct dump_finding *f)
{
	json_t *p = jb_obj(b), *tids = jb_arr(b), *objs = jb_arr(b);
	size_t i;

	for (i = 0; i < f->n_threads; i++)
		jb_push(b, tids, json_integer(f->threads[i]));
	for (i = 0; i < f->n_objects; i++)
		jb_push(b, objs, json_string(f->objects[i]));
	jb_set(b, p, "kind", json_string(f->kind));
	jb_set(b, p, "dump", json_string(d->file));
	jb_set(b, p, "pid", json_integer(d->pid));
	jb_set(b, p, "seq", json_integer(d->seq));
	jb_set(b, p, "reason", json_string(d->reason));
	jb_set(b, p, "threads", tids);
	jb_set(b, p, "objects", objs);
	return p;
}

/* Rule index of kind in the driver's rules, appending unknown kinds. */
static size_t rule_index(struct jbuild *b, json_t *rules, const char *kind);

static json_t *result_json(struct jbuild *b, const struct format_input *in, size_t di, size_t fi, json_t *rules)
{
	const struct dump *d = in->dumps[di];
	const struct dump_finding *f = &d->findings[fi];
	const struct finding_verdict *v = &in->verdicts[di][fi];
	json_t *r = jb_obj(b), *locs = jb_arr(b), *fps = jb_obj(b);
	char id[RULE_ID_MAX], fp[FINGERPRINT_LEN] = "";

	finding_rule_id(f->kind, id, sizeof(id));
	b->failed |= finding_fingerprint(b->sym, d, fi, fp) < 0;
	jb_set(b, r, "ruleId", json_string(id));
	jb_set(b, r, "ruleIndex", json_integer((json_int_t)rule_index(b, rules, f->kind)));
	jb_set(b, r, "level", json_string(gate_blocks_kind(f->kind) ? "error" : "warning"));
	jb_set(b, r, "message", text_message(b, f->message));
	jb_push(b, locs, frame_location(b, d, finding_top_frame(b->sym, d, f), NULL));
	jb_set(b, r, "locations", locs);
	jb_set(b, fps, FINGERPRINT_KEY, json_string(fp));
	jb_set(b, r, "partialFingerprints", fps);
	if (f->n_cycle)
		jb_set(b, r, "codeFlows", cycle_flows(b, d, f));
	else if (f->n_order)
		jb_set(b, r, "codeFlows", order_flows(b, d, f));
	jb_set(b, r, "stacks", stacks_json(b, d, f));
	if (v->suppressed_by)
		jb_set(b, r, "suppressions", suppression_json(b, in, v->suppressed_by));
	jb_set(b, r, "properties", result_props(b, d, f));
	return r;
}

static json_t *rule_json(struct jbuild *b, const char *id, const char *name, const char *summary, bool gated)
{
	json_t *r = jb_obj(b), *conf = jb_obj(b);

	jb_set(b, r, "id", json_string(id));
	jb_set(b, r, "name", json_string(name));
	jb_set(b, r, "shortDescription", text_message(b, summary));
	jb_set(b, conf, "level", json_string(gated ? "error" : "warning"));
	jb_set(b, r, "defaultConfiguration", conf);
	return r;
}

static size_t rule_index(struct jbuild *b, json_t *rules, const char *kind)
{
	const struct finding_rule *known = finding_rule_find(kind);
	char id[RULE_ID_MAX], *summary = NULL;
	size_t i;

	finding_rule_id(kind, id, sizeof(id));
	if (known)
		return (size_t)(known - finding_rules);
	for (i = n_finding_rules; i < json_array_size(rules); i++)
		if (strcmp(json_string_value(json_object_get(json_array_get(rules, i), "id")), id) == 0)
			return i;
	if (asprintf(&summary, "Finding of kind \"%s\" (newer than this analyzer).", kind) < 0)
		summary = NULL;
	b->failed |= !summary;
	jb_push(b, rules, rule_json(b, id, id, summary ? summary : "", false));
	free(summary);
	return json_array_size(rules) - 1;
}

static json_t *run_props(struct jbuild *b, const struct format_input *in)
{
	json_t *p = jb_obj(b), *dumps = jb_arr(b), *empty = jb_arr(b), *o;
	size_t i;

	for (i = 0; i < in->n; i++) {
		o = jb_obj(b);
		jb_set(b, o, "file", json_string(in->dumps[i]->file));
		jb_set(b, o, "pid", json_integer(in->dumps[i]->pid));
		jb_set(b, o, "seq", json_integer(in->dumps[i]->seq));
		jb_set(b, o, "reason", json_string(in->dumps[i]->reason));
		jb_push(b, dumps, o);
	}
	for (i = 0; i < in->n_empty_dirs; i++)
		jb_push(b, empty, json_string(in->empty_dirs[i]));
	jb_set(b, p, "command", json_string(in->gate ? "gate" : "report"));
	jb_set(b, p, "dumps", dumps);
	jb_set(b, p, "emptyDirs", empty);
	return p;
}

int format_sarif_write(FILE *out, const struct format_input *in)
{
	struct jbuild b = { .sym = in->sym };
	json_t *root = jb_obj(&b), *runs = jb_arr(&b), *run = jb_obj(&b), *tool = jb_obj(&b), *driver = jb_obj(&b),
	       *rules = jb_arr(&b), *results = jb_arr(&b), *invocations = jb_arr(&b), *inv = jb_obj(&b);
	size_t i, j;

	srcroot_init();
	for (i = 0; i < n_finding_rules; i++)
		jb_push(&b, rules,
		        rule_json(&b, finding_rules[i].id, finding_rules[i].name, finding_rules[i].summary,
		                  gate_blocks_kind(finding_rules[i].kind)));
	for (i = 0; i < in->n; i++)
		for (j = 0; j < in->dumps[i]->n_findings; j++)
			jb_push(&b, results, result_json(&b, in, i, j, rules));
	jb_set(&b, root, "$schema", json_string(SARIF_SCHEMA_URI));
	jb_set(&b, root, "version", json_string("2.1.0"));
	jb_set(&b, driver, "name", json_string("asleep"));
	jb_set(&b, driver, "rules", rules);
	jb_set(&b, tool, "driver", driver);
	jb_set(&b, run, "tool", tool);
	jb_set(&b, inv, "executionSuccessful", json_true());
	jb_set(&b, inv, "exitCode", json_integer(in->failing ? 1 : 0));
	jb_push(&b, invocations, inv);
	jb_set(&b, run, "invocations", invocations);
	jb_set(&b, run, "results", results);
	if (srcroot_used) {
		json_t *bases = jb_obj(&b), *base = jb_obj(&b);
		jb_set(&b, base, "uri", path_uri(srcroot));
		jb_set(&b, bases, SRCROOT_ID, base);
		jb_set(&b, run, "originalUriBaseIds", bases);
	}
	jb_set(&b, run, "properties", run_props(&b, in));
	jb_push(&b, runs, run);
	jb_set(&b, root, "runs", runs);
	return jb_print(&b, out, root);
}
