/* SPDX-License-Identifier: MIT */
/* In-memory form of one asleep-dump/1 file (docs/dump.schema.json).
 *
 * The loader fills these structs only after validating every field it
 * reads, so consumers (text report, gate, later formats) may trust types
 * and ranges: module indexes are in range, addresses match ^0x[0-9a-f]+$,
 * required strings are non-NULL.  Strings point into the parsed JSON
 * document, which the dump owns (root); arrays are owned by the dump. */
#ifndef ASLEEP_DUMP_H
#define ASLEEP_DUMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

struct dump_frame {
	const char *addr;     /* "0x..." */
	long long module;     /* index into dump.modules, -1 when absent */
	const char *offset;   /* "0x..." or NULL */
	const char *function; /* "name+0x1f" or NULL */
};

struct dump_stack {
	struct dump_frame *frames;
	size_t n;
};

struct dump_wait {
	const char *kind; /* mutex, cond, join, ... (shown verbatim) */
	const char *object;
	long long *owners;
	size_t n_owners;
	const char *mutex; /* cond waits: the released mutex, or NULL */
	const char *what;  /* the primitive behind a futex wait ("future", "semaphore"...), or NULL */
	long long since_ms;
	bool timed;
	int shared; /* -1 absent, else 0/1 */
};

struct dump_held {
	const char *kind;
	const char *object;
	bool has_site;
	struct dump_frame site;
};

struct dump_thread {
	long long tid;
	const char *name;
	const char *state;
	int main;     /* -1 absent, else 0/1 */
	int detached; /* -1 absent, else 0/1 */
	bool has_wait;
	struct dump_wait wait;
	struct dump_held *held;
	size_t n_held;
	struct dump_stack stack;
	bool has_created_by;
	long long creator_tid;
	struct dump_stack creator_stack;
};

struct dump_cycle_step {
	long long tid;
	const char *kind;
	const char *object;
	long long owner;
};

/* lock-order-inversion: thread tid held `held`, then acquired `acquired`. */
struct dump_order_edge {
	long long tid;
	const char *thread; /* its name then, or NULL */
	const char *held, *held_kind;
	const char *acquired, *acquired_kind;
	struct dump_stack held_stack;    /* where held was taken */
	struct dump_stack acquire_stack; /* where acquired was requested */
	const char **gates;              /* locks held at every sighting of the edge */
	size_t n_gates;
};

struct dump_finding {
	const char *kind;
	const char *message;
	long long *threads;
	size_t n_threads;
	const char **objects;
	size_t n_objects;
	struct dump_cycle_step *cycle;
	size_t n_cycle;
	bool has_site;
	struct dump_frame site;
	struct dump_order_edge *order;
	size_t n_order;
};

struct dump_module {
	const char *path;
	const char *base;
	const char *build_id; /* NULL when absent */
};

struct dump {
	char *file;   /* as given on the command line */
	json_t *root; /* owns every string below */
	long long pid;
	long long seq;
	const char *reason;
	const char *exe; /* NULL when absent */
	bool has_time_unix_ms, has_uptime_ms, has_live_threads, has_peak_threads;
	long long time_unix_ms, uptime_ms, live_threads, peak_threads;
	struct dump_thread *threads;
	size_t n_threads;
	struct dump_finding *findings;
	size_t n_findings;
	struct dump_module *modules;
	size_t n_modules;
};

void dump_free(struct dump *d);

/* The thread with this tid, or NULL. */
const struct dump_thread *dump_find_thread(const struct dump *d, long long tid);

/* Prints the most readable name of a frame: its function, else the
 * module's basename plus offset, else the raw address. */
void dump_print_frame(FILE *out, const struct dump *d, const struct dump_frame *f);

/* The part of a path after the last '/'. */
const char *path_basename(const char *path);

/* tid lookup in O(log n): dumps of 10,000 threads name thousands of tids. */
struct tid_index {
	const struct dump_thread **by_tid;
	size_t n;
};

int tid_index_build(const struct dump *d, struct tid_index *ix);
const struct dump_thread *tid_index_find(const struct tid_index *ix, long long tid);
void tid_index_free(struct tid_index *ix);

#endif
