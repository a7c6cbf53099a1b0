/* SPDX-License-Identifier: MIT */
/* C++ and glibc-internal waits (README "What it sees"): every way libstdc++
 * waits gets its verdict, with the wait named; each rule's mirror (slow but
 * correct) stays clean.  Programs in cpp/ (C++20) and a few in C. */
#include "harness.h"

#include <unistd.h>

static bool have(const char *prog)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", need_env("ASLEEP_TEST_BINDIR"), prog);
    return access(path, X_OK) == 0;
}

static void need(const char *prog, const char *what)
{
    if (!have(prog))
        cr_skip_test("built without %s", what);
}

/* All asleep among n threads; thread `who` (NULL: main) waits in `kind`,
 * described as `what` (NULL: not checked). */
static json_t *all_asleep(const char *prog, size_t n, const char *who, const char *kind, const char *what)
{
    run_and_check(prog, NULL, 0, RUN_TIMEOUT_MS,
                  ALL_ASLEEP_EXPECT(.kinds = {"all-asleep"}, .forbid = {"abandoned-lock", "leaked-thread"}));
    json_t *dump = check_all_asleep(&R, n);
    json_t *w = expect_wait(&R, who ? thread_named(&R, dump, who) : main_thread(&R, dump), kind);
    if (what)
        cr_assert(json_is_string(json_object_get(w, "what")) && !strcmp(jstr(w, "what"), what),
                  "%s: wait.what is not \"%s\"\n%s", prog, what, D(&R));
    return dump;
}

#define CXX_ASLEEP(prog, n, who, kind, what)                                                                           \
    Test(cxx, prog)                                                                                                   \
    {                                                                                                                 \
        need(#prog, "g++ (C++20)");                                                                                   \
        all_asleep(#prog, n, who, kind, what);                                                                        \
        run_done(&R);                                                                                                 \
    }

CXX_ASLEEP(cxx_future_nobody, 1, NULL, "futex", "future")
CXX_ASLEEP(cxx_semaphore_nobody, 2, "acquirer", "futex", "semaphore")
CXX_ASLEEP(cxx_semaphore_alone, 1, NULL, "futex", "semaphore")
CXX_ASLEEP(cxx_binary_semaphore_nobody, 2, "acquirer", "futex", "semaphore")
CXX_ASLEEP(cxx_latch_short, 2, "worker", "futex", "latch")
CXX_ASLEEP(cxx_barrier_short, 2, "worker", "futex", "barrier")
/* g++ 12 inlines all of std::atomic::wait: nothing in the stack names it. */
CXX_ASLEEP(cxx_atomic_wait_nobody, 2, "waiter", "futex", NULL)
CXX_ASLEEP(cxx_static_init_cycle, 2, "second", "futex", "static init")
CXX_ASLEEP(cxx_cv_nobody, 2, "waiter", "cond", NULL)
CXX_ASLEEP(cxx_cv_any_nobody, 2, "waiter", "cond", NULL)

/* A single thread waiting on a semaphore needs no grace period. */
Test(cxx, semaphore_alone_is_immediate)
{
    need("cxx_semaphore_alone", "g++ (C++20)");
    all_asleep("cxx_semaphore_alone", 1, NULL, "futex", "semaphore");
    json_t *w = json_object_get(main_thread(&R, check_all_asleep(&R, 1)), "wait");
    cr_assert(jint(w, "since_ms") < 400, "the lone waiter's verdict waited %lld ms\n%s",
              (long long)jint(w, "since_ms"), D(&R));
    run_done(&R);
}

/* exit's static destructors destroy a condition variable three detached
 * threads still wait on: main waits for them, they for a notify. */
Test(cxx, cond_destroy_exit)
{
    need("cxx_cond_destroy_exit", "g++ (C++20)");
    json_t *dump = all_asleep("cxx_cond_destroy_exit", 4, NULL, "cond-destroy", NULL);
    json_t *w = json_object_get(main_thread(&R, dump), "wait");
    cr_assert(json_array_size(json_object_get(w, "owners")) == 3, "the destroy does not wait for 3 waiters\n%s",
              D(&R));
    cr_assert(strstr(buf_str(&R.err), "destroying a condition variable") &&
                      strstr(buf_str(&R.err), "that 3 threads still wait on"),
              "the report does not say what exit waits for\n%s", D(&R));
    run_done(&R);
}

Test(cxx, async_cycle)
{
    need("cxx_async_cycle", "g++ (C++20)");
    run_and_check("cxx_async_cycle", NULL, 0, RUN_TIMEOUT_MS,
                  ALL_ASLEEP_EXPECT(.kinds = {"deadlock", "all-asleep"}, .forbid = {"abandoned-lock"}));
    json_t *dump = check_all_asleep(&R, 3);
    /* std::future::wait joins the async thread under std::call_once.  Who
     * gets task-a's once first decides the cycle: task-b (then the tasks
     * join each other and main waits on the once) or main (then main joins
     * task-a, which joins task-b, which waits on the once main holds). */
    json_t *f = find_in_dump(dump, "deadlock");
    if (json_array_size(json_object_get(f, "cycle")) == 2)
        check_cycle(&R, dump, f, 2, (const char *[]){"join", "join"}, (const char *[]){"task-a", "task-b"});
    else
        check_cycle(&R, dump, f, 3, (const char *[]){"join", "join", "once"}, NULL);
    run_done(&R);
}

Test(cxx, mutex_abba)
{
    need("cxx_mutex_abba", "g++ (C++20)");
    run_and_check("cxx_mutex_abba", NULL, 0, RUN_TIMEOUT_MS,
                  ALL_ASLEEP_EXPECT(.kinds = {"deadlock", "all-asleep"}, .forbid = {"abandoned-lock"}));
    json_t *dump = check_all_asleep(&R, 3);
    check_cycle(&R, dump, find_in_dump(dump, "deadlock"), 2, (const char *[]){"mutex", "mutex"},
                (const char *[]){"ab", "ba"});
    run_done(&R);
}

/* A reader asking for the unique lock of the std::shared_mutex it holds. */
Test(cxx, shared_mutex_upgrade)
{
    need("cxx_shared_mutex_upgrade", "g++ (C++20)");
    run_and_check("cxx_shared_mutex_upgrade", NULL, 0, RUN_TIMEOUT_MS,
                  ALL_ASLEEP_EXPECT(.kinds = {"deadlock", "all-asleep"}, .forbid = {"abandoned-lock"}));
    json_t *dump = check_all_asleep(&R, 1);
    check_cycle(&R, dump, find_in_dump(dump, "deadlock"), 1, (const char *[]){"rwlock-write"}, NULL);
    run_done(&R);
}

/* pthread_once's routine joins a thread that calls pthread_once on the same
 * control: the routine's thread holds the once. */
Test(cxx, once_cycle)
{
    run_and_check("once_cycle", NULL, 0, RUN_TIMEOUT_MS,
                  ALL_ASLEEP_EXPECT(.kinds = {"deadlock", "all-asleep"}, .forbid = {"abandoned-lock"}));
    json_t *dump = check_all_asleep(&R, 2);
    check_cycle(&R, dump, find_in_dump(dump, "deadlock"), 2, (const char *[]){"join", "once"},
                (const char *[]){"once_cycle", "second"});
    run_done(&R);
}

Test(cxx, glib_queue_nobody)
{
    need("glib_queue_nobody", "GLib (libglib2.0-dev)");
    all_asleep("glib_queue_nobody", 2, "popper", "futex", "GAsyncQueue");
    run_done(&R);
}

/* GMutex is a raw futex: the waits are seen, their owners are not. */
Test(cxx, glib_mutex_abba)
{
    need("glib_mutex_abba", "GLib (libglib2.0-dev)");
    all_asleep("glib_mutex_abba", 3, "ab", "futex", NULL);
    run_done(&R);
}

/* An exception from a std::call_once routine unwinds through the hook: the
 * once is not left recorded as held (the thread's record at exit says). */
Test(cxx, once_throws)
{
    need("cxx_once_throws", "g++ (C++20)");
    run_and_check("cxx_once_throws", NULL, 0, RUN_TIMEOUT_MS,
                  (struct expect){.status = 0, .kinds = {"leaked-thread"}, .exact = true, .reason = "exit",
                                  .quiet = true});
    json_t *t = thread_named(&R, dump_with_reason(&R, "exit"), "thrower");
    cr_assert(json_array_size(json_object_get(t, "held")) == 0, "the thread still holds something\n%s", D(&R));
    run_done(&R);
}

/* Suppressions match C++ names as people write them: main waits in
 * std::thread::join() (mangled _ZNSt6thread4joinEv), so this rule keeps the
 * program hanging as it would without the shim. */
Test(cxx, suppression_matches_demangled_name)
{
    need("cxx_atomic_wait_nobody", "g++ (C++20)");
    char path[] = "/tmp/asleep-cxx-supp-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    static const char rule[] = "all-asleep:top:std::thread::join()\n";
    cr_assert(write(fd, rule, sizeof rule - 1) == (ssize_t)(sizeof rule - 1));
    close(fd);
    char opts[PATH_MAX + 32];
    snprintf(opts, sizeof opts, "suppressions=%s", path);
    run_and_check("cxx_atomic_wait_nobody", opts, RUN_EXPECT_TIMEOUT, 2500,
                  (struct expect){.still_running = true, .forbid = {"all-asleep", "deadlock"}, .quiet = true});
    unlink(path);
    run_done(&R);
}

/* The mirrors: the same waits, ended late by a thread (or a process) that
 * is computing, never by nobody. */
#define CLEAN(prog, what)                                                                                              \
    Test(cxx, prog)                                                                                                   \
    {                                                                                                                 \
        need(#prog, what);                                                                                            \
        run_and_check(#prog, NULL, 0, RUN_TIMEOUT_MS, CLEAN_EXPECT);                                                  \
        run_done(&R);                                                                                                 \
    }

CLEAN(cxx_future_late, "g++ (C++20)")
CLEAN(cxx_atomic_late, "g++ (C++20)")
CLEAN(cxx_latch_slow, "g++ (C++20)")
CLEAN(cxx_static_slow, "g++ (C++20)")
CLEAN(cxx_many_async, "g++ (C++20)")
CLEAN(cxx_jthread_stop, "g++ (C++20)")
CLEAN(once_slow, "once_slow")
CLEAN(futex_shared_child, "futex_shared_child")
CLEAN(futex_shared_file, "futex_shared_file")
