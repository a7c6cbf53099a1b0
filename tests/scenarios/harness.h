/* SPDX-License-Identifier: MIT */
/* Scenario harness: runs each program of tests/scenarios under the shim and
 * checks its exit status, stderr and dump files.
 *
 * Paths come from the environment (meson sets them):
 *   ASLEEP_TEST_SHIM       the shim (.so) to LD_PRELOAD
 *   ASLEEP_TEST_BINDIR     where the scenario programs were built
 *   ASLEEP_TEST_SCHEMA     docs/dump.schema.json
 *   ASLEEP_TEST_VALIDATOR  tests/tools/validate_dump.py
 *   ASLEEP_TEST_PYTHON     python3 (optional; default "python3" from PATH)
 *
 * Each run gets a fresh directory $TMPDIR/asleep-scen-NAME-XXXXXX holding
 * dumps/ (the dump_dir) and cwd/ (the program's working directory). It is
 * removed when the test passes and kept (and named in the failure message)
 * when it fails. */
#ifndef ASLEEP_SCEN_HARNESS_H
#define ASLEEP_SCEN_HARNESS_H

#include <criterion/criterion.h>
#include <dirent.h>
#include <jansson.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

/* ALL_ASLEEP_EXPECT(...) lets a test override a default field. */
#pragma GCC diagnostic ignored "-Woverride-init"

#define RUN_TIMEOUT_MS 20000 /* hard limit for one scenario run */
/* RUN_STDIN_LATE: what the program's stdin gets, and when; later than the
 * default grace_ms plus a monitor period, so that a wrong verdict would have
 * the time to fire before the data arrives */
#define STDIN_LATE_MS 1500
#define STDIN_LATE_DATA "late\n"
#define MAX_DUMPS 256

struct buf {
    char *p;
    size_t n, cap;
};

enum {
    RUN_NO_DUMP_DIR = 1,   /* ASLEEP_OPTIONS without dump_dir= */
    RUN_FRESH_DUMP_DIR = 2, /* dump_dir names a directory that does not exist yet */
    RUN_EXPECT_TIMEOUT = 4, /* the program is meant to outlive the time limit */
    RUN_STDIN_LATE = 8,     /* stdin: a pipe another process writes STDIN_LATE_DATA to
                               after STDIN_LATE_MS, then closes (default: /dev/null) */
    RUN_KILLED_TMP_OK = 16  /* the run ends in SIGKILL: a dump caught mid-write may leave
                               its temporary file, which is not a stray */
};

struct run {
    const char *name;
    pid_t pid;
    int status;     /* exit status, -1 when killed by a signal */
    int sig;        /* terminating signal or 0 */
    bool timed_out; /* the harness had to kill it */
    bool expect_timeout; /* on_deadlock=continue: no stacks needed */
    bool stdin_late; /* RUN_STDIN_LATE */
    bool killed_tmp_ok; /* RUN_KILLED_TMP_OK */
    long long ms;   /* wall time */
    struct buf out, err;
    char root[PATH_MAX], dumps[PATH_MAX + 32], cwd[PATH_MAX + 32];
    char options[PATH_MAX + 1024];
    int ndumps;
    char *file[MAX_DUMPS];
    json_t *dump[MAX_DUMPS];
    struct buf stray; /* unexpected files in the dump dir */
    struct buf stacks; /* gdb backtraces of a hung run */
    struct buf desc;  /* summary for failure messages */
};

struct expect {
    int status;               /* expected exit status (when sig == 0 and !still_running) */
    int sig;                  /* expected terminating signal */
    bool still_running;       /* on_deadlock=continue: must outlive the time limit */
    const char *kinds[6];     /* finding kinds that must occur */
    const char *forbid[6];    /* finding kinds that must not occur */
    bool exact;               /* no other finding kinds at all */
    const char *reason;       /* a dump of the process with this reason must exist */
    const char *first_line[4];/* one of these must occur (case-insensitively) in stderr's first line */
    bool quiet;               /* stderr must be empty */
    int max_ms;               /* the run must end within this many ms (0: only the hard limit) */
};

#define D(r) buf_str(&(r)->desc)
#define ALL_ASLEEP_EXPECT(...)                                                                                        \
    ((struct expect){.status = 2, .reason = "all-asleep", .first_line = {"deadlock"}, .max_ms = 5000, __VA_ARGS__})
#define CLEAN_EXPECT ((struct expect){.status = 0, .exact = true, .reason = "exit", .quiet = true})

extern struct run R; /* the run of the current test (one test per process) */

/* What each function checks is said at its definition in harness.c. */

void buf_add(struct buf *b, const char *s, size_t n);
__attribute__((format(printf, 2, 3)))
void buf_printf(struct buf *b, const char *fmt, ...);
const char *buf_str(const struct buf *b);
long long now_ms(void);
const char *need_env(const char *key);
const char *jstr(json_t *o, const char *key);
json_int_t jint(json_t *o, const char *key);
void run_scenario(struct run *r, const char *name, const char *opts, unsigned flags, int timeout_ms);
void run_done(struct run *r);
bool kind_is(json_t *f, const char *kind);
int count_kind(struct run *r, const char *kind);
json_t *find_finding(struct run *r, const char *kind, json_t **dump);
json_t *find_in_dump(json_t *dump, const char *kind);
json_t *dump_with_reason(struct run *r, const char *reason);
json_t *thread_of(json_t *dump, json_int_t tid);
json_t *thread_named(struct run *r, json_t *dump, const char *name);
json_t *main_thread(struct run *r, json_t *dump);
bool int_array_has(json_t *a, json_int_t v);
json_t *expect_wait(struct run *r, json_t *t, const char *kind);
void expect_join(struct run *r, json_t *dump, json_t *target);
long note(struct run *r, const char *key);
void expect_fd_wait(struct run *r, json_t *t, const char *kind, long fd, long peer);
bool same_multiset(const char **a, const char **b, size_t n);
void check_cycle(struct run *r, json_t *dump, json_t *f, size_t len, const char *const *kinds,
                 const char *const *names);
json_t *check_all_asleep(struct run *r, size_t n);
void check_leaks(struct run *r, const char *const *names, size_t n, const char *wait_kind);
void check_expect(struct run *r, const struct expect *e);
void check_not_broken(struct run *r);
void run_and_check(const char *name, const char *opts, unsigned flags, int timeout_ms, struct expect e);

#endif
