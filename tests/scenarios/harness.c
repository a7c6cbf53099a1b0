/* SPDX-License-Identifier: MIT */
/* Scenario harness (shared by the criterion files of tests/scenarios): runs
 * one scenario program under the shim, loads and validates its dumps, and
 * offers the queries and checks the tests make on them. See harness.h. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <jansson.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

extern char **environ;

struct run R;

/* ------------------------------------------------------------------------ */
/* small utilities */

void buf_add(struct buf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 4096;
        while (cap < b->n + n + 1)
            cap *= 2;
        b->p = realloc(b->p, cap);
        cr_assert(b->p != NULL, "out of memory");
        b->cap = cap;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

__attribute__((format(printf, 2, 3)))
void buf_printf(struct buf *b, const char *fmt, ...)
{
    char *tmp = NULL;
    va_list ap;
    va_start(ap, fmt);
    int n = vasprintf(&tmp, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    buf_add(b, tmp, (size_t)n);
    free(tmp);
}

const char *buf_str(const struct buf *b)
{
    return b->p ? b->p : "";
}

long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

const char *need_env(const char *key)
{
    const char *v = getenv(key);
    cr_assert(v != NULL && *v != '\0',
              "environment variable %s is not set (run the suite through `meson test`)", key);
    return v;
}

static int rm_one(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
    (void)sb;
    (void)type;
    (void)ftw;
    remove(path);
    return 0;
}

static void rm_rf(const char *dir)
{
    nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* ------------------------------------------------------------------------ */
/* running one scenario */

static char **child_env(const char *shim, const char *options, const char *dumps)
{
    size_t n = 0;
    while (environ[n])
        n++;
    char **env = calloc(n + 4, sizeof *env);
    cr_assert(env != NULL);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (!strncmp(environ[i], "LD_PRELOAD=", 11) || !strncmp(environ[i], "ASLEEP_OPTIONS=", 15) ||
            !strncmp(environ[i], "ASLEEP_TEST_DUMP_DIR=", 21))
            continue;
        env[k++] = environ[i];
    }
    if (asprintf(&env[k++], "LD_PRELOAD=%s", shim) < 0)
        cr_assert_fail("asprintf");
    if (options && asprintf(&env[k++], "ASLEEP_OPTIONS=%s", options) < 0)
        cr_assert_fail("asprintf");
    if (asprintf(&env[k++], "ASLEEP_TEST_DUMP_DIR=%s", dumps) < 0)
        cr_assert_fail("asprintf");
    env[k] = NULL;
    return env;
}

/* Read what is available on *fd into b; close and set *fd = -1 at EOF. */
static void drain(int *fd, struct buf *b)
{
    char tmp[4096];
    for (;;) {
        ssize_t n = read(*fd, tmp, sizeof tmp);
        if (n > 0) {
            buf_add(b, tmp, (size_t)n);
            continue;
        }
        if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
            close(*fd);
            *fd = -1;
        }
        return;
    }
}

static void record_status(struct run *r, int st)
{
    if (WIFEXITED(st)) {
        r->status = WEXITSTATUS(st);
        r->sig = 0;
    } else if (WIFSIGNALED(st)) {
        r->status = -1;
        r->sig = WTERMSIG(st);
    }
}

/* Run `cmd` through sh with a time limit, appending its output to b. */
static void capture_cmd(struct buf *b, const char *cmd, int limit_ms)
{
    int p[2];
    if (pipe2(p, O_CLOEXEC) != 0)
        return;
    pid_t pid = fork();
    if (pid < 0)
        return;
    if (pid == 0) {
        setpgid(0, 0);
        dup2(p[1], 1);
        dup2(p[1], 2);
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    setpgid(pid, pid);
    close(p[1]);
    fcntl(p[0], F_SETFL, O_NONBLOCK);
    int fd = p[0];
    long long deadline = now_ms() + limit_ms;
    while (fd >= 0 && now_ms() < deadline) {
        struct pollfd pf = {.fd = fd, .events = POLLIN};
        poll(&pf, 1, 50);
        drain(&fd, b);
    }
    if (fd >= 0) {
        kill(-pid, SIGKILL);
        close(fd);
    }
    while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
        ;
}

/* Before killing a hung run: the backtraces of every process of its group
 * (when gdb is installed), for the failure message. */
static void capture_stacks(struct run *r, pid_t pgid)
{
    if (access("/usr/bin/gdb", X_OK) != 0)
        return;
    DIR *d = opendir("/proc");
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        char path[300], stat[1024];
        long p = strtol(e->d_name, NULL, 10);
        if (p <= 0)
            continue;
        snprintf(path, sizeof path, "/proc/%ld/stat", p);
        FILE *f = fopen(path, "r");
        if (!f)
            continue;
        size_t n = fread(stat, 1, sizeof stat - 1, f);
        fclose(f);
        stat[n] = '\0';
        char *q = strrchr(stat, ')');
        int ppid = 0, pgrp = 0;
        char st = 0;
        if (!q || sscanf(q + 1, " %c %d %d", &st, &ppid, &pgrp) != 3 || pgrp != pgid)
            continue;
        /* gdb cannot attach through a zombie leader (main called
         * pthread_exit): use a live thread of the process instead */
        long target = p;
        if (st == 'Z') {
            char tdir[64];
            snprintf(tdir, sizeof tdir, "/proc/%ld/task", p);
            DIR *td = opendir(tdir);
            struct dirent *te;
            while (td && (te = readdir(td)) != NULL) {
                long t = strtol(te->d_name, NULL, 10);
                if (t > 0 && t != p) {
                    target = t;
                    break;
                }
            }
            if (td)
                closedir(td);
        }
        char cmd[200];
        buf_printf(&r->stacks, "=== process %ld (state %c)\n", p, st);
        snprintf(cmd, sizeof cmd, "gdb -p %ld -batch -nx -ex 'thread apply all bt 20' 2>/dev/null | grep -E '^(#|Thread)'", target);
        capture_cmd(&r->stacks, cmd, 15000);
    }
    closedir(d);
}

/* Fork+exec the program with the shim, capture stdout/stderr, enforce the
 * time limit (killing the whole process group). */
static void spawn(struct run *r, const char *path, char **env, int timeout_ms)
{
    /* The late stdin writer is a process of its own (not the harness, which
     * would risk SIGPIPE), forked before the output pipes exist so that it
     * never holds them. */
    int pi[2] = {-1, -1};
    pid_t feeder = -1;
    if (r->stdin_late) {
        cr_assert(pipe2(pi, O_CLOEXEC) == 0, "pipe: %s", strerror(errno));
        feeder = fork();
        cr_assert(feeder >= 0, "fork: %s", strerror(errno));
        if (feeder == 0) {
            close(pi[0]);
            struct timespec d = {STDIN_LATE_MS / 1000, (STDIN_LATE_MS % 1000) * 1000000L};
            while (nanosleep(&d, &d) == -1 && errno == EINTR)
                ;
            size_t len = strlen(STDIN_LATE_DATA);
            _exit(write(pi[1], STDIN_LATE_DATA, len) == (ssize_t)len ? 0 : 1);
        }
        close(pi[1]);
    }
    int po[2], pe[2];
    cr_assert(pipe2(po, O_CLOEXEC) == 0 && pipe2(pe, O_CLOEXEC) == 0, "pipe: %s", strerror(errno));
    long long start = now_ms();
    pid_t pid = fork();
    cr_assert(pid >= 0, "fork: %s", strerror(errno));
    if (pid == 0) {
        setpgid(0, 0);
        struct rlimit no_core = {0, 0};
        setrlimit(RLIMIT_CORE, &no_core);
        int in = r->stdin_late ? pi[0] : open("/dev/null", O_RDONLY);
        if (in < 0 || dup2(in, 0) < 0 || fcntl(0, F_SETFD, 0) < 0 || dup2(po[1], 1) < 0 || dup2(pe[1], 2) < 0 ||
            chdir(r->cwd) != 0)
            _exit(126);
        char *argv[] = {(char *)path, NULL};
        execve(path, argv, env);
        dprintf(2, "run_scenarios: exec %s: %s\n", path, strerror(errno));
        _exit(127);
    }
    setpgid(pid, pid);
    r->pid = pid;
    if (pi[0] >= 0)
        close(pi[0]);
    close(po[1]);
    close(pe[1]);
    int fo = po[0], fe = pe[0];
    fcntl(fo, F_SETFL, O_NONBLOCK);
    fcntl(fe, F_SETFL, O_NONBLOCK);

    bool reaped = false;
    long long reaped_at = 0, deadline = start + timeout_ms;
    for (;;) {
        struct pollfd pf[2];
        int npf = 0;
        if (fo >= 0)
            pf[npf++] = (struct pollfd){.fd = fo, .events = POLLIN};
        if (fe >= 0)
            pf[npf++] = (struct pollfd){.fd = fe, .events = POLLIN};
        if (npf)
            poll(pf, (nfds_t)npf, 20);
        else
            usleep(20000);
        if (fo >= 0)
            drain(&fo, &r->out);
        if (fe >= 0)
            drain(&fe, &r->err);
        if (!reaped) {
            int st;
            if (waitpid(pid, &st, WNOHANG) == pid) {
                record_status(r, st);
                reaped = true;
                reaped_at = now_ms();
                r->ms = reaped_at - start;
            }
        }
        if (reaped && fo < 0 && fe < 0)
            break;
        /* a grandchild still holds the pipes: give it 3 s, then stop it */
        if (reaped && now_ms() - reaped_at > 3000)
            break;
        if (!reaped && now_ms() > deadline) {
            int st;
            r->timed_out = true;
            if (!r->expect_timeout)
                capture_stacks(r, pid);
            kill(-pid, SIGKILL);
            kill(pid, SIGKILL);
            while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
                ;
            record_status(r, st);
            r->ms = now_ms() - start;
            reaped = true;
            reaped_at = now_ms() - 2900; /* drain briefly */
        }
    }
    /* Members of the group still hold our pipes (so the group exists and its
     * id cannot have been reused): stop them. */
    if (fo >= 0 || fe >= 0)
        kill(-pid, SIGKILL);
    if (fo >= 0)
        close(fo);
    if (fe >= 0)
        close(fe);
    if (feeder > 0) {
        /* still sleeping when the program ended early: not needed any more */
        kill(feeder, SIGKILL);
        while (waitpid(feeder, NULL, 0) < 0 && errno == EINTR)
            ;
    }
}

static int cmp_dump_name(const void *a, const void *b)
{
    const char *x = *(char *const *)a, *y = *(char *const *)b;
    long px = 0, sx = 0, py = 0, sy = 0;
    sscanf(x, "asleep.%ld.%ld.json", &px, &sx);
    sscanf(y, "asleep.%ld.%ld.json", &py, &sy);
    if (px != py)
        return px < py ? -1 : 1;
    return sx < sy ? -1 : sx > sy;
}

static bool dump_name(const char *s, long *pid, long *seq)
{
    int n = -1;
    if (sscanf(s, "asleep.%ld.%ld.json%n", pid, seq, &n) != 2 || n < 0 || s[n] != '\0')
        return false;
    for (const char *p = s + 7; *p && p < s + n - 5; p++)
        if (!isdigit((unsigned char)*p) && *p != '.')
            return false;
    return true;
}

static void validate(struct run *r)
{
    if (r->ndumps == 0)
        return;
    const char *py = getenv("ASLEEP_TEST_PYTHON");
    if (!py || !*py)
        py = "python3";
    const char *argv[MAX_DUMPS + 4];
    char paths[MAX_DUMPS][PATH_MAX + 64];
    int k = 0;
    argv[k++] = py;
    argv[k++] = need_env("ASLEEP_TEST_VALIDATOR");
    argv[k++] = need_env("ASLEEP_TEST_SCHEMA");
    for (int i = 0; i < r->ndumps; i++) {
        snprintf(paths[i], sizeof paths[i], "%s/%s", r->dumps, r->file[i]);
        argv[k++] = paths[i];
    }
    argv[k] = NULL;
    int p[2];
    cr_assert(pipe(p) == 0);
    pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        dup2(p[1], 1);
        dup2(p[1], 2);
        close(p[0]);
        execvp(py, (char *const *)argv);
        dprintf(2, "cannot run %s: %s\n", py, strerror(errno));
        _exit(127);
    }
    close(p[1]);
    struct buf out = {0};
    char tmp[4096];
    ssize_t n;
    while ((n = read(p[0], tmp, sizeof tmp)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            break;
        buf_add(&out, tmp, (size_t)n);
    }
    close(p[0]);
    int st;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0,
              "%s: dump failed schema validation (%s):\n%s\n%s", r->name, r->root, buf_str(&out),
              buf_str(&r->desc));
    free(out.p);
}

const char *jstr(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

json_int_t jint(json_t *o, const char *key)
{
    return json_integer_value(json_object_get(o, key));
}

static void describe_thread(struct buf *b, json_t *t)
{
    json_t *w = json_object_get(t, "wait");
    buf_printf(b, "    tid %lld \"%s\" %s%s", (long long)jint(t, "tid"), jstr(t, "name"), jstr(t, "state"),
               json_is_true(json_object_get(t, "main")) ? " main" : "");
    if (w) {
        buf_printf(b, " wait=%s %s owners=", jstr(w, "kind"), jstr(w, "object"));
        size_t i;
        json_t *o;
        json_array_foreach(json_object_get(w, "owners"), i, o)
            buf_printf(b, "%s%lld", i ? "," : "", (long long)json_integer_value(o));
        if (json_is_true(json_object_get(w, "timed")))
            buf_printf(b, " timed");
    }
    size_t i;
    json_t *h;
    json_array_foreach(json_object_get(t, "held"), i, h)
        buf_printf(b, " held=%s:%s", jstr(h, "kind"), jstr(h, "object"));
    buf_printf(b, "\n");
}

static void describe(struct run *r)
{
    struct buf *b = &r->desc;
    b->n = 0;
    buf_printf(b, "--- %s [ASLEEP_OPTIONS=%s] ", r->name, r->options);
    if (r->timed_out)
        buf_printf(b, "still running after %lld ms, killed by the harness", r->ms);
    else if (r->sig)
        buf_printf(b, "killed by signal %d (%s) after %lld ms", r->sig, strsignal(r->sig), r->ms);
    else
        buf_printf(b, "exit status %d after %lld ms", r->status, r->ms);
    buf_printf(b, "; files kept in %s\n", r->root);
    if (r->out.n)
        buf_printf(b, "--- stdout (%zu bytes):\n%.800s\n", r->out.n, buf_str(&r->out));
    buf_printf(b, "--- stderr (%zu bytes):\n%.2000s%s\n", r->err.n, buf_str(&r->err),
               r->err.n > 2000 ? "\n[...]" : "");
    if (r->stray.n)
        buf_printf(b, "--- unexpected files in the dump dir: %s\n", buf_str(&r->stray));
    if (r->stacks.n)
        buf_printf(b, "--- stacks when it was killed:\n%.12000s\n", buf_str(&r->stacks));
    buf_printf(b, "--- %d dump file(s)\n", r->ndumps);
    for (int i = 0; i < r->ndumps; i++) {
        json_t *d = r->dump[i];
        buf_printf(b, "  %s reason=%s\n", r->file[i], d ? jstr(d, "reason") : "(unreadable)");
        if (!d)
            continue;
        size_t k;
        json_t *f;
        json_array_foreach(json_object_get(d, "findings"), k, f) {
            buf_printf(b, "    finding %s threads=", jstr(f, "kind"));
            size_t j;
            json_t *t;
            json_array_foreach(json_object_get(f, "threads"), j, t)
                buf_printf(b, "%s%lld", j ? "," : "", (long long)json_integer_value(t));
            json_t *cyc = json_object_get(f, "cycle");
            if (cyc)
                buf_printf(b, " cycle-len=%zu", json_array_size(cyc));
            buf_printf(b, " \"%s\"\n", jstr(f, "message"));
        }
        json_array_foreach(json_object_get(d, "threads"), k, f)
            describe_thread(b, f);
    }
}

/* The shim's temporary name for a dump being written (see asl_dump.c). */
static bool is_dump_tmp(const char *s)
{
    size_t n = strlen(s);
    return !strncmp(s, ".asleep.", 8) && n > 17 && !strcmp(s + n - 9, ".json.tmp");
}

static void load_dumps(struct run *r)
{
    DIR *d = opendir(r->dumps);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            long pid, seq;
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            if (r->killed_tmp_ok && is_dump_tmp(e->d_name))
                continue;
            if (!dump_name(e->d_name, &pid, &seq) || r->ndumps == MAX_DUMPS) {
                buf_printf(&r->stray, "%s ", e->d_name);
                continue;
            }
            r->file[r->ndumps++] = strdup(e->d_name);
        }
        closedir(d);
    }
    qsort(r->file, (size_t)r->ndumps, sizeof r->file[0], cmp_dump_name);
    for (int i = 0; i < r->ndumps; i++) {
        char path[PATH_MAX + 64];
        json_error_t jerr;
        snprintf(path, sizeof path, "%s/%s", r->dumps, r->file[i]);
        r->dump[i] = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
        if (!r->dump[i])
            buf_printf(&r->stray, "%s(unparsable: %s line %d) ", r->file[i], jerr.text, jerr.line);
    }
    describe(r);
    validate(r);
    for (int i = 0; i < r->ndumps; i++) {
        long pid = 0, seq = 0;
        dump_name(r->file[i], &pid, &seq);
        cr_assert(r->dump[i] != NULL, "%s: %s is not JSON\n%s", r->name, r->file[i], buf_str(&r->desc));
        cr_assert(jint(r->dump[i], "pid") == pid && jint(r->dump[i], "seq") == seq,
                  "%s: %s holds pid %lld seq %lld\n%s", r->name, r->file[i],
                  (long long)jint(r->dump[i], "pid"), (long long)jint(r->dump[i], "seq"), buf_str(&r->desc));
    }
}

/* Run scenario `name` under the shim. `opts` is appended to
 * ASLEEP_OPTIONS after dump_dir=... (or is all of it with RUN_NO_DUMP_DIR;
 * NULL leaves ASLEEP_OPTIONS unset then). */
void run_scenario(struct run *r, const char *name, const char *opts, unsigned flags, int timeout_ms)
{
    memset(r, 0, sizeof *r);
    r->name = name;
    r->expect_timeout = (flags & RUN_EXPECT_TIMEOUT) != 0;
    r->stdin_late = (flags & RUN_STDIN_LATE) != 0;
    r->killed_tmp_ok = (flags & RUN_KILLED_TMP_OK) != 0;
    const char *shim = need_env("ASLEEP_TEST_SHIM");
    const char *bindir = need_env("ASLEEP_TEST_BINDIR");
    const char *tmp = getenv("TMPDIR");
    if (!tmp || !*tmp)
        tmp = "/tmp";
    snprintf(r->root, sizeof r->root, "%s/asleep-scen-%s-XXXXXX", tmp, name);
    cr_assert(mkdtemp(r->root) != NULL, "mkdtemp %s: %s", r->root, strerror(errno));
    snprintf(r->dumps, sizeof r->dumps, "%s/%s", r->root, (flags & RUN_FRESH_DUMP_DIR) ? "new/dumps" : "dumps");
    snprintf(r->cwd, sizeof r->cwd, "%s/cwd", r->root);
    cr_assert(mkdir(r->cwd, 0700) == 0);
    if (!(flags & (RUN_FRESH_DUMP_DIR | RUN_NO_DUMP_DIR)))
        cr_assert(mkdir(r->dumps, 0700) == 0);

    const char *options = NULL;
    if (flags & RUN_NO_DUMP_DIR) {
        options = opts;
    } else {
        snprintf(r->options, sizeof r->options, "dump_dir=%s%s%s", r->dumps, opts ? ":" : "", opts ? opts : "");
        options = r->options;
    }
    if (options != r->options)
        snprintf(r->options, sizeof r->options, "%s", options ? options : "(unset)");

    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", bindir, name);
    cr_assert(access(path, X_OK) == 0, "scenario program %s missing", path);
    char **env = child_env(shim, options, r->dumps);
    spawn(r, path, env, timeout_ms);
    load_dumps(r);
}

/* Remove the run's files (only reached when every assertion passed). */
void run_done(struct run *r)
{
    rm_rf(r->root);
    for (int i = 0; i < r->ndumps; i++) {
        json_decref(r->dump[i]);
        free(r->file[i]);
    }
    free(r->out.p);
    free(r->err.p);
    free(r->stray.p);
    free(r->stacks.p);
    free(r->desc.p);
}

/* ------------------------------------------------------------------------ */
/* queries on the dumps */

bool kind_is(json_t *f, const char *kind)
{
    return !strcmp(jstr(f, "kind"), kind);
}

int count_kind(struct run *r, const char *kind)
{
    int n = 0;
    for (int i = 0; i < r->ndumps; i++) {
        size_t k;
        json_t *f;
        json_array_foreach(json_object_get(r->dump[i], "findings"), k, f)
            n += kind_is(f, kind);
    }
    return n;
}

/* The first finding of `kind` (in dump order) and its dump. */
json_t *find_finding(struct run *r, const char *kind, json_t **dump)
{
    for (int i = 0; i < r->ndumps; i++) {
        size_t k;
        json_t *f;
        json_array_foreach(json_object_get(r->dump[i], "findings"), k, f) {
            if (kind_is(f, kind)) {
                if (dump)
                    *dump = r->dump[i];
                return f;
            }
        }
    }
    cr_assert_fail("%s: no finding of kind \"%s\"\n%s", r->name, kind, D(r));
    return NULL;
}

json_t *find_in_dump(json_t *dump, const char *kind)
{
    size_t k;
    json_t *f;
    json_array_foreach(json_object_get(dump, "findings"), k, f)
        if (kind_is(f, kind))
            return f;
    return NULL;
}

/* The dump of the scenario's own process with `reason` (the last one). */
json_t *dump_with_reason(struct run *r, const char *reason)
{
    for (int i = r->ndumps - 1; i >= 0; i--)
        if (jint(r->dump[i], "pid") == r->pid && !strcmp(jstr(r->dump[i], "reason"), reason))
            return r->dump[i];
    cr_assert_fail("%s: no dump with reason \"%s\" from pid %d\n%s", r->name, reason, (int)r->pid, D(r));
    return NULL;
}

json_t *thread_of(json_t *dump, json_int_t tid)
{
    size_t k;
    json_t *t;
    json_array_foreach(json_object_get(dump, "threads"), k, t)
        if (jint(t, "tid") == tid)
            return t;
    return NULL;
}

json_t *thread_named(struct run *r, json_t *dump, const char *name)
{
    size_t k;
    json_t *t, *found = NULL;
    json_array_foreach(json_object_get(dump, "threads"), k, t) {
        if (!strcmp(jstr(t, "name"), name)) {
            cr_assert(found == NULL, "%s: two threads named \"%s\"\n%s", r->name, name, D(r));
            found = t;
        }
    }
    cr_assert(found != NULL, "%s: no thread named \"%s\" in the dump\n%s", r->name, name, D(r));
    return found;
}

json_t *main_thread(struct run *r, json_t *dump)
{
    size_t k;
    json_t *t;
    json_array_foreach(json_object_get(dump, "threads"), k, t)
        if (json_is_true(json_object_get(t, "main")))
            return t;
    /* fall back on tid == pid */
    json_t *m = thread_of(dump, jint(dump, "pid"));
    cr_assert(m != NULL, "%s: no main thread in the dump\n%s", r->name, D(r));
    return m;
}

bool int_array_has(json_t *a, json_int_t v)
{
    size_t k;
    json_t *x;
    json_array_foreach(a, k, x)
        if (json_integer_value(x) == v)
            return true;
    return false;
}

/* thread `t` must be blocked in an untimed wait of `kind`; returns the wait */
json_t *expect_wait(struct run *r, json_t *t, const char *kind)
{
    json_t *w = json_object_get(t, "wait");
    cr_assert(w != NULL, "%s: thread %lld \"%s\" has no wait (want %s)\n%s", r->name, (long long)jint(t, "tid"),
              jstr(t, "name"), kind, D(r));
    cr_assert(!strcmp(jstr(w, "kind"), kind), "%s: thread %lld \"%s\" waits on %s, want %s\n%s", r->name,
              (long long)jint(t, "tid"), jstr(t, "name"), jstr(w, "kind"), kind, D(r));
    cr_assert(!json_is_true(json_object_get(w, "timed")), "%s: thread %lld's wait is marked timed\n%s", r->name,
              (long long)jint(t, "tid"), D(r));
    return w;
}

/* main must be joining thread `target` */
void expect_join(struct run *r, json_t *dump, json_t *target)
{
    json_t *m = main_thread(r, dump);
    json_t *w = expect_wait(r, m, "join");
    json_int_t tid = jint(target, "tid");
    char obj[64];
    snprintf(obj, sizeof obj, "thread %lld", (long long)tid);
    cr_assert(!strcmp(jstr(w, "object"), obj), "%s: main's join object is \"%s\", want \"%s\"\n%s", r->name,
              jstr(w, "object"), obj, D(r));
    cr_assert(int_array_has(json_object_get(w, "owners"), tid), "%s: main's join owners lack %lld\n%s", r->name,
              (long long)tid, D(r));
}

/* A value the program left with scen_note() in NAME.notes in its cwd. */
long note(struct run *r, const char *key)
{
    char path[PATH_MAX + 100], k[64];
    long v;
    snprintf(path, sizeof path, "%s/%s.notes", r->cwd, r->name);
    FILE *f = fopen(path, "r");
    cr_assert(f != NULL, "%s: no notes file %s\n%s", r->name, path, D(r));
    while (fscanf(f, "%63s %ld", k, &v) == 2) {
        if (!strcmp(k, key)) {
            fclose(f);
            return v;
        }
    }
    fclose(f);
    cr_assert_fail("%s: no note \"%s\" in %s\n%s", r->name, key, path, D(r));
    return -1;
}

/* thread `t` must be blocked in an untimed wait of `kind` on the one fd `fd`
 * (object "fd N", fds [N]) of a private channel (not "shared"); `peer` is the
 * channel's other end ("peer": "fd M"), or -1 when the wait names none
 * (eventfd, poll). */
void expect_fd_wait(struct run *r, json_t *t, const char *kind, long fd, long peer)
{
    json_t *w = expect_wait(r, t, kind);
    char want[32];
    snprintf(want, sizeof want, "fd %ld", fd);
    cr_assert(!strcmp(jstr(w, "object"), want), "%s: thread \"%s\" waits on \"%s\", want \"%s\"\n%s", r->name,
              jstr(t, "name"), jstr(w, "object"), want, D(r));
    json_t *fds = json_object_get(w, "fds");
    cr_assert(json_array_size(fds) == 1 && json_integer_value(json_array_get(fds, 0)) == fd,
              "%s: thread \"%s\": wait.fds is not [%ld]\n%s", r->name, jstr(t, "name"), fd, D(r));
    cr_assert(json_is_false(json_object_get(w, "shared")), "%s: thread \"%s\": a private channel marked shared\n%s",
              r->name, jstr(t, "name"), D(r));
    json_t *p = json_object_get(w, "peer");
    if (peer < 0) {
        cr_assert(p == NULL, "%s: thread \"%s\": unexpected peer \"%s\"\n%s", r->name, jstr(t, "name"),
                  json_string_value(p) ? json_string_value(p) : "?", D(r));
    } else {
        snprintf(want, sizeof want, "fd %ld", peer);
        cr_assert(json_string_value(p) && !strcmp(json_string_value(p), want),
                  "%s: thread \"%s\": peer is \"%s\", want \"%s\"\n%s", r->name, jstr(t, "name"),
                  json_string_value(p) ? json_string_value(p) : "(none)", want, D(r));
    }
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Compare two multisets of strings; both arrays get sorted. */
bool same_multiset(const char **a, const char **b, size_t n)
{
    qsort(a, n, sizeof *a, cmp_str);
    qsort(b, n, sizeof *b, cmp_str);
    for (size_t i = 0; i < n; i++)
        if (strcmp(a[i], b[i]))
            return false;
    return true;
}

static bool is_lock_kind(const char *k)
{
    return !strcmp(k, "mutex") || !strncmp(k, "rwlock-", 7) || !strcmp(k, "spin") || !strcmp(k, "once");
}

/* Check a deadlock finding: a cycle of `len` steps whose step kinds (as a
 * multiset) are `kinds` and whose threads are named `names` (multiset; NULL:
 * not checked); each step's owner is the next step's thread; each thread
 * appears in the dump, blocked in the wait the step describes; lock owners
 * hold the lock. */
void check_cycle(struct run *r, json_t *dump, json_t *f, size_t len, const char *const *kinds,
                        const char *const *names)
{
    json_t *cyc = json_object_get(f, "cycle");
    json_t *ths = json_object_get(f, "threads");
    cr_assert(json_is_array(cyc), "%s: deadlock finding without a cycle\n%s", r->name, D(r));
    cr_assert(json_array_size(cyc) == len, "%s: cycle has %zu steps, want %zu\n%s", r->name,
              json_array_size(cyc), len, D(r));
    cr_assert(json_array_size(ths) == len, "%s: deadlock finding names %zu threads, want %zu\n%s", r->name,
              json_array_size(ths), len, D(r));
    const char *got_kinds[16], *want_kinds[16], *got_names[16], *want_names[16];
    cr_assert(len <= 16);
    for (size_t i = 0; i < len; i++) {
        json_t *s = json_array_get(cyc, i), *next = json_array_get(cyc, (i + 1) % len);
        json_int_t tid = jint(s, "tid"), owner = jint(s, "owner");
        cr_assert(owner == jint(next, "tid"), "%s: cycle step %zu: owner %lld is not the next step's thread %lld\n%s",
                  r->name, i, (long long)owner, (long long)jint(next, "tid"), D(r));
        cr_assert(int_array_has(ths, tid), "%s: cycle thread %lld not in the finding's threads\n%s", r->name,
                  (long long)tid, D(r));
        for (size_t j = 0; j < i; j++)
            cr_assert(jint(json_array_get(cyc, j), "tid") != tid, "%s: thread %lld twice in the cycle\n%s",
                      r->name, (long long)tid, D(r));
        json_t *t = thread_of(dump, tid);
        cr_assert(t != NULL, "%s: cycle thread %lld is not in the dump's threads\n%s", r->name, (long long)tid, D(r));
        cr_assert(!strcmp(jstr(t, "state"), "blocked"), "%s: cycle thread %lld is %s, not blocked\n%s", r->name,
                  (long long)tid, jstr(t, "state"), D(r));
        json_t *w = expect_wait(r, t, jstr(s, "kind"));
        cr_assert(!strcmp(jstr(w, "object"), jstr(s, "object")),
                  "%s: cycle step %zu object %s but thread %lld waits on %s\n%s", r->name, i, jstr(s, "object"),
                  (long long)tid, jstr(w, "object"), D(r));
        cr_assert(int_array_has(json_object_get(w, "owners"), owner),
                  "%s: thread %lld's wait.owners lacks %lld\n%s", r->name, (long long)tid, (long long)owner, D(r));
        if (is_lock_kind(jstr(s, "kind"))) {
            json_t *o = thread_of(dump, owner), *h;
            bool holds = false;
            size_t k;
            cr_assert(o != NULL);
            json_array_foreach(json_object_get(o, "held"), k, h)
                holds |= !strcmp(jstr(h, "object"), jstr(s, "object"));
            cr_assert(holds, "%s: owner %lld does not list %s in \"held\"\n%s", r->name, (long long)owner,
                      jstr(s, "object"), D(r));
        }
        got_kinds[i] = jstr(s, "kind");
        want_kinds[i] = kinds[i];
        got_names[i] = jstr(t, "name");
        want_names[i] = names ? names[i] : "";
    }
    cr_assert(same_multiset(got_kinds, want_kinds, len), "%s: wrong wait kinds in the cycle\n%s", r->name, D(r));
    if (names)
        cr_assert(same_multiset(got_names, want_names, len), "%s: wrong thread names in the cycle\n%s", r->name, D(r));
}

/* The all-asleep dump: an all-asleep finding naming `n` threads, each in the
 * dump, blocked in an untimed wait. Returns the dump. */
json_t *check_all_asleep(struct run *r, size_t n)
{
    json_t *dump = NULL;
    json_t *f = find_finding(r, "all-asleep", &dump);
    cr_assert(!strcmp(jstr(dump, "reason"), "all-asleep"), "%s: all-asleep finding in a dump with reason %s\n%s",
              r->name, jstr(dump, "reason"), D(r));
    json_t *ths = json_object_get(f, "threads");
    cr_assert(json_array_size(ths) == n, "%s: all-asleep names %zu threads, want %zu\n%s", r->name,
              json_array_size(ths), n, D(r));
    size_t k;
    json_t *x;
    json_array_foreach(ths, k, x) {
        json_t *t = thread_of(dump, json_integer_value(x));
        cr_assert(t != NULL, "%s: all-asleep thread %lld not in the dump\n%s", r->name,
                  (long long)json_integer_value(x), D(r));
        cr_assert(!strcmp(jstr(t, "state"), "blocked"), "%s: thread %lld is %s in an all-asleep dump\n%s", r->name,
                  (long long)jint(t, "tid"), jstr(t, "state"), D(r));
        json_t *w = json_object_get(t, "wait");
        cr_assert(w != NULL && !json_is_true(json_object_get(w, "timed")),
                  "%s: thread %lld: no untimed wait in an all-asleep dump\n%s", r->name, (long long)jint(t, "tid"),
                  D(r));
    }
    return dump;
}

/* The exit dump of the scenario's process must report exactly the threads
 * named in `names` (n of them) as leaked, each blocked in `wait_kind`. */
void check_leaks(struct run *r, const char *const *names, size_t n, const char *wait_kind)
{
    json_t *dump = dump_with_reason(r, "exit");
    json_int_t leaked[32];
    size_t nleaked = 0;
    size_t k;
    json_t *f;
    json_array_foreach(json_object_get(dump, "findings"), k, f) {
        if (!kind_is(f, "leaked-thread"))
            continue;
        size_t j;
        json_t *x;
        json_array_foreach(json_object_get(f, "threads"), j, x)
            if (nleaked < 32)
                leaked[nleaked++] = json_integer_value(x);
    }
    cr_assert(nleaked == n, "%s: %zu leaked thread(s) reported, want %zu\n%s", r->name, nleaked, n, D(r));
    for (size_t i = 0; i < n; i++) {
        json_t *t = thread_named(r, dump, names[i]);
        bool listed = false;
        for (size_t j = 0; j < nleaked; j++)
            listed |= leaked[j] == jint(t, "tid");
        cr_assert(listed, "%s: thread \"%s\" (%lld) not reported as leaked\n%s", r->name, names[i],
                  (long long)jint(t, "tid"), D(r));
        cr_assert(!json_is_true(json_object_get(t, "main")), "%s: leaked thread is main\n%s", r->name, D(r));
        if (wait_kind)
            expect_wait(r, t, wait_kind);
    }
}

/* ------------------------------------------------------------------------ */
/* generic expectations */

static const char *const verdict_kinds[] = {"deadlock", "all-asleep", "abandoned-lock", "leaked-thread",
                                            "lock-order-inversion", "long-wait"};

void check_expect(struct run *r, const struct expect *e)
{
    if (e->still_running) {
        cr_assert(r->timed_out, "%s: exited; it should still be running (on_deadlock=continue)\n%s", r->name, D(r));
    } else {
        cr_assert(!r->timed_out, "%s: did not finish within %d s\n%s", r->name, RUN_TIMEOUT_MS / 1000, D(r));
        if (e->max_ms)
            cr_assert(r->ms <= e->max_ms, "%s: took %lld ms, want at most %d ms (verdict within about a second)\n%s",
                      r->name, r->ms, e->max_ms, D(r));
        if (e->sig)
            cr_assert(r->sig == e->sig, "%s: want death by signal %d\n%s", r->name, e->sig, D(r));
        else
            cr_assert(r->sig == 0 && r->status == e->status, "%s: want exit status %d\n%s", r->name, e->status,
                      D(r));
    }
    cr_assert(r->out.n == 0, "%s: unexpected output on stdout\n%s", r->name, D(r));
    cr_assert(r->stray.n == 0, "%s: unexpected files in the dump dir\n%s", r->name, D(r));
    char own[128];
    snprintf(own, sizeof own, "scenario %s: ", r->name);
    cr_assert(strstr(buf_str(&r->err), own) == NULL, "%s: the scenario program itself reported a problem\n%s",
              r->name, D(r));
    for (int i = 0; i < 6 && e->kinds[i]; i++)
        cr_assert(count_kind(r, e->kinds[i]) > 0, "%s: no \"%s\" finding\n%s", r->name, e->kinds[i], D(r));
    for (int i = 0; i < 6 && e->forbid[i]; i++)
        cr_assert(count_kind(r, e->forbid[i]) == 0, "%s: unexpected \"%s\" finding\n%s", r->name, e->forbid[i],
                  D(r));
    if (e->exact) {
        for (size_t v = 0; v < sizeof verdict_kinds / sizeof verdict_kinds[0]; v++) {
            bool wanted = false;
            for (int i = 0; i < 6 && e->kinds[i]; i++)
                wanted |= !strcmp(e->kinds[i], verdict_kinds[v]);
            if (!wanted)
                cr_assert(count_kind(r, verdict_kinds[v]) == 0, "%s: unexpected \"%s\" finding\n%s", r->name,
                          verdict_kinds[v], D(r));
        }
        for (int i = 0; i < r->ndumps; i++) {
            size_t k;
            json_t *f;
            json_array_foreach(json_object_get(r->dump[i], "findings"), k, f) {
                bool wanted = false;
                for (int j = 0; j < 6 && e->kinds[j]; j++)
                    wanted |= kind_is(f, e->kinds[j]);
                cr_assert(wanted, "%s: unexpected \"%s\" finding\n%s", r->name, jstr(f, "kind"), D(r));
            }
        }
    }
    if (e->reason)
        dump_with_reason(r, e->reason);
    if (e->quiet)
        cr_assert(r->err.n == 0, "%s: the shim printed on stderr\n%s", r->name, D(r));
    if (e->first_line[0]) {
        const char *s = buf_str(&r->err);
        while (*s == '\n')
            s++;
        /* the tool's own prefix ("asleep: ") does not count as a verdict */
        if (!strncasecmp(s, "asleep:", 7))
            s += 7;
        size_t n = strcspn(s, "\n");
        char line[1024];
        snprintf(line, sizeof line, "%.*s", (int)(n < sizeof line - 1 ? n : sizeof line - 1), s);
        bool ok = false;
        for (int i = 0; i < 4 && e->first_line[i]; i++)
            ok |= strcasestr(line, e->first_line[i]) != NULL;
        cr_assert(ok, "%s: stderr's first line \"%s\" does not contain \"%s\"%s%s\n%s", r->name, line,
                  e->first_line[0], e->first_line[1] ? " or \"" : "", e->first_line[1] ? e->first_line[1] : "",
                  D(r));
    }
}

/* the scenario program reported a bug in itself (exit 99): fail loudly */
void check_not_broken(struct run *r)
{
    cr_assert(!(r->sig == 0 && r->status == 99), "%s: the scenario program failed its own checks\n%s", r->name,
              D(r));
}

void run_and_check(const char *name, const char *opts, unsigned flags, int timeout_ms, struct expect e)
{
    run_scenario(&R, name, opts, flags, timeout_ms);
    check_not_broken(&R);
    check_expect(&R, &e);
}
