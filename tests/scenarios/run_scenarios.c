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

extern char **environ;

/* ALL_ASLEEP_EXPECT(...) lets a test override a default field. */
#pragma GCC diagnostic ignored "-Woverride-init"

#define RUN_TIMEOUT_MS 20000 /* hard limit for one scenario run */
#define MAX_DUMPS 256

/* ------------------------------------------------------------------------ */
/* small utilities */

struct buf {
    char *p;
    size_t n, cap;
};

static void buf_add(struct buf *b, const char *s, size_t n)
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
static void buf_printf(struct buf *b, const char *fmt, ...)
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

static const char *buf_str(const struct buf *b)
{
    return b->p ? b->p : "";
}

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const char *need_env(const char *key)
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

enum {
    RUN_NO_DUMP_DIR = 1,   /* ASLEEP_OPTIONS without dump_dir= */
    RUN_FRESH_DUMP_DIR = 2, /* dump_dir names a directory that does not exist yet */
    RUN_EXPECT_TIMEOUT = 4  /* the program is meant to outlive the time limit */
};

struct run {
    const char *name;
    pid_t pid;
    int status;     /* exit status, -1 when killed by a signal */
    int sig;        /* terminating signal or 0 */
    bool timed_out; /* the harness had to kill it */
    bool expect_timeout; /* on_deadlock=continue: no stacks needed */
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
    int po[2], pe[2];
    cr_assert(pipe2(po, O_CLOEXEC) == 0 && pipe2(pe, O_CLOEXEC) == 0, "pipe: %s", strerror(errno));
    long long start = now_ms();
    pid_t pid = fork();
    cr_assert(pid >= 0, "fork: %s", strerror(errno));
    if (pid == 0) {
        setpgid(0, 0);
        struct rlimit no_core = {0, 0};
        setrlimit(RLIMIT_CORE, &no_core);
        int in = open("/dev/null", O_RDONLY);
        if (in < 0 || dup2(in, 0) < 0 || dup2(po[1], 1) < 0 || dup2(pe[1], 2) < 0 || chdir(r->cwd) != 0)
            _exit(126);
        char *argv[] = {(char *)path, NULL};
        execve(path, argv, env);
        dprintf(2, "run_scenarios: exec %s: %s\n", path, strerror(errno));
        _exit(127);
    }
    setpgid(pid, pid);
    r->pid = pid;
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

static const char *jstr(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

static json_int_t jint(json_t *o, const char *key)
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

static void load_dumps(struct run *r)
{
    DIR *d = opendir(r->dumps);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            long pid, seq;
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
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
static void run_scenario(struct run *r, const char *name, const char *opts, unsigned flags, int timeout_ms)
{
    memset(r, 0, sizeof *r);
    r->name = name;
    r->expect_timeout = (flags & RUN_EXPECT_TIMEOUT) != 0;
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
static void run_done(struct run *r)
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

#define D(r) buf_str(&(r)->desc)

static bool kind_is(json_t *f, const char *kind)
{
    return !strcmp(jstr(f, "kind"), kind);
}

static int count_kind(struct run *r, const char *kind)
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
static json_t *find_finding(struct run *r, const char *kind, json_t **dump)
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

static json_t *find_in_dump(json_t *dump, const char *kind)
{
    size_t k;
    json_t *f;
    json_array_foreach(json_object_get(dump, "findings"), k, f)
        if (kind_is(f, kind))
            return f;
    return NULL;
}

/* The dump of the scenario's own process with `reason` (the last one). */
static json_t *dump_with_reason(struct run *r, const char *reason)
{
    for (int i = r->ndumps - 1; i >= 0; i--)
        if (jint(r->dump[i], "pid") == r->pid && !strcmp(jstr(r->dump[i], "reason"), reason))
            return r->dump[i];
    cr_assert_fail("%s: no dump with reason \"%s\" from pid %d\n%s", r->name, reason, (int)r->pid, D(r));
    return NULL;
}

static json_t *thread_of(json_t *dump, json_int_t tid)
{
    size_t k;
    json_t *t;
    json_array_foreach(json_object_get(dump, "threads"), k, t)
        if (jint(t, "tid") == tid)
            return t;
    return NULL;
}

static json_t *thread_named(struct run *r, json_t *dump, const char *name)
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

static json_t *main_thread(struct run *r, json_t *dump)
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

static bool int_array_has(json_t *a, json_int_t v)
{
    size_t k;
    json_t *x;
    json_array_foreach(a, k, x)
        if (json_integer_value(x) == v)
            return true;
    return false;
}

/* thread `t` must be blocked in an untimed wait of `kind`; returns the wait */
static json_t *expect_wait(struct run *r, json_t *t, const char *kind)
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
static void expect_join(struct run *r, json_t *dump, json_t *target)
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

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Compare two multisets of strings; both arrays get sorted. */
static bool same_multiset(const char **a, const char **b, size_t n)
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
    return !strcmp(k, "mutex") || !strncmp(k, "rwlock-", 7) || !strcmp(k, "spin");
}

/* Check a deadlock finding: a cycle of `len` steps whose step kinds (as a
 * multiset) are `kinds` and whose threads are named `names` (multiset; NULL:
 * not checked); each step's owner is the next step's thread; each thread
 * appears in the dump, blocked in the wait the step describes; lock owners
 * hold the lock. */
static void check_cycle(struct run *r, json_t *dump, json_t *f, size_t len, const char *const *kinds,
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
static json_t *check_all_asleep(struct run *r, size_t n)
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
static void check_leaks(struct run *r, const char *const *names, size_t n, const char *wait_kind)
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

static const char *const verdict_kinds[] = {"deadlock", "all-asleep", "abandoned-lock", "leaked-thread",
                                            "lock-order-inversion", "long-wait"};

static void check_expect(struct run *r, const struct expect *e)
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
static void check_not_broken(struct run *r)
{
    cr_assert(!(r->sig == 0 && r->status == 99), "%s: the scenario program failed its own checks\n%s", r->name,
              D(r));
}

#define ALL_ASLEEP_EXPECT(...)                                                                                        \
    ((struct expect){.status = 2, .reason = "all-asleep", .first_line = {"deadlock"}, .max_ms = 5000, __VA_ARGS__})
#define CLEAN_EXPECT ((struct expect){.status = 0, .exact = true, .reason = "exit", .quiet = true})

static struct run R; /* one per test process */

static void run_and_check(const char *name, const char *opts, unsigned flags, int timeout_ms, struct expect e)
{
    run_scenario(&R, name, opts, flags, timeout_ms);
    check_not_broken(&R);
    check_expect(&R, &e);
}

/* ------------------------------------------------------------------------ */
/* verdict side */

TestSuite(scenario, .timeout = 60);

static void abba_like(const char *name)
{
    json_t *dump = check_all_asleep(&R, 3);
    json_t *f = find_in_dump(dump, "deadlock");
    cr_assert(f != NULL, "%s: the all-asleep dump has no deadlock finding\n%s", name, D(&R));
    check_cycle(&R, dump, f, 2, (const char *[]){"mutex", "mutex"}, (const char *[]){"t1", "t2"});
    expect_join(&R, dump, thread_named(&R, dump, "t1"));
    cr_assert(count_kind(&R, "deadlock") == 1, "%s: deadlock reported more than once\n%s", name, D(&R));
}

Test(scenario, abba)
{
    run_and_check("abba", NULL, 0, RUN_TIMEOUT_MS,
                  ALL_ASLEEP_EXPECT(.kinds = {"deadlock", "all-asleep"}, .forbid = {"abandoned-lock"}));
    abba_like("abba");
    run_done(&R);
}

Test(scenario, self_relock)
{
    run_and_check("self_relock", NULL, 0, RUN_TIMEOUT_MS,
                  ALL_ASLEEP_EXPECT(.kinds = {"deadlock", "all-asleep"}, .forbid = {"abandoned-lock"}));
    json_t *dump = check_all_asleep(&R, 1);
    json_t *f = find_in_dump(dump, "deadlock");
    cr_assert(f != NULL, "no deadlock finding in the all-asleep dump\n%s", D(&R));
    check_cycle(&R, dump, f, 1, (const char *[]){"mutex"}, NULL);
    json_t *m = main_thread(&R, dump);
    cr_assert(jint(json_array_get(json_object_get(f, "cycle"), 0), "tid") == jint(m, "tid"),
              "the cycle is not main waiting on itself\n%s", D(&R));
    run_done(&R);
}

Test(scenario, philosophers)
{
    run_and_check("philosophers", NULL, 0, RUN_TIMEOUT_MS,
                  ALL_ASLEEP_EXPECT(.kinds = {"deadlock", "all-asleep"}, .forbid = {"abandoned-lock"}));
    json_t *dump = check_all_asleep(&R, 6);
    json_t *f = find_in_dump(dump, "deadlock");
    cr_assert(f != NULL, "no deadlock finding in the all-asleep dump\n%s", D(&R));
    check_cycle(&R, dump, f, 5, (const char *[]){"mutex", "mutex", "mutex", "mutex", "mutex"},
                (const char *[]){"phil0", "phil1", "phil2", "phil3", "phil4"});
    expect_join(&R, dump, thread_named(&R, dump, "phil0"));
    run_done(&R);
}

Test(scenario, join_holding)
{
    run_and_check("join_holding", NULL, 0, RUN_TIMEOUT_MS,
                  ALL_ASLEEP_EXPECT(.kinds = {"deadlock", "all-asleep"}, .forbid = {"abandoned-lock"}));
    json_t *dump = check_all_asleep(&R, 2);
    json_t *f = find_in_dump(dump, "deadlock");
    cr_assert(f != NULL, "no deadlock finding in the all-asleep dump\n%s", D(&R));
    check_cycle(&R, dump, f, 2, (const char *[]){"join", "mutex"}, NULL);
    json_t *child = thread_named(&R, dump, "child");
    expect_join(&R, dump, child);
    json_t *w = expect_wait(&R, child, "mutex");
    cr_assert(int_array_has(json_object_get(w, "owners"), jint(main_thread(&R, dump), "tid")),
              "child's mutex is not owned by main\n%s", D(&R));
    run_done(&R);
}

Test(scenario, rwlock_rd_wr)
{
    run_and_check("rwlock_rd_wr", NULL, 0, RUN_TIMEOUT_MS,
                  ALL_ASLEEP_EXPECT(.kinds = {"deadlock", "all-asleep"}, .forbid = {"abandoned-lock"}));
    json_t *dump = check_all_asleep(&R, 2);
    json_t *f = find_in_dump(dump, "deadlock");
    cr_assert(f != NULL, "no deadlock finding in the all-asleep dump\n%s", D(&R));
    check_cycle(&R, dump, f, 1, (const char *[]){"rwlock-write"}, (const char *[]){"upgrader"});
    expect_join(&R, dump, thread_named(&R, dump, "upgrader"));
    run_done(&R);
}

Test(scenario, rwlock_mutex_cycle)
{
    run_and_check("rwlock_mutex_cycle", NULL, 0, RUN_TIMEOUT_MS,
                  ALL_ASLEEP_EXPECT(.kinds = {"deadlock", "all-asleep"}, .forbid = {"abandoned-lock"}));
    json_t *dump = check_all_asleep(&R, 3);
    json_t *f = find_in_dump(dump, "deadlock");
    cr_assert(f != NULL, "no deadlock finding in the all-asleep dump\n%s", D(&R));
    check_cycle(&R, dump, f, 2, (const char *[]){"mutex", "rwlock-read"}, (const char *[]){"writer", "reader"});
    expect_wait(&R, thread_named(&R, dump, "writer"), "mutex");
    expect_wait(&R, thread_named(&R, dump, "reader"), "rwlock-read");
    json_t *wr = thread_named(&R, dump, "writer"), *h;
    bool holds_write = false;
    size_t k;
    json_array_foreach(json_object_get(wr, "held"), k, h)
        holds_write |= !strcmp(jstr(h, "kind"), "rwlock-write");
    cr_assert(holds_write, "writer does not hold an rwlock-write\n%s", D(&R));
    expect_join(&R, dump, wr);
    run_done(&R);
}

static void nobody(const char *name, const char *kind, size_t nthreads, const char *const *waiters, size_t nwaiters)
{
    run_and_check(name, NULL, 0, RUN_TIMEOUT_MS,
                  ALL_ASLEEP_EXPECT(.kinds = {"all-asleep"}, .forbid = {"deadlock", "abandoned-lock"}));
    json_t *dump = check_all_asleep(&R, nthreads);
    const char *object = NULL;
    for (size_t i = 0; i < nwaiters; i++) {
        json_t *w = expect_wait(&R, thread_named(&R, dump, waiters[i]), kind);
        if (object)
            cr_assert(!strcmp(object, jstr(w, "object")), "%s: the waiters wait on different objects\n%s", name,
                      D(&R));
        object = jstr(w, "object");
    }
    expect_join(&R, dump, thread_named(&R, dump, waiters[0]));
    run_done(&R);
}

Test(scenario, cond_nobody)
{
    nobody("cond_nobody", "cond", 2, (const char *[]){"waiter"}, 1);
}

Test(scenario, sem_nobody)
{
    nobody("sem_nobody", "sem", 2, (const char *[]){"waiter"}, 1);
}

Test(scenario, barrier_short)
{
    nobody("barrier_short", "barrier", 3, (const char *[]){"party1", "party2"}, 2);
}

Test(scenario, pipe_nobody)
{
    nobody("pipe_nobody", "pipe-read", 2, (const char *[]){"reader"}, 1);
}

Test(scenario, futex_nobody)
{
    nobody("futex_nobody", "futex", 2, (const char *[]){"waiter"}, 1);
}

Test(scenario, main_exit_then_hang)
{
    /* main has called pthread_exit; the one live thread waits forever */
    run_and_check("main_exit_then_hang", NULL, 0, RUN_TIMEOUT_MS,
                  ALL_ASLEEP_EXPECT(.kinds = {"all-asleep"}, .forbid = {"deadlock", "abandoned-lock"}));
    json_t *dump = check_all_asleep(&R, 1);
    json_t *orphan = thread_named(&R, dump, "orphan");
    expect_wait(&R, orphan, "cond");
    json_t *f = find_in_dump(dump, "all-asleep");
    cr_assert(jint(orphan, "tid") == json_integer_value(json_array_get(json_object_get(f, "threads"), 0)),
              "all-asleep does not name the orphan\n%s", D(&R));
    run_done(&R);
}

Test(scenario, abandoned_cancel)
{
    /* cancelled while holding a mutex: abandoned-lock, and the program runs
     * on and exits 0 */
    run_and_check("abandoned_cancel", NULL, 0, RUN_TIMEOUT_MS,
                  (struct expect){.status = 0, .kinds = {"abandoned-lock"}, .exact = true, .reason = "exit",
                                  .first_line = {"abandon"}});
    json_t *f = find_finding(&R, "abandoned-lock", NULL);
    cr_assert(json_array_size(json_object_get(f, "threads")) == 1, "abandoned-lock should name the victim\n%s",
              D(&R));
    run_done(&R);
}

Test(scenario, mutex_types_abba)
{
    run_and_check("mutex_types_abba", NULL, 0, RUN_TIMEOUT_MS,
                  ALL_ASLEEP_EXPECT(.kinds = {"deadlock", "all-asleep"}, .forbid = {"abandoned-lock"}));
    abba_like("mutex_types_abba");
    run_done(&R);
}

Test(scenario, robust_owner_died)
{
    /* the robust mutex's EOWNERDEAD path: never a hang verdict (whether the
     * exit with a robust mutex held is reported as abandoned-lock is not
     * checked) */
    run_and_check("robust_owner_died", NULL, 0, RUN_TIMEOUT_MS,
                  (struct expect){.status = 0, .forbid = {"all-asleep", "deadlock", "leaked-thread"},
                                  .reason = "exit"});
    run_done(&R);
}

Test(scenario, c11_abba)
{
    run_and_check("c11_abba", NULL, 0, RUN_TIMEOUT_MS,
                  ALL_ASLEEP_EXPECT(.kinds = {"deadlock", "all-asleep"}, .forbid = {"abandoned-lock"}));
    abba_like("c11_abba");
    run_done(&R);
}

Test(scenario, abandoned_lock)
{
    run_and_check("abandoned_lock", NULL, 0, RUN_TIMEOUT_MS,
                  ALL_ASLEEP_EXPECT(.kinds = {"abandoned-lock", "all-asleep"},
                                    .first_line = {"abandon"}));
    json_t *fd = NULL;
    json_t *f = find_finding(&R, "abandoned-lock", &fd);
    json_t *ths = json_object_get(f, "threads");
    cr_assert(json_array_size(ths) == 1, "abandoned-lock should name the one thread that exited\n%s", D(&R));
    json_int_t quitter = json_integer_value(json_array_get(ths, 0));
    json_t *dump = check_all_asleep(&R, 1);
    json_t *m = main_thread(&R, dump);
    cr_assert(quitter != jint(m, "tid"), "abandoned-lock names main\n%s", D(&R));
    json_t *w = expect_wait(&R, m, "mutex");
    json_t *objs = json_object_get(f, "objects");
    if (json_array_size(objs) > 0) {
        bool found = false;
        size_t k;
        json_t *o;
        json_array_foreach(objs, k, o)
            found |= !strcmp(json_string_value(o) ? json_string_value(o) : "", jstr(w, "object"));
        cr_assert(found, "abandoned-lock objects do not include the mutex main waits for (%s)\n%s",
                  jstr(w, "object"), D(&R));
    }
    json_t *owners = json_object_get(w, "owners");
    if (json_array_size(owners) > 0)
        cr_assert(int_array_has(owners, quitter), "main's mutex owner is not the exited thread\n%s", D(&R));
    run_done(&R);
}

Test(scenario, atexit_hang)
{
    run_and_check("atexit_hang", NULL, 0, RUN_TIMEOUT_MS,
                  ALL_ASLEEP_EXPECT(.kinds = {"all-asleep"}, .forbid = {"abandoned-lock"}));
    json_t *dump = check_all_asleep(&R, 2);
    json_t *holder = thread_named(&R, dump, "holder");
    json_t *w = expect_wait(&R, main_thread(&R, dump), "mutex");
    cr_assert(int_array_has(json_object_get(w, "owners"), jint(holder, "tid")),
              "main's mutex is not owned by holder\n%s", D(&R));
    expect_wait(&R, holder, "sem");
    run_done(&R);
}

#define LEAK_EXPECT                                                                                                   \
    ((struct expect){.status = 7, .kinds = {"leaked-thread"}, .exact = true, .reason = "exit",                       \
                     .first_line = {"leak"}})

Test(scenario, leak_return)
{
    run_and_check("leak_return", NULL, 0, RUN_TIMEOUT_MS, LEAK_EXPECT);
    check_leaks(&R, (const char *[]){"stuck"}, 1, "cond");
    run_done(&R);
}

Test(scenario, leak_exit)
{
    run_and_check("leak_exit", NULL, 0, RUN_TIMEOUT_MS, LEAK_EXPECT);
    check_leaks(&R, (const char *[]){"stuck"}, 1, "sem");
    run_done(&R);
}

Test(scenario, leak__exit)
{
    run_and_check("leak__exit", NULL, 0, RUN_TIMEOUT_MS, LEAK_EXPECT);
    check_leaks(&R, (const char *[]){"stuck"}, 1, "cond");
    run_done(&R);
}

Test(scenario, leak__Exit)
{
    run_and_check("leak__Exit", NULL, 0, RUN_TIMEOUT_MS, LEAK_EXPECT);
    check_leaks(&R, (const char *[]){"stuck"}, 1, "cond");
    run_done(&R);
}

Test(scenario, leak_quick_exit)
{
    run_and_check("leak_quick_exit", NULL, 0, RUN_TIMEOUT_MS, LEAK_EXPECT);
    check_leaks(&R, (const char *[]){"stuck"}, 1, "cond");
    run_done(&R);
}

Test(scenario, leak_detached)
{
    run_and_check("leak_detached", NULL, 0, RUN_TIMEOUT_MS, LEAK_EXPECT);
    check_leaks(&R, (const char *[]){"stuck"}, 1, "cond");
    json_t *t = thread_named(&R, dump_with_reason(&R, "exit"), "stuck");
    cr_assert(json_is_true(json_object_get(t, "detached")), "the leaked thread is not marked detached\n%s", D(&R));
    run_done(&R);
}

Test(scenario, exit_from_thread)
{
    /* a worker calls exit(3) while main joins it: status 3, no verdict */
    run_and_check("exit_from_thread", NULL, 0, RUN_TIMEOUT_MS,
                  (struct expect){.status = 3, .forbid = {"deadlock", "all-asleep", "abandoned-lock"},
                                  .reason = "exit"});
    run_done(&R);
}

static void partial(const char *name)
{
    run_and_check(name, NULL, 0, RUN_TIMEOUT_MS,
                  (struct expect){.status = 0,
                                  .kinds = {"deadlock", "leaked-thread"},
                                  .forbid = {"all-asleep", "abandoned-lock"},
                                  .reason = "exit",
                                  .first_line = {"deadlock"}});
    cr_assert(count_kind(&R, "deadlock") == 1, "%s: partial deadlock reported %d times, want once\n%s", name,
              count_kind(&R, "deadlock"), D(&R));
    json_t *dump = NULL;
    json_t *f = find_finding(&R, "deadlock", &dump);
    check_cycle(&R, dump, f, 2, (const char *[]){"mutex", "mutex"}, (const char *[]){"t1", "t2"});
    json_t *m = main_thread(&R, dump);
    cr_assert(strcmp(jstr(m, "state"), "blocked") != 0, "%s: main is computing, yet shown blocked\n%s", name, D(&R));
    check_leaks(&R, (const char *[]){"t1", "t2"}, 2, "mutex");
    run_done(&R);
}

Test(scenario, partial_deadlock)
{
    partial("partial_deadlock");
}

Test(scenario, partial_deadlock_busy)
{
    /* the same with three threads churning other locks meanwhile */
    partial("partial_deadlock_busy");
}

Test(scenario, spin_abba)
{
    run_and_check("spin_abba", NULL, 0, RUN_TIMEOUT_MS,
                  ALL_ASLEEP_EXPECT(.kinds = {"deadlock", "all-asleep"}, .forbid = {"abandoned-lock"}));
    json_t *dump = check_all_asleep(&R, 3);
    json_t *f = find_in_dump(dump, "deadlock");
    cr_assert(f != NULL, "no deadlock finding in the all-asleep dump\n%s", D(&R));
    check_cycle(&R, dump, f, 2, (const char *[]){"spin", "spin"}, (const char *[]){"t1", "t2"});
    expect_join(&R, dump, thread_named(&R, dump, "t1"));
    run_done(&R);
}

Test(scenario, deep_holding)
{
    run_and_check("deep_holding", NULL, 0, RUN_TIMEOUT_MS,
                  ALL_ASLEEP_EXPECT(.kinds = {"deadlock", "all-asleep"}, .forbid = {"abandoned-lock"}));
    abba_like("deep_holding");
    json_t *dump = check_all_asleep(&R, 3);
    json_t *t1 = thread_named(&R, dump, "t1");
    cr_assert(json_array_size(json_object_get(t1, "held")) == 64, "t1 holds 64 mutexes, the dump lists %zu\n%s",
              json_array_size(json_object_get(t1, "held")), D(&R));
    run_done(&R);
}

Test(scenario, fork_child_deadlock)
{
    /* the child process deadlocks and must be judged (exit 2: the parent then
     * exits 0); the parent, waiting in waitpid, must not be */
    run_and_check("fork_child_deadlock", NULL, 0, RUN_TIMEOUT_MS,
                  ALL_ASLEEP_EXPECT(.status = 0, .reason = "exit", .kinds = {"deadlock", "all-asleep"},
                                    .forbid = {"abandoned-lock", "leaked-thread"}));
    json_t *dump = check_all_asleep(&R, 3);
    cr_assert(jint(dump, "pid") != R.pid, "the parent was judged all-asleep\n%s", D(&R));
    json_t *f = find_in_dump(dump, "deadlock");
    cr_assert(f != NULL, "no deadlock finding in the child's all-asleep dump\n%s", D(&R));
    check_cycle(&R, dump, f, 2, (const char *[]){"mutex", "mutex"}, (const char *[]){"t1", "t2"});
    json_t *parent_exit = dump_with_reason(&R, "exit");
    cr_assert(json_array_size(json_object_get(parent_exit, "findings")) == 0, "findings in the parent\n%s", D(&R));
    run_done(&R);
}

/* ------------------------------------------------------------------------ */
/* options */

Test(scenario, opt_exitcode)
{
    run_and_check("abba", "exitcode=5", 0, RUN_TIMEOUT_MS,
                  ALL_ASLEEP_EXPECT(.status = 5, .kinds = {"deadlock", "all-asleep"}));
    run_done(&R);
}

Test(scenario, opt_on_deadlock_abort)
{
    run_and_check("abba", "on_deadlock=abort", 0, RUN_TIMEOUT_MS,
                  ALL_ASLEEP_EXPECT(.sig = SIGABRT, .kinds = {"deadlock", "all-asleep"}));
    run_done(&R);
}

Test(scenario, opt_on_deadlock_continue)
{
    run_and_check("abba", "on_deadlock=continue", RUN_EXPECT_TIMEOUT, 6000,
                  ALL_ASLEEP_EXPECT(.still_running = true, .kinds = {"deadlock", "all-asleep"}));
    abba_like("abba continue");
    run_done(&R);
}

Test(scenario, opt_exitcode_explicit_exit)
{
    /* exitcode applies to on_deadlock=exit given explicitly as well */
    run_and_check("self_relock", "on_deadlock=exit:exitcode=42", 0, RUN_TIMEOUT_MS,
                  ALL_ASLEEP_EXPECT(.status = 42, .kinds = {"deadlock", "all-asleep"}));
    run_done(&R);
}

Test(scenario, opt_leaks_off)
{
    run_and_check("leak_exit", "leaks=0", 0, RUN_TIMEOUT_MS,
                  (struct expect){.status = 7, .exact = true, .reason = "exit", .quiet = true});
    run_done(&R);
}

Test(scenario, opt_no_dump_dir)
{
    /* without dump_dir: the stderr report only, no files anywhere */
    run_and_check("abba", NULL, RUN_NO_DUMP_DIR, RUN_TIMEOUT_MS, ALL_ASLEEP_EXPECT(.reason = NULL));
    cr_assert(R.ndumps == 0);
    DIR *d = opendir(R.cwd);
    cr_assert(d != NULL);
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        cr_assert(!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."), "file %s written to the cwd\n%s",
                  e->d_name, D(&R));
    closedir(d);
    run_done(&R);
}

Test(scenario, opt_clean_no_options)
{
    run_and_check("clean_counters", NULL, RUN_NO_DUMP_DIR, RUN_TIMEOUT_MS,
                  (struct expect){.status = 0, .quiet = true});
    run_done(&R);
}

Test(scenario, opt_dump_dir_created)
{
    run_and_check("leak_return", NULL, RUN_FRESH_DUMP_DIR, RUN_TIMEOUT_MS, LEAK_EXPECT);
    check_leaks(&R, (const char *[]){"stuck"}, 1, "cond");
    run_done(&R);
}

static void one_line_naming(const char *what)
{
    const char *s = buf_str(&R.err);
    size_t n = R.err.n;
    cr_assert(n > 0 && s[n - 1] == '\n' && memchr(s, '\n', n) == s + n - 1,
              "want exactly one line on stderr\n%s", D(&R));
    cr_assert(strstr(s, what) != NULL, "the stderr line does not name %s\n%s", what, D(&R));
}

Test(scenario, opt_unknown_key)
{
    run_and_check("clean_counters", "no_such_key=1", 0, RUN_TIMEOUT_MS,
                  (struct expect){.status = 0, .exact = true, .reason = "exit"});
    one_line_naming("no_such_key");
    run_done(&R);
}

Test(scenario, opt_bad_value)
{
    /* a bad value keeps the default (leaks=1): the leak is still reported */
    run_and_check("leak_return", "leaks=maybe", 0, RUN_TIMEOUT_MS,
                  (struct expect){.status = 7, .kinds = {"leaked-thread"}, .exact = true, .reason = "exit"});
    const char *s = buf_str(&R.err);
    size_t n = strcspn(s, "\n");
    cr_assert(memmem(s, n, "leaks", 5) != NULL, "the first stderr line does not name the bad option\n%s", D(&R));
    run_done(&R);
}

Test(scenario, opt_bad_values_keep_defaults)
{
    /* each bad value is named on its own line; the defaults (exit, 2) apply */
    run_and_check("abba", "exitcode=abc:on_deadlock=sometimes", 0, RUN_TIMEOUT_MS,
                  ALL_ASLEEP_EXPECT(.kinds = {"deadlock", "all-asleep"}, .first_line = {"exitcode"}));
    const char *s = buf_str(&R.err);
    const char *second = strchr(s, '\n');
    cr_assert(second != NULL, "one line only\n%s", D(&R));
    size_t n = strcspn(second + 1, "\n");
    cr_assert(memmem(second + 1, n, "on_deadlock", 11) != NULL,
              "the second stderr line does not name on_deadlock\n%s", D(&R));
    run_done(&R);
}

/* ------------------------------------------------------------------------ */
/* no-verdict side */

#define CLEAN_TEST(prog)                                                                                              \
    Test(scenario, prog)                                                                                              \
    {                                                                                                                 \
        run_and_check(#prog, NULL, 0, RUN_TIMEOUT_MS, CLEAN_EXPECT);                                                  \
        run_done(&R);                                                                                                 \
    }

CLEAN_TEST(thread_pool)
CLEAN_TEST(recursive_mutex)
CLEAN_TEST(errorcheck_mutex)
CLEAN_TEST(timed_waits)
CLEAN_TEST(compute_join)
CLEAN_TEST(waitpid_block)
CLEAN_TEST(sigwait_daemon)
CLEAN_TEST(sem_from_handler)
CLEAN_TEST(cond_pingpong)
CLEAN_TEST(clean_counters)
CLEAN_TEST(cancel_wait)
CLEAN_TEST(sleepers)
CLEAN_TEST(pipe_external)
CLEAN_TEST(fork_storm)
CLEAN_TEST(barrier_rounds)
CLEAN_TEST(sem_pingpong)
CLEAN_TEST(many_threads)
CLEAN_TEST(pshared_wait)
CLEAN_TEST(epoll_eventfd)
CLEAN_TEST(popen_read)
CLEAN_TEST(pipe_from_handler)
CLEAN_TEST(main_pthread_exit)
CLEAN_TEST(unjoined_exited)
CLEAN_TEST(spawn_pipe)

/* exec with a thread alive: the old image's threads are gone, not leaked;
 * the new image exits 0 */
Test(scenario, exec_threads)
{
    run_and_check("exec_threads", NULL, 0, RUN_TIMEOUT_MS,
                  (struct expect){.status = 0, .exact = true, .quiet = true});
    run_done(&R);
}
