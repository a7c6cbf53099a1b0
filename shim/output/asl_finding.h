/* SPDX-License-Identifier: MIT */
/* Findings, and publishing them: the stderr report and the JSON dump. */
#ifndef ASL_FINDING_H
#define ASL_FINDING_H

#include "asl_snapshot.h"
#include "asl_modules.h"
#include "asl_lockorder.h"
#include "asl_verdict.h"

#define ASL_FINDING_TIDS 64

struct asl_cycle_step {
	pid_t tid;
	int kind; /* enum asl_wait_kind */
	uintptr_t obj;
	pid_t owner;
};

struct asl_finding {
	int kind;
	char message[384];
	int all_threads; /* names every thread in the snapshot */
	int ntids;
	pid_t tids[ASL_FINDING_TIDS];
	int nobjs;
	uintptr_t objs[4];
	int lock_kind;  /* abandoned-lock: enum asl_lock_kind */
	uintptr_t site; /* abandoned-lock: where it was taken */
	int ncycle;
	struct asl_cycle_step cycle[ASL_CYCLE_MAX];
	const struct asl_lo_cycle *lo; /* lock-order-inversion only */
};

/* A deadlock finding from a cycle found in s. */
void asl_finding_from_deadlock(struct asl_finding *f, const struct asl_snapshot *s, const struct asl_deadlock *d);

/* Everything a report or dump shows. */
struct asl_report_ctx {
	const char *reason;
	const struct asl_finding *f;
	int nf;
	const struct asl_snapshot *s;
	const struct asl_modules *mods;
	const char *dump_path; /* NULL when no dump was written */
	const char *footer;    /* what happens next, or NULL */
};

/* The human report, in memory (malloc'd; NULL when out of memory).  It ends
 * before the dump's path and the footer, which asl_publish adds. */
char *asl_report_render(const struct asl_report_ctx *r);

/* The report's last line, for tools to grep (the sanitizers' way):
 * "SUMMARY: asleep: <kind> <top frame> (<module>+0x<offset>)\n"; empty
 * without findings. */
void asl_report_summary(const struct asl_report_ctx *r, char *buf, size_t len);

/* What was published since start (suppressed findings not counted), for
 * error_exitcode, verbosity=1 and the metrics. */
unsigned long asl_published_count(int kind);
unsigned long asl_published_gating(void); /* of the kinds that fail the gate */
unsigned long asl_dumps_written(void);

/* The JSON dump of r as dump number seq (malloc'd; NULL when out of memory). */
char *asl_dump_render(const struct asl_report_ctx *r, int seq);

/* Writes text to DIR/asleep.<pid>.<seq>.json atomically (asl_dumpfile.h);
 * fills path.  Returns 0, or -1 with errno set. */
int asl_dump_store(const char *dir, int seq, const char *text, char *path, size_t len);

/* Publishes findings: takes a snapshot when s is NULL, renders the report
 * (if enabled) and the dump (if dump_dir is set) without any lock, then
 * writes them under the report lock.  footer: printed last, e.g. what the
 * shim does next.  Suppressed findings (asl_suppress.h) are dropped first;
 * returns how many were published.  Never called from a hook: from the
 * monitor, the exit check, a thread's exit, or the program's own call. */
int asl_publish(const char *reason, const struct asl_finding *f, int nf, const struct asl_snapshot *s,
                const char *footer);

/* How many reports and dumps are being written (in any thread). */
int asl_publish_in_flight(void);
/* Around any other dump written outside asl_publish (the monitor's periodic
 * ones): the exit check waits for it. */
int asl_output_begin(void);
void asl_output_end(void);

/* Remembers a reported key; returns 1 if it was already there. */
int asl_already_reported(unsigned long long key);
/* Whether the key was reported (nothing is remembered). */
int asl_was_reported(unsigned long long key);

void asl_publish_reset_after_fork(void);
void asl_publish_fork_prepare(void);
void asl_publish_fork_done(void);

#endif
