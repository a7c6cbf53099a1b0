/* SPDX-License-Identifier: MIT */
/* Post-mortem scenarios: a dump on each fatal signal (and death by the same
 * signal), the stderr summary without dump_dir, a program's own handler
 * left alone, shutdown-stall and its clean mirror, dump on request. */
#include "harness.h"

static json_t *signal_dump(void)
{
    json_t *d = dump_with_reason(&R, "signal");
    cr_assert(json_array_size(json_object_get(d, "findings")) == 0, "%s: findings in a signal dump\n%s", R.name,
              D(&R));
    return d;
}

/* The frame's module path ends with /name. */
static bool frame_in(json_t *dump, json_t *frame, const char *name)
{
    json_t *mod = json_object_get(frame, "module");
    if (!json_is_integer(mod))
        return false;
    const char *path = jstr(json_array_get(json_object_get(dump, "modules"), (size_t)json_integer_value(mod)), "path");
    size_t n = strlen(path), k = strlen(name);
    return n > k && path[n - k - 1] == '/' && !strcmp(path + n - k, name);
}

/* A process dying of a signal prints what it would without the shim: the
 * dump is written without a word (report_fatal=1 asks for one). */
static void crash(const char *name, int sig, const char *signame, bool fault)
{
    run_and_check(name, NULL, 0, RUN_TIMEOUT_MS,
                  (struct expect){.sig = sig, .exact = true, .reason = "signal", .quiet = true});
    json_t *d = signal_dump();
    json_t *s = json_object_get(d, "signal");
    cr_assert(jint(s, "number") == sig && !strcmp(jstr(s, "name"), signame), "%s: signal field %lld %s\n%s", name,
              (long long)jint(s, "number"), jstr(s, "name"), D(&R));
    json_t *m = main_thread(&R, d);
    cr_assert(jint(s, "tid") == jint(m, "tid"), "%s: the signal did not land on main\n%s", name, D(&R));
    json_t *w = thread_named(&R, d, "waiter");
    cr_assert(!strcmp(jstr(w, "state"), "blocked"), "%s: waiter is %s\n%s", name, jstr(w, "state"), D(&R));
    expect_wait(&R, w, "cond");
    cr_assert(json_array_size(json_object_get(w, "stack")) > 0, "%s: no stack for the waiter\n%s", name, D(&R));
    json_t *st = json_object_get(s, "stack");
    cr_assert(json_array_size(st) > 0, "%s: no stack for the signalled thread\n%s", name, D(&R));
    /* a fault's pc is in the program itself (crash(), built with frame pointers) */
    if (fault)
        cr_assert(frame_in(d, json_array_get(st, 0), name), "%s: the first frame is not in the program\n%s", name,
                  D(&R));
    run_done(&R);
}

TestSuite(postmortem, .timeout = 60);

Test(postmortem, crash_segv) { crash("crash_segv", SIGSEGV, "SIGSEGV", true); }
Test(postmortem, crash_bus) { crash("crash_bus", SIGBUS, "SIGBUS", true); }
Test(postmortem, crash_fpe) { crash("crash_fpe", SIGFPE, "SIGFPE", true); }
Test(postmortem, crash_ill) { crash("crash_ill", SIGILL, "SIGILL", true); }
Test(postmortem, crash_abrt) { crash("crash_abrt", SIGABRT, "SIGABRT", false); }
Test(postmortem, crash_term) { crash("crash_term", SIGTERM, "SIGTERM", false); }
Test(postmortem, crash_int) { crash("crash_int", SIGINT, "SIGINT", false); }
Test(postmortem, crash_quit) { crash("crash_quit", SIGQUIT, "SIGQUIT", false); }

/* report_fatal=1: one line naming the dump; SIGTERM stays silent. */
Test(postmortem, report_fatal_names_the_dump)
{
    run_and_check("crash_abrt", "report_fatal=1", 0, RUN_TIMEOUT_MS,
                  (struct expect){.sig = SIGABRT, .exact = true, .reason = "signal", .first_line = {"SIGABRT"}});
    cr_assert(strstr(buf_str(&R.err), "dump written to") != NULL, "no stderr line naming the dump\n%s", D(&R));
    run_done(&R);
}

Test(postmortem, report_fatal_not_for_sigterm)
{
    run_and_check("crash_term", "report_fatal=1", 0, RUN_TIMEOUT_MS,
                  (struct expect){.sig = SIGTERM, .exact = true, .reason = "signal", .quiet = true});
    run_done(&R);
}

/* A crash without dump_dir: nothing at all (CPython's test_faulthandler
 * checks a crashed child's stderr). */
Test(postmortem, crash_without_dump_dir_is_silent)
{
    run_and_check("crash_segv", NULL, RUN_NO_DUMP_DIR, RUN_TIMEOUT_MS,
                  (struct expect){.sig = SIGSEGV, .quiet = true});
    cr_assert(R.ndumps == 0, "dumps written without dump_dir\n%s", D(&R));
    run_done(&R);
}

/* report_fatal=1 without dump_dir: a short summary on stderr, no files. */
Test(postmortem, crash_summary_on_stderr)
{
    run_and_check("crash_segv", "report_fatal=1", RUN_NO_DUMP_DIR, RUN_TIMEOUT_MS,
                  (struct expect){.sig = SIGSEGV, .first_line = {"fatal signal SIGSEGV"}});
    cr_assert(R.ndumps == 0, "dumps written without dump_dir\n%s", D(&R));
    cr_assert(strstr(buf_str(&R.err), "\"waiter\": blocked") != NULL && strstr(buf_str(&R.err), "on cond 0x"),
              "the summary does not show the waiter's wait\n%s", D(&R));
    run_done(&R);
}

/* Without dump_dir a SIGTERM ends the program as without the shim: not a
 * word on stderr, no files. */
Test(postmortem, sigterm_without_dump_dir_is_silent)
{
    run_and_check("crash_term", NULL, RUN_NO_DUMP_DIR, RUN_TIMEOUT_MS,
                  (struct expect){.sig = SIGTERM, .quiet = true});
    cr_assert(R.ndumps == 0, "dumps written without dump_dir\n%s", D(&R));
    run_done(&R);
}

/* fatal_dumps=0: the signal does its work, the shim says nothing. */
Test(postmortem, fatal_dumps_off)
{
    run_and_check("crash_term", "fatal_dumps=0", 0, RUN_TIMEOUT_MS,
                  (struct expect){.sig = SIGTERM, .exact = true, .quiet = true});
    cr_assert(R.ndumps == 0, "a dump with fatal_dumps=0\n%s", D(&R));
    run_done(&R);
}

/* The program's handler runs, sees SIG_DFL as the old action, and exits 0. */
Test(postmortem, own_segv_handler)
{
    run_and_check("own_segv_handler", NULL, 0, RUN_TIMEOUT_MS, CLEAN_EXPECT);
    for (int i = 0; i < R.ndumps; i++)
        cr_assert(strcmp(jstr(R.dump[i], "reason"), "signal") != 0, "a signal dump\n%s", D(&R));
    run_done(&R);
}

/* on_deadlock=abort is the shim's own abort: no second (signal) dump. */
Test(postmortem, deadlock_abort_no_signal_dump)
{
    run_and_check("abba", "on_deadlock=abort", 0, RUN_TIMEOUT_MS,
                  ALL_ASLEEP_EXPECT(.sig = SIGABRT, .kinds = {"deadlock", "all-asleep"}));
    for (int i = 0; i < R.ndumps; i++)
        cr_assert(strcmp(jstr(R.dump[i], "reason"), "signal") != 0, "a signal dump\n%s", D(&R));
    run_done(&R);
}

Test(postmortem, shutdown_stall)
{
    run_and_check("shutdown_stall", "shutdown_grace_ms=200", 0, RUN_TIMEOUT_MS,
                  (struct expect){.status = 0, .kinds = {"shutdown-stall"}, .exact = true,
                                  .reason = "shutdown-stall", .first_line = {"shutdown-stall"}});
    cr_assert(count_kind(&R, "shutdown-stall") == 1, "want one shutdown-stall\n%s", D(&R));
    json_t *d = dump_with_reason(&R, "shutdown-stall");
    json_t *f = find_in_dump(d, "shutdown-stall");
    json_t *stuck = thread_named(&R, d, "stuck");
    json_t *m = main_thread(&R, d);
    expect_wait(&R, stuck, "cond");
    expect_join(&R, d, stuck);
    cr_assert(int_array_has(json_object_get(f, "threads"), jint(stuck, "tid")) &&
                  int_array_has(json_object_get(f, "threads"), jint(m, "tid")),
              "the finding does not name main and stuck\n%s", D(&R));
    dump_with_reason(&R, "exit");
    run_done(&R);
}

Test(postmortem, shutdown_clean)
{
    run_and_check("shutdown_clean", "shutdown_grace_ms=1000", 0, RUN_TIMEOUT_MS, CLEAN_EXPECT);
    run_done(&R);
}

Test(postmortem, dump_request)
{
    run_and_check("dump_request", NULL, 0, RUN_TIMEOUT_MS,
                  (struct expect){.status = 0, .exact = true, .reason = "request", .quiet = true});
    json_t *d = dump_with_reason(&R, "request");
    expect_wait(&R, thread_named(&R, d, "waiter"), "cond");
    run_done(&R);
}
