/* SPDX-License-Identifier: MIT */
/* Scenario tests for what the monitor reports while a program runs on:
 * long-wait, periodic (interval) dumps, thread growth. */
#include "harness.h"

/* The long-wait findings of the run, in dump order. */
static int long_waits(struct run *r, json_t **f, json_t **dump, int max)
{
    int n = 0;
    for (int i = 0; i < r->ndumps; i++) {
        size_t k;
        json_t *x;
        json_array_foreach(json_object_get(r->dump[i], "findings"), k, x) {
            if (kind_is(x, "long-wait") && n < max) {
                f[n] = x;
                dump[n++] = r->dump[i];
            }
        }
    }
    return n;
}

static int count_reason(struct run *r, const char *reason)
{
    int n = 0;
    for (int i = 0; i < r->ndumps; i++)
        n += !strcmp(jstr(r->dump[i], "reason"), reason);
    return n;
}

/* The one thread a long-wait finding names, from its dump. */
static json_t *long_wait_thread(struct run *r, json_t *dump, json_t *f)
{
    json_t *ths = json_object_get(f, "threads");
    cr_assert(json_array_size(ths) == 1, "%s: a long-wait names %zu threads, want 1\n%s", r->name,
              json_array_size(ths), D(r));
    json_t *t = thread_of(dump, json_integer_value(json_array_get(ths, 0)));
    cr_assert(t != NULL, "%s: the long-wait thread is not in its dump\n%s", r->name, D(r));
    return t;
}

Test(scenario, long_wait_program_runs_on)
{
    /* two waits of one thread, each reported once (the first stays blocked
     * for three more periodic dumps), and the program ends normally */
    run_and_check("long_wait", "long_wait_ms=300:interval_ms=100", 0, RUN_TIMEOUT_MS,
                  (struct expect){.status = 0, .kinds = {"long-wait"}, .exact = true, .reason = "exit",
                                  .first_line = {"long-wait"}});
    json_t *f[4], *dump[4];
    int n = long_waits(&R, f, dump, 4);
    cr_assert(n == 2, "%s: %d long-wait findings, want 2 (one per wait)\n%s", R.name, n, D(&R));
    cr_assert(count_reason(&R, "long-wait") == 2, "want two long-wait dumps\n%s", D(&R));

    json_t *t = long_wait_thread(&R, dump[0], f[0]);
    cr_assert(!strcmp(jstr(t, "name"), "waiter"), "the first long-wait is not the waiter's\n%s", D(&R));
    json_t *w = expect_wait(&R, t, "mutex");
    cr_assert(jint(w, "since_ms") >= 300, "reported after %lld ms, want >= 300\n%s", (long long)jint(w, "since_ms"),
              D(&R));
    json_int_t main_tid = jint(main_thread(&R, dump[0]), "tid");
    cr_assert(int_array_has(json_object_get(w, "owners"), main_tid), "the mutex's owner (main) is not named\n%s",
              D(&R));
    char who[64];
    snprintf(who, sizeof who, "held by thread %lld", (long long)main_tid);
    cr_assert(strstr(jstr(f[0], "message"), who) != NULL, "the message does not say who could end it (%s)\n%s", who,
              D(&R));
    cr_assert(!strcmp(jstr(main_thread(&R, dump[0]), "state"), "running"), "main is running, not %s\n%s",
              jstr(main_thread(&R, dump[0]), "state"), D(&R));

    json_t *t2 = long_wait_thread(&R, dump[1], f[1]);
    cr_assert(jint(t2, "tid") == jint(t, "tid"), "the second long-wait is not the waiter's\n%s", D(&R));
    expect_wait(&R, t2, "cond");
    cr_assert(strstr(jstr(f[1], "message"), "signals") != NULL, "the cond's long-wait does not say who ends it\n%s",
              D(&R));
    run_done(&R);
}

Test(scenario, long_wait_not_for_timed_waits)
{
    /* timed_waits: main spends 2.7 s in timed waits (each longer than
     * long_wait_ms) while "holder" waits untimed on a barrier all along:
     * only the holder's wait is a long-wait, once */
    run_and_check("timed_waits", "long_wait_ms=200", 0, RUN_TIMEOUT_MS,
                  (struct expect){.status = 0, .kinds = {"long-wait"}, .exact = true, .reason = "exit"});
    json_t *f[4], *dump[4];
    int n = long_waits(&R, f, dump, 4);
    cr_assert(n == 1, "%s: %d long-wait findings, want 1 (the holder's)\n%s", R.name, n, D(&R));
    json_t *t = long_wait_thread(&R, dump[0], f[0]);
    cr_assert(!strcmp(jstr(t, "name"), "holder"), "a timed wait was reported as long-wait\n%s", D(&R));
    expect_wait(&R, t, "barrier");
    run_done(&R);
}

Test(scenario, interval_dumps_without_threads)
{
    /* interval_single makes no thread: the monitor still writes periodic
     * dumps when asked, and the exit dump is the last word */
    run_and_check("interval_single", "interval_ms=100:interval_keep=100", 0, RUN_TIMEOUT_MS, CLEAN_EXPECT);
    cr_assert(count_reason(&R, "interval") >= 3, "want 3 periodic dumps\n%s", D(&R));
    long last_seq = -1, exit_seq = -1;
    for (int i = 0; i < R.ndumps; i++) {
        long seq = (long)json_integer_value(json_object_get(R.dump[i], "seq"));
        if (seq > last_seq)
            last_seq = seq;
        if (!strcmp(jstr(R.dump[i], "reason"), "exit"))
            exit_seq = seq;
    }
    cr_assert(exit_seq >= 0 && exit_seq == last_seq, "the exit dump (seq %ld) is not the last (seq %ld)\n%s",
              exit_seq, last_seq, D(&R));
    run_done(&R);
}

Test(scenario, long_wait_not_for_short_waits)
{
    /* the 14 threads of thread_growth wait (untimed) for two periodic dumps,
     * well under long_wait_ms; no max_threads breached either */
    run_and_check("thread_growth", "long_wait_ms=5000:interval_ms=100:max_threads=64", 0, RUN_TIMEOUT_MS,
                  CLEAN_EXPECT);
    cr_assert(count_reason(&R, "interval") >= 2, "want periodic dumps\n%s", D(&R));
    run_done(&R);
}

Test(scenario, long_wait_off)
{
    run_and_check("timed_waits", "long_wait_ms=0", 0, RUN_TIMEOUT_MS, CLEAN_EXPECT);
    run_done(&R);
}

static json_t *dump_with_seq(struct run *r, long seq)
{
    for (int i = 0; i < r->ndumps; i++)
        if (jint(r->dump[i], "pid") == r->pid && jint(r->dump[i], "seq") == seq)
            return r->dump[i];
    cr_assert_fail("%s: no dump with seq %ld\n%s", r->name, seq, D(r));
    return NULL;
}

/* The dump's sites, checked against thread_growth's shape: 12 workers at one
 * site, 2 others at another, all blocked on a cond, and main. */
static void check_growth_sites(struct run *r, json_t *dump)
{
    json_t *sites = json_object_get(dump, "sites");
    cr_assert(json_array_size(sites) == 3, "%s: %zu sites, want 3\n%s", r->name, json_array_size(sites), D(r));
    static const struct {
        long count;
        const char *state, *name;
    } want[] = {{12, "blocked", "worker"}, {2, "blocked", "other"}, {1, "running", NULL}};
    for (size_t i = 0; i < 3; i++) {
        json_t *s = json_array_get(sites, i);
        json_t *ths = json_object_get(s, "threads");
        cr_assert(jint(s, "count") == want[i].count && (long)json_array_size(ths) == want[i].count,
                  "%s: site %zu has %lld threads, want %ld\n%s", r->name, i, (long long)jint(s, "count"),
                  want[i].count, D(r));
        cr_assert(!strcmp(jstr(s, "state"), want[i].state), "%s: site %zu is %s\n%s", r->name, i, jstr(s, "state"),
                  D(r));
        size_t k;
        json_t *x;
        json_array_foreach(ths, k, x) {
            json_t *t = thread_of(dump, json_integer_value(x));
            cr_assert(t != NULL, "%s: site thread not in the dump\n%s", r->name, D(r));
            if (want[i].name)
                cr_assert(!strcmp(jstr(t, "name"), want[i].name), "%s: site %zu holds \"%s\"\n%s", r->name, i,
                          jstr(t, "name"), D(r));
            else
                cr_assert(json_is_true(json_object_get(t, "main")), "%s: the last site is not main's\n%s", r->name,
                          D(r));
        }
        if (want[i].name) {
            cr_assert(!strcmp(jstr(s, "wait_kind"), "cond"), "%s: site %zu waits on %s\n%s", r->name, i,
                      jstr(s, "wait_kind"), D(r));
            cr_assert(json_array_size(json_object_get(s, "created_at")) > 0 &&
                          json_array_size(json_object_get(s, "waits_at")) > 0,
                      "%s: site %zu lacks its stacks\n%s", r->name, i, D(r));
        }
    }
    cr_assert(jint(dump, "live_threads") == 15 && jint(dump, "peak_threads") == 15,
              "%s: live %lld peak %lld, want 15 and 15\n%s", r->name, (long long)jint(dump, "live_threads"),
              (long long)jint(dump, "peak_threads"), D(r));
}

Test(scenario, thread_growth_finding)
{
    run_and_check("thread_growth", "interval_ms=100:interval_keep=100:max_threads=8", 0, RUN_TIMEOUT_MS,
                  (struct expect){.status = 0, .kinds = {"thread-growth"}, .exact = true, .reason = "exit",
                                  .first_line = {"thread-growth"}});
    /* 15 live threads pass 8 once; the next report would need more than 16 */
    cr_assert(count_kind(&R, "thread-growth") == 1, "thread-growth reported %d times, want once\n%s",
              count_kind(&R, "thread-growth"), D(&R));
    json_t *dump = NULL;
    json_t *f = find_finding(&R, "thread-growth", &dump);
    cr_assert(!strcmp(jstr(dump, "reason"), "thread-growth"), "in a dump with reason %s\n%s", jstr(dump, "reason"),
              D(&R));
    cr_assert(strstr(jstr(f, "message"), "max_threads=8") != NULL, "the message does not name the limit\n%s", D(&R));
    /* it names the largest group of its own dump, whatever the threads were
     * doing when the limit was passed */
    json_t *top = json_object_get(json_array_get(json_object_get(dump, "sites"), 0), "threads");
    json_t *named = json_object_get(f, "threads");
    cr_assert(json_array_size(named) > 0 && json_equal(named, top),
              "the finding does not name the dump's largest site\n%s", D(&R));
    /* the periodic dump main waited for sees every thread in place */
    check_growth_sites(&R, dump_with_seq(&R, note(&R, "all_waiting_seq")));
    json_t *exit_dump = dump_with_reason(&R, "exit");
    cr_assert(jint(exit_dump, "peak_threads") == 15 && jint(exit_dump, "live_threads") == 1,
              "exit dump: live %lld peak %lld, want 1 and 15\n%s", (long long)jint(exit_dump, "live_threads"),
              (long long)jint(exit_dump, "peak_threads"), D(&R));
    run_done(&R);
}

Test(scenario, thread_growth_under_limit)
{
    run_and_check("thread_growth", "interval_ms=100:interval_keep=100:max_threads=15", 0, RUN_TIMEOUT_MS,
                  CLEAN_EXPECT);
    check_growth_sites(&R, dump_with_seq(&R, note(&R, "all_waiting_seq")));
    run_done(&R);
}

static long dump_seq(struct run *r, int i)
{
    return (long)jint(r->dump[i], "seq");
}

Test(scenario, interval_dumps_survive_sigkill)
{
    /* the process dies by SIGKILL after six periodic dumps: the last ones
     * are on disk, valid (schema-checked by the harness), at most
     * interval_keep=3 of them, the oldest deleted; nothing on stderr */
    run_and_check("interval_killed", "interval_ms=100:interval_keep=3", RUN_KILLED_TMP_OK, RUN_TIMEOUT_MS,
                  (struct expect){.sig = SIGKILL, .exact = true, .quiet = true});
    cr_assert(R.ndumps >= 1 && R.ndumps <= 3, "%d dumps left, want 1..3 (interval_keep=3)\n%s", R.ndumps, D(&R));
    cr_assert(count_reason(&R, "interval") == R.ndumps, "a dump that is not periodic\n%s", D(&R));
    long last = dump_seq(&R, R.ndumps - 1);
    cr_assert(last >= 5, "the last dump left is seq %ld; main saw six written\n%s", last, D(&R));
    for (int i = 0; i < R.ndumps; i++)
        cr_assert(dump_seq(&R, i) > last - 3, "an old periodic dump (seq %ld) was kept\n%s", dump_seq(&R, i), D(&R));
    json_t *d = R.dump[R.ndumps - 1];
    cr_assert(json_array_size(json_object_get(d, "findings")) == 0, "a periodic dump with findings\n%s", D(&R));
    json_t *s0 = json_array_get(json_object_get(d, "sites"), 0);
    cr_assert(jint(s0, "count") == 3 && !strcmp(jstr(s0, "wait_kind"), "cond"),
              "the last state does not show the 3 workers on their cond\n%s", D(&R));
    run_done(&R);
}

Test(scenario, interval_off_by_default)
{
    run_and_check("clean_counters", NULL, 0, RUN_TIMEOUT_MS, CLEAN_EXPECT);
    cr_assert(count_reason(&R, "interval") == 0, "periodic dumps without interval_ms\n%s", D(&R));
    run_done(&R);
}
