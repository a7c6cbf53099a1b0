/* SPDX-License-Identifier: MIT */
/* Scenario tests: runs each program of tests/scenarios under the shim (with
 * harness.c) and checks its verdict: exit status, stderr and dump files. */
#define _GNU_SOURCE
#include "harness.h"

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

Test(scenario, pipe_pool_drained)
{
    nobody("pipe_pool_drained", "pipe-read", 5, (const char *[]){"reader1", "reader2", "reader3", "reader4"}, 4);
}

Test(scenario, pipe_dup_reader)
{
    nobody("pipe_dup_reader", "pipe-read", 2, (const char *[]){"reader"}, 1);
}

Test(scenario, futex_nobody)
{
    nobody("futex_nobody", "futex", 2, (const char *[]){"waiter"}, 1);
}

/* A channel nobody will ever serve: all-asleep (2 threads) with main joining
 * `waiter`, which waits in `kind` on the fd the program noted as `fd_key`
 * (the channel's other end: `peer_key`, or NULL when the dump names none). */
static void chan_nobody(const char *name, const char *kind, const char *waiter, const char *fd_key,
                        const char *peer_key)
{
    run_and_check(name, NULL, 0, RUN_TIMEOUT_MS,
                  ALL_ASLEEP_EXPECT(.kinds = {"all-asleep"}, .forbid = {"deadlock", "abandoned-lock"}));
    json_t *dump = check_all_asleep(&R, 2);
    json_t *t = thread_named(&R, dump, waiter);
    expect_fd_wait(&R, t, kind, note(&R, fd_key), peer_key ? note(&R, peer_key) : -1);
    expect_join(&R, dump, t);
    run_done(&R);
}

Test(scenario, pipe_write_full)
{
    /* blocked writing the write end of a full pipe whose read end is open */
    chan_nobody("pipe_write_full", "pipe-write", "writer", "write", "read");
}

Test(scenario, pipe_small_writes_full)
{
    /* the same, filled by small writes, the first of which skip the try */
    chan_nobody("pipe_small_writes_full", "pipe-write", "writer", "write", "read");
}

Test(scenario, eventfd_nobody)
{
    chan_nobody("eventfd_nobody", "eventfd", "reader", "efd", NULL);
}

Test(scenario, socketpair_nobody)
{
    chan_nobody("socketpair_nobody", "socket", "receiver", "sock", "peer");
}

Test(scenario, poll_nobody)
{
    chan_nobody("poll_nobody", "poll", "poller", "read", NULL);
}

Test(scenario, pipe_cycle)
{
    /* each thread reads the pipe only the other writes. Channels have no
     * owners, so whether a wait-for cycle is also reported is not checked. */
    run_and_check("pipe_cycle", NULL, 0, RUN_TIMEOUT_MS,
                  ALL_ASLEEP_EXPECT(.kinds = {"all-asleep"}, .forbid = {"abandoned-lock"}));
    json_t *dump = check_all_asleep(&R, 3);
    json_t *a = thread_named(&R, dump, "a"), *b = thread_named(&R, dump, "b");
    expect_fd_wait(&R, a, "pipe-read", note(&R, "a_fd"), note(&R, "a_peer"));
    expect_fd_wait(&R, b, "pipe-read", note(&R, "b_fd"), note(&R, "b_peer"));
    expect_join(&R, dump, a);
    run_done(&R);
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

/* Leaks go to the exit dump (and the runner's gate), not to the program's
 * stderr: threads alive at exit are often there by design. */
#define LEAK_EXPECT                                                                                                   \
    ((struct expect){.status = 7, .kinds = {"leaked-thread"}, .exact = true, .reason = "exit", .quiet = true})

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
    cr_assert(json_array_size(json_object_get(t1, "held")) == 48, "t1 holds 48 mutexes, the dump lists %zu\n%s",
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

Test(scenario, opt_report_leaks_prints_them)
{
    run_and_check("leak_return", "report_leaks=1", 0, RUN_TIMEOUT_MS,
                  (struct expect){.status = 7, .kinds = {"leaked-thread"}, .exact = true, .reason = "exit",
                                  .first_line = {"leak"}});
    check_leaks(&R, (const char *[]){"stuck"}, 1, "cond");
    run_done(&R);
}

/* A joinable thread that ended and was never joined is a leak (TSan's
 * default); the dump names it "finished" and it is gone from /proc. */
Test(scenario, unjoined_exited)
{
    run_and_check("unjoined_exited", NULL, 0, RUN_TIMEOUT_MS,
                  (struct expect){.status = 0, .kinds = {"leaked-thread"}, .exact = true, .reason = "exit",
                                  .quiet = true});
    check_leaks(&R, (const char *[]){"quick"}, 1, NULL);
    json_t *dump = dump_with_reason(&R, "exit");
    json_t *t = thread_named(&R, dump, "quick");
    cr_assert_str_eq(json_string_value(json_object_get(t, "state")), "finished", "%s", D(&R));
    cr_assert(json_array_size(json_object_get(json_object_get(t, "created_by"), "stack")) > 0,
              "no creation stack\n%s", D(&R));
    json_t *f = json_array_get(json_object_get(dump, "findings"), 0);
    cr_assert(strstr(json_string_value(json_object_get(f, "message")), "never joined"), "%s", D(&R));
    run_done(&R);
}

Test(scenario, opt_unjoined_leaks_off)
{
    run_and_check("unjoined_exited", "unjoined_leaks=0", 0, RUN_TIMEOUT_MS, CLEAN_EXPECT);
    run_done(&R);
}

/* error_exitcode: a plain LD_PRELOAD run fails when a finding that fails
 * the gate was reported (here a partial deadlock and its leaked threads). */
Test(scenario, opt_error_exitcode)
{
    run_and_check("partial_deadlock", "error_exitcode=9", 0, RUN_TIMEOUT_MS,
                  (struct expect){.status = 9, .kinds = {"deadlock"}, .reason = "exit", .first_line = {"deadlock"}});
    run_done(&R);
}

Test(scenario, opt_error_exitcode_clean)
{
    run_and_check("thread_pool", "error_exitcode=9", 0, RUN_TIMEOUT_MS, CLEAN_EXPECT);
    run_done(&R);
}

/* verbosity=1: one line at start-up and one at exit, nothing else. */
Test(scenario, opt_verbosity)
{
    run_and_check("thread_pool", "verbosity=1", 0, RUN_TIMEOUT_MS,
                  (struct expect){.status = 0, .exact = true, .reason = "exit", .first_line = {"libasleep"}});
    const char *err = buf_str(&R.err);
    int lines = 0;
    for (const char *p = err; *p; p++)
        lines += *p == '\n';
    cr_assert(lines == 2 && strstr(err, "loaded in pid") && strstr(err, "monitor:") && strstr(err, "exits: 0 findings"),
              "verbosity=1 printed:\n%s", err);
    run_done(&R);
}

/* The report's last line is for grep: SUMMARY: asleep: KIND FRAME. */
Test(scenario, summary_line_last)
{
    run_and_check("abba", NULL, 0, RUN_TIMEOUT_MS, ALL_ASLEEP_EXPECT(.kinds = {"deadlock", "all-asleep"}));
    const char *err = buf_str(&R.err), *last = err;
    for (const char *p = err; *p; p++)
        if (*p == '\n' && p[1])
            last = p + 1;
    cr_assert(!strncmp(last, "SUMMARY: asleep: all-asleep main", 32), "last line: %s", last);
    run_done(&R);
}

/* gen_suppressions=1 prints the rule for each finding; the rule works. */
Test(scenario, gen_suppressions_round_trip)
{
    run_and_check("lo_abba_sequential", "gen_suppressions=1", 0, RUN_TIMEOUT_MS,
                  (struct expect){.status = 0, .kinds = {"lock-order-inversion"}, .reason = "exit",
                                  .first_line = {"lock-order-inversion"}});
    const char *rule = strstr(buf_str(&R.err), "suppression: lock-order-inversion:top:lo_take_");
    cr_assert(rule, "no suppression line\n%s", D(&R));
    rule += strlen("suppression: ");
    char path[] = "/tmp/asleep-gensupp-XXXXXX", opts[PATH_MAX + 32];
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    size_t len = strcspn(rule, "\n");
    cr_assert(write(fd, rule, len) == (ssize_t)len && write(fd, "\n", 1) == 1);
    close(fd);
    run_done(&R);
    snprintf(opts, sizeof opts, "suppressions=%s", path);
    run_and_check("lo_abba_sequential", opts, 0, RUN_TIMEOUT_MS,
                  (struct expect){.status = 0, .forbid = {"lock-order-inversion"}, .reason = "exit", .quiet = true});
    unlink(path);
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
CLEAN_TEST(wrapped_mutex)
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
CLEAN_TEST(spawn_pipe)
CLEAN_TEST(eventfd_pool)
CLEAN_TEST(pipe_pingpong)
CLEAN_TEST(pipe_answers)
CLEAN_TEST(pipe_seccomp)
CLEAN_TEST(pipe_nonblock_alone)
CLEAN_TEST(pipe_unseen_write_alone)
CLEAN_TEST(signal_apis)

/* A program that puts itself under seccomp: the shim stops before the filter
 * goes in (README "seccomp"), so exit 0, silence, and no dump at all, not
 * even the exit dump a dump_dir asks for. */
#define SANDBOXED_TEST(prog)                                                                                          \
    Test(scenario, prog)                                                                                              \
    {                                                                                                                 \
        run_and_check(#prog, NULL, 0, RUN_TIMEOUT_MS,                                                                 \
                      (struct expect){ .status = 0, .exact = true, .quiet = true });                                  \
        cr_assert(R.ndumps == 0, "%s: %d dump(s) after the filter went in\n%s", #prog, R.ndumps, D(&R));             \
        run_done(&R);                                                                                                 \
    }

SANDBOXED_TEST(seccomp_kill)
SANDBOXED_TEST(seccomp_tsync)
SANDBOXED_TEST(seccomp_tsync_busy)
CLEAN_TEST(unlocked_by_other)

/* ------------------------------------------------------------------------ */
/* certain verdicts: what only the kernel knows (README "Certain verdicts") */

/* The process looks all asleep to the hooks' bookkeeping, but its epoll set
 * was filled and its pipe is written through io_uring. */
Test(scenario, uring_epoll)
{
    run_and_check("uring_epoll", NULL, 0, RUN_TIMEOUT_MS, CLEAN_EXPECT);
    if (note(&R, "uring") == 1)
        cr_assert(R.ms >= 800, "uring_epoll: ended after %lld ms, before io_uring's write\n%s", R.ms, D(&R));
    run_done(&R);
}

/* The pipe's writer is a child made without fork(): with clone(), with
 * syscall(SYS_fork), and with an inline system call no hook sees. */
#define WRITER_TEST(prog)                                                                                             \
    Test(scenario, prog)                                                                                              \
    {                                                                                                                 \
        run_and_check(#prog, NULL, 0, RUN_TIMEOUT_MS, CLEAN_EXPECT);                                                  \
        cr_assert(R.ms >= 800, #prog ": ended after %lld ms, before the child wrote\n%s", R.ms, D(&R));            \
        run_done(&R);                                                                                                 \
    }
WRITER_TEST(clone_writer)
WRITER_TEST(rawfork_writer)
WRITER_TEST(inline_fork_writer)

Test(scenario, epoll_nobody)
{
    nobody("epoll_nobody", "poll", 2, (const char *[]){"poller"}, 1);
}

/* An idle event loop waiting to be killed is left alone... */
Test(scenario, idle_loop)
{
    run_and_check("idle_loop", NULL, RUN_EXPECT_TIMEOUT, 2500,
                  (struct expect){.still_running = true, .forbid = {"all-asleep", "deadlock"}, .quiet = true});
    run_done(&R);
}

/* ... and says why in its dumps. */
Test(scenario, idle_loop_says_why)
{
    run_and_check("idle_loop", "interval_ms=300", RUN_EXPECT_TIMEOUT | RUN_KILLED_TMP_OK, 2500,
                  (struct expect){.still_running = true, .forbid = {"all-asleep", "deadlock"}, .quiet = true});
    json_t *veto = NULL;
    for (int i = 0; i < R.ndumps && !veto; i++)
        veto = json_object_get(R.dump[i], "vetoed_by");
    cr_assert(veto != NULL, "idle_loop: no dump says why there was no verdict\n%s", D(&R));
    cr_assert(!strcmp(jstr(veto, "check"), "idle"), "idle_loop: vetoed by %s, not idle\n%s", jstr(veto, "check"),
              D(&R));
    run_done(&R);
}

/* ... while the same loop, once woken and then waited for, is a hang. */
Test(scenario, idle_loop_woken)
{
    nobody("idle_loop_woken", "poll", 2, (const char *[]){"loop"}, 1);
}

/* The same two shapes with GLib's main loop (skipped without GLib). */
static bool have(const char *prog)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", need_env("ASLEEP_TEST_BINDIR"), prog);
    return access(path, X_OK) == 0;
}

Test(scenario, glib_idle)
{
    if (!have("glib_idle"))
        cr_skip_test("built without GLib (libglib2.0-dev)");
    run_and_check("glib_idle", NULL, RUN_EXPECT_TIMEOUT, 2500,
                  (struct expect){.still_running = true, .forbid = {"all-asleep", "deadlock"}, .quiet = true});
    run_done(&R);
}

Test(scenario, glib_source_removed)
{
    if (!have("glib_source_removed"))
        cr_skip_test("built without GLib (libglib2.0-dev)");
    run_and_check("glib_source_removed", NULL, 0, RUN_TIMEOUT_MS,
                  ALL_ASLEEP_EXPECT(.kinds = {"all-asleep"}, .forbid = {"deadlock", "abandoned-lock"}));
    expect_join(&R, check_all_asleep(&R, 2), thread_named(&R, check_all_asleep(&R, 2), "loop"));
    expect_wait(&R, thread_named(&R, check_all_asleep(&R, 2), "loop"), "poll");
    run_done(&R);
}

/* All asleep among 5,000 and 10,000 threads: no fixed-size registry. */
static void many_asleep(const char *name, size_t n)
{
    if (getenv("ASLEEP_TEST_LIGHT"))
        cr_skip_test("ASLEEP_TEST_LIGHT: the allocator runs leave the 5,000 and 10,000-thread scenarios out");
    run_and_check(name, NULL, 0, RUN_TIMEOUT_MS,
                  ALL_ASLEEP_EXPECT(.kinds = {"all-asleep"}, .forbid = {"deadlock", "abandoned-lock"}, .max_ms = 0));
    check_all_asleep(&R, n + 1);
    run_done(&R);
}

Test(scenario, many_asleep_5000, .timeout = 120)
{
    many_asleep("many_asleep_5000", 5000);
}

Test(scenario, many_asleep_10000, .timeout = 180)
{
    many_asleep("many_asleep_10000", 10000);
}

/* main joins a thread reading stdin, which another process writes only after
 * STDIN_LATE_MS: no verdict, and the run lasted until the data came */
Test(scenario, stdin_late)
{
    run_and_check("stdin_late", NULL, RUN_STDIN_LATE, RUN_TIMEOUT_MS, CLEAN_EXPECT);
    cr_assert(R.ms >= STDIN_LATE_MS, "stdin_late: ended after %lld ms, before its stdin was written\n%s", R.ms,
              D(&R));
    run_done(&R);
}

/* exec with a thread alive: the old image's threads are gone, not leaked;
 * the new image exits 0 */
Test(scenario, exec_threads)
{
    run_and_check("exec_threads", NULL, 0, RUN_TIMEOUT_MS,
                  (struct expect){.status = 0, .exact = true, .quiet = true});
    run_done(&R);
}
