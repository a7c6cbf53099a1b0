/* SPDX-License-Identifier: MIT */
/* System tests: real multithreaded programs from Debian packages run with and
 * without the shim must give byte-identical stdout, stderr and exit status, and
 * the shim must print nothing and find nothing (beyond the threads a program
 * really leaves running at exit, see xz below).
 *
 * Environment (set by meson): ASLEEP_TEST_SHIM (the shim), ASLEEP_TEST_SCHEMA
 * and ASLEEP_TEST_VALIDATOR (dump validation; optional), ASLEEP_TEST_PYTHON.
 * A program whose binary is absent is skipped (cr_skip_test). */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <jansson.h>
#include <limits.h>
#include <dirent.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define RUN_TIMEOUT_S 120

static char root[PATH_MAX];

static int rm_one(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
    (void)sb;
    (void)type;
    (void)ftw;
    remove(path);
    return 0;
}

static void make_root(const char *tag)
{
    const char *tmp = getenv("TMPDIR");
    if (!tmp || !*tmp)
        tmp = "/tmp";
    snprintf(root, sizeof root, "%s/asleep-sys-%s-XXXXXX", tmp, tag);
    cr_assert(mkdtemp(root) != NULL, "mkdtemp: %s", strerror(errno));
}

/* Runs after every test, passed or failed (the inputs are large); set
 * ASLEEP_TEST_KEEP=1 to keep the files for a look. */
static void cleanup_root(void)
{
    if (root[0] && !getenv("ASLEEP_TEST_KEEP"))
        nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
    root[0] = '\0';
}

static char *path_in_root(const char *name)
{
    char *p;
    if (asprintf(&p, "%s/%s", root, name) < 0)
        cr_assert_fail("asprintf");
    return p;
}

/* Locate a program in PATH (NULL when absent). */
static char *which(const char *prog)
{
    const char *path = getenv("PATH");
    if (!path || !*path)
        path = "/usr/local/bin:/usr/bin:/bin";
    char *copy = strdup(path), *save = NULL;
    for (char *dir = strtok_r(copy, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
        char *full;
        if (asprintf(&full, "%s/%s", dir, prog) < 0)
            break;
        if (access(full, X_OK) == 0) {
            free(copy);
            return full;
        }
        free(full);
    }
    free(copy);
    return NULL;
}

/* Deterministic text input: `lines` lines of three words and a number, with
 * repetition so that it compresses and sorts non-trivially. */
static void generate_text(const char *path, long lines)
{
    static const char letters[] = "etaoinshrdlucmfw";
    FILE *f = fopen(path, "w");
    cr_assert(f != NULL, "%s: %s", path, strerror(errno));
    unsigned long long s = 0x9E3779B97F4A7C15ULL;
    char words[4096][12];
    for (int w = 0; w < 4096; w++) {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        int len = 2 + (int)((s >> 40) % 9);
        for (int i = 0; i < len; i++)
            words[w][i] = letters[(s >> (4 * i)) & 15];
        words[w][len] = '\0';
    }
    for (long l = 0; l < lines; l++) {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        fprintf(f, "%s %s %s %llu\n", words[(s >> 20) & 4095], words[(s >> 32) & 4095], words[(s >> 44) & 4095],
                (s >> 13) % 1000000ULL);
    }
    cr_assert(fclose(f) == 0);
}

struct result {
    int status; /* exit status or -1 */
    int sig;
    bool timed_out;
    char *out_path, *err_path;
};

/* Run argv with stdin from `in` (or /dev/null), stdout/stderr to files
 * named NAME.out / NAME.err in root; with the shim when `options` is not NULL. */
static struct result run(const char *name, char *const argv[], const char *in, const char *options)
{
    struct result r = {.status = -1};
    char tag[256];
    snprintf(tag, sizeof tag, "%s.out", name);
    r.out_path = path_in_root(tag);
    snprintf(tag, sizeof tag, "%s.err", name);
    r.err_path = path_in_root(tag);

    size_t n = 0;
    while (environ[n])
        n++;
    char **env = calloc(n + 4, sizeof *env);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (strncmp(environ[i], "LD_PRELOAD=", 11) && strncmp(environ[i], "ASLEEP_OPTIONS=", 15) &&
            strncmp(environ[i], "TMPDIR=", 7))
            env[k++] = environ[i];
    if (asprintf(&env[k++], "TMPDIR=%s", root) < 0)
        cr_assert_fail("asprintf");
    if (options) {
        if (asprintf(&env[k++], "LD_PRELOAD=%s", getenv("ASLEEP_TEST_SHIM")) < 0 ||
            asprintf(&env[k++], "ASLEEP_OPTIONS=%s", options) < 0)
            cr_assert_fail("asprintf");
    }
    env[k] = NULL;

    pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        setpgid(0, 0);
        struct rlimit no_core = {0, 0};
        setrlimit(RLIMIT_CORE, &no_core);
        int fi = open(in ? in : "/dev/null", O_RDONLY);
        int fo = open(r.out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int fe = open(r.err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fi < 0 || fo < 0 || fe < 0 || dup2(fi, 0) < 0 || dup2(fo, 1) < 0 || dup2(fe, 2) < 0 || chdir(root))
            _exit(126);
        execve(argv[0], argv, env);
        _exit(127);
    }
    setpgid(pid, pid);
    time_t deadline = time(NULL) + RUN_TIMEOUT_S;
    int st = 0;
    for (;;) {
        pid_t w = waitpid(pid, &st, WNOHANG);
        if (w == pid)
            break;
        if (time(NULL) > deadline) {
            r.timed_out = true;
            kill(-pid, SIGKILL);
            waitpid(pid, &st, 0);
            break;
        }
        usleep(10000);
    }
    if (WIFEXITED(st))
        r.status = WEXITSTATUS(st);
    else if (WIFSIGNALED(st))
        r.sig = WTERMSIG(st);
    return r;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    cr_assert(f != NULL, "%s: %s", path, strerror(errno));
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *p = malloc((size_t)n + 1);
    cr_assert(p != NULL);
    cr_assert(fread(p, 1, (size_t)n, f) == (size_t)n);
    p[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return p;
}

static bool same_file(const char *a, const char *b)
{
    size_t na, nb;
    char *pa = slurp(a, &na), *pb = slurp(b, &nb);
    bool same = na == nb && memcmp(pa, pb, na) == 0;
    free(pa);
    free(pb);
    return same;
}

/* Validate the dumps in dir (when the validator is configured); return the
 * number of findings of each kind via `kinds` (kind -> count). */
static json_t *dump_findings(const char *dir, int *ndumps)
{
    json_t *kinds = json_object();
    *ndumps = 0;
    DIR *d = opendir(dir);
    if (!d)
        return kinds;
    struct dirent *e;
    char cmd[8192];
    const char *py = getenv("ASLEEP_TEST_PYTHON"), *val = getenv("ASLEEP_TEST_VALIDATOR"),
               *schema = getenv("ASLEEP_TEST_SCHEMA");
    while ((e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, "asleep.", 7))
            continue;
        char path[PATH_MAX + 300];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        (*ndumps)++;
        if (py && val && schema) {
            snprintf(cmd, sizeof cmd, "'%s' '%s' '%s' '%s' 2>&1", py, val, schema, path);
            FILE *p = popen(cmd, "r");
            char msg[4096] = "";
            size_t got = fread(msg, 1, sizeof msg - 1, p);
            msg[got] = '\0';
            int st = pclose(p);
            cr_assert(st == 0, "%s fails schema validation:\n%s", path, msg);
        }
        json_error_t err;
        json_t *j = json_load_file(path, 0, &err);
        cr_assert(j != NULL, "%s: %s", path, err.text);
        size_t i;
        json_t *f;
        json_array_foreach(json_object_get(j, "findings"), i, f) {
            const char *k = json_string_value(json_object_get(f, "kind"));
            k = k ? k : "?";
            json_object_set_new(kinds, k, json_integer(json_integer_value(json_object_get(kinds, k)) + 1));
        }
        json_decref(j);
    }
    closedir(d);
    return kinds;
}

/* Run argv without and with the shim; everything must be identical. With
 * leaks=1 (default) the shim may report only `allowed_leaks` leaked threads
 * and then its report on stderr is expected (stderr not compared). */
static void compare(const char *prog, const char *const *args, const char *in, const char *extra_options,
                    int allowed_leaks)
{
    char *bin = which(prog);
    if (!bin)
        cr_skip_test("%s is not installed", prog);
    char *argv[32];
    int n = 0;
    argv[n++] = bin;
    for (int i = 0; args[i]; i++)
        argv[n++] = (char *)args[i];
    argv[n] = NULL;

    char *dumps = path_in_root("dumps");
    char options[PATH_MAX + 128];
    snprintf(options, sizeof options, "dump_dir=%s%s%s", dumps, extra_options ? ":" : "",
             extra_options ? extra_options : "");

    struct result a = run("plain", argv, in, NULL);
    struct result b = run("shim", argv, in, options);

    cr_assert(!a.timed_out, "%s timed out without the shim", prog);
    cr_assert(!b.timed_out, "%s timed out with the shim (a hang the shim caused)", prog);
    cr_assert(a.status == b.status && a.sig == b.sig,
              "%s: status %d signal %d without the shim, status %d signal %d with it", prog, a.status, a.sig,
              b.status, b.sig);
    cr_assert(a.status == 0, "%s failed without the shim (status %d, signal %d); see %s", prog, a.status, a.sig,
              a.err_path);
    cr_assert(same_file(a.out_path, b.out_path), "%s: stdout differs with the shim (%s vs %s)", prog, a.out_path,
              b.out_path);
    int ndumps;
    json_t *kinds = dump_findings(dumps, &ndumps);
    cr_assert(ndumps >= 1, "%s: no exit dump written to %s", prog, dumps);
    char *ks = json_dumps(kinds, JSON_COMPACT | JSON_SORT_KEYS);
    int leaks = (int)json_integer_value(json_object_get(kinds, "leaked-thread"));
    cr_assert(json_object_size(kinds) == (leaks ? 1u : 0u), "%s: findings %s (want none but leaked threads)", prog,
              ks);
    if (allowed_leaks == 0) {
        cr_assert(same_file(a.err_path, b.err_path), "%s: stderr differs with the shim (%s vs %s)", prog,
                  a.err_path, b.err_path);
        size_t len;
        free(slurp(b.err_path, &len));
        cr_assert(len == 0, "%s: stderr not empty (%s)", prog, b.err_path);
        cr_assert(leaks == 0, "%s: findings %s", prog, ks);
    } else {
        cr_assert(leaks >= 1 && leaks <= allowed_leaks, "%s: %d leaked-thread findings, want 1..%d (%s)", prog,
                  leaks, allowed_leaks, ks);
    }
    free(ks);
    json_decref(kinds);
    free(bin);
}

TestSuite(system, .timeout = 400, .fini = cleanup_root);

#define TEXT_LINES 250000L /* ~6.5 MB */

Test(system, xz_compress)
{
    make_root("xz");
    char *data = path_in_root("data.txt");
    generate_text(data, TEXT_LINES);
    /* xz leaves its worker threads alive at exit (it skips lzma_end in
     * release builds): leaks=0 here, and xz_leaks_reported checks the report */
    compare("xz", (const char *[]){"-T2", "-3", "--block-size=1MiB", "-c", data, NULL}, NULL, "leaks=0", 0);
}

Test(system, xz_decompress)
{
    make_root("unxz");
    char *data = path_in_root("data.txt");
    generate_text(data, TEXT_LINES);
    char *xz = which("xz");
    if (!xz)
        cr_skip_test("xz is not installed");
    struct result c = run("make-xz", (char *const[]){xz, "-T2", "-1", "--block-size=512KiB", "-c", data, NULL},
                          NULL, NULL);
    cr_assert(c.status == 0);
    compare("xz", (const char *[]){"-T2", "-dc", NULL}, c.out_path, "leaks=0", 0);
}

Test(system, xz_leaks_reported)
{
    /* default leaks=1: stdout and status unchanged; the two lzma workers
     * still alive at exit are reported */
    make_root("xzleak");
    char *data = path_in_root("data.txt");
    generate_text(data, TEXT_LINES / 4);
    compare("xz", (const char *[]){"-T2", "-1", "--block-size=256KiB", "-c", data, NULL}, NULL, NULL, 2);
}

Test(system, zstd)
{
    make_root("zstd");
    char *data = path_in_root("data.txt");
    generate_text(data, TEXT_LINES);
    compare("zstd", (const char *[]){"-q", "-T2", "-c", data, NULL}, NULL, NULL, 0);
}

Test(system, pigz)
{
    make_root("pigz");
    char *data = path_in_root("data.txt");
    generate_text(data, TEXT_LINES);
    compare("pigz", (const char *[]){"-p", "4", "-c", data, NULL}, NULL, NULL, 0);
}

Test(system, pigz_stdin)
{
    make_root("pigzin");
    char *data = path_in_root("data.txt");
    generate_text(data, TEXT_LINES);
    compare("pigz", (const char *[]){"-n", "-p", "4", "-c", NULL}, data, NULL, 0);
}

Test(system, sort_parallel)
{
    make_root("sort");
    char *data = path_in_root("data.txt");
    generate_text(data, TEXT_LINES);
    compare("sort", (const char *[]){"--parallel=4", "-S", "1M", data, NULL}, NULL, NULL, 0);
}

Test(system, python_threads)
{
    /* CPython: threads, locks, conditions, queues, timed waits; all joined */
    make_root("py");
    compare("python3",
            (const char *[]){"-c",
                             "import threading, queue\n"
                             "q = queue.Queue(maxsize=8); out = []; lock = threading.Lock()\n"
                             "def worker():\n"
                             "    while True:\n"
                             "        x = q.get()\n"
                             "        if x is None: return\n"
                             "        with lock: out.append(x * x)\n"
                             "ts = [threading.Thread(target=worker) for _ in range(4)]\n"
                             "[t.start() for t in ts]\n"
                             "for i in range(20000): q.put(i)\n"
                             "for _ in ts: q.put(None)\n"
                             "[t.join() for t in ts]\n"
                             "ev = threading.Event(); ev.wait(0.2)\n"
                             "print(len(out), sum(out))\n",
                             NULL},
            NULL, NULL, 0);
}

Test(system, tar_zstd_pipe)
{
    /* tar forks and execs zstd and talks to it through pipes: the shim is in
     * both processes */
    if (!which("zstd"))
        cr_skip_test("zstd is not installed");
    make_root("tar");
    char *data = path_in_root("data.txt");
    generate_text(data, TEXT_LINES / 2);
    compare("tar", (const char *[]){"--sort=name", "--mtime=@0", "--owner=0", "--group=0", "--numeric-owner",
                                    "-I", "zstd -T2 -q", "-cf", "-", "-C", root, "data.txt", NULL},
            NULL, NULL, 0);
}

Test(system, shell_pipeline)
{
    /* a shell pipeline of multithreaded sorts: fork, exec, pipes, waits */
    make_root("sh");
    char *data = path_in_root("data.txt");
    generate_text(data, TEXT_LINES / 2);
    char script[PATH_MAX + 200];
    snprintf(script, sizeof script,
             "cut -d' ' -f1 '%s' | sort --parallel=2 -S 1M | uniq -c | sort --parallel=2 -k1,1nr -k2 | head -20",
             data);
    compare("sh", (const char *[]){"-c", script, NULL}, NULL, NULL, 0);
}
