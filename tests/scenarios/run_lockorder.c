/* SPDX-License-Identifier: MIT */
/* Lock-order-inversion scenarios (lo_*.c): each reported case next to its
 * unreported mirror.  The programs never hang and exit 0; a reported one
 * gets exactly one lock-order-inversion finding and no other finding.
 *
 * The programs note their locks' addresses and their threads' ids in
 * NAME.notes (lo_common.h); the checks compare the finding's objects, edges
 * and threads with those. */
#define _GNU_SOURCE
#include "harness.h"

#define LO_KIND "lock-order-inversion"

TestSuite(lockorder, .timeout = 60);

/* A reported run: status 0, one finding of LO_KIND, nothing else. */
#define LO_REPORTED                                                                                                   \
    ((struct expect){.status = 0, .kinds = {LO_KIND}, .exact = true, .reason = "exit",                              \
                     .first_line = {"lock order", "lock-order"}})

/* "0x..." as the dump writes addresses; 0 when it is not one */
static unsigned long addr_of(json_t *s)
{
    const char *v = json_string_value(s);
    if (!v || strncmp(v, "0x", 2) != 0)
        return 0;
    char *end;
    unsigned long a = strtoul(v + 2, &end, 16);
    return *end == '\0' ? a : 0;
}

static unsigned long noted_lock(const char *key)
{
    return (unsigned long)note(&R, key);
}

static json_int_t noted_tid(const char *thread)
{
    char key[64];
    snprintf(key, sizeof key, "tid_%s", thread);
    return note(&R, key);
}

static bool is_lo_lock_kind(const char *k)
{
    return !strcmp(k, "mutex") || !strcmp(k, "rwlock-read") || !strcmp(k, "rwlock-write") || !strcmp(k, "spin");
}

/* Does a frame of `stack` name function `fn` ("fn" or "fn+0x...")? */
static bool stack_has(json_t *stack, const char *fn)
{
    size_t k, n = strlen(fn);
    json_t *fr;
    json_array_foreach(stack, k, fr) {
        const char *f = jstr(fr, "function");
        if (!strncmp(f, fn, n) && (f[n] == '\0' || f[n] == '+'))
            return true;
    }
    return false;
}

static void check_stack(json_t *edge, const char *field)
{
    json_t *st = json_object_get(edge, field);
    cr_assert(json_array_size(st) > 0, "%s: edge of thread %lld has no %s\n%s", R.name,
              (long long)jint(edge, "tid"), field, D(&R));
    size_t k;
    json_t *fr;
    json_array_foreach(st, k, fr)
        cr_assert(addr_of(json_object_get(fr, "addr")) != 0, "%s: %s frame %zu has no address\n%s", R.name, field,
                  k, D(&R));
}

/* A LO_KIND finding, checked for consistency: `n` edges
 * and `n` distinct objects; edge i's acquired lock is edge i+1's held one
 * (it is a cycle); the objects are the edges' held locks; `threads` are
 * exactly the edges' tids; kinds are lock kinds; both stacks are there. */
static void check_inversion(json_t *f, size_t n)
{
    json_t *objs = json_object_get(f, "objects"), *order = json_object_get(f, "order");
    json_t *ths = json_object_get(f, "threads");
    cr_assert(json_array_size(objs) == n, "%s: %zu objects, want %zu\n%s", R.name, json_array_size(objs), n, D(&R));
    cr_assert(json_array_size(order) == n, "%s: %zu edges, want %zu\n%s", R.name, json_array_size(order), n, D(&R));
    char count[32];
    snprintf(count, sizeof count, "(%zu locks", n);
    cr_assert(strstr(jstr(f, "message"), count) != NULL, "%s: message \"%s\" lacks \"%s\"\n%s", R.name,
              jstr(f, "message"), count, D(&R));
    for (size_t i = 0; i < n; i++) {
        unsigned long o = addr_of(json_array_get(objs, i));
        cr_assert(o != 0, "%s: object %zu is not an address\n%s", R.name, i, D(&R));
        /* a short cycle is spelled out in full in the message */
        cr_assert(n > 8 || strstr(jstr(f, "message"), json_string_value(json_array_get(objs, i))) != NULL,
                  "%s: the message does not name %s\n%s", R.name, json_string_value(json_array_get(objs, i)), D(&R));
        for (size_t j = 0; j < i; j++)
            cr_assert(addr_of(json_array_get(objs, j)) != o, "%s: object %#lx twice in the cycle\n%s", R.name, o,
                      D(&R));
        json_t *e = json_array_get(order, i), *next = json_array_get(order, (i + 1) % n);
        unsigned long held = addr_of(json_object_get(e, "held")), acq = addr_of(json_object_get(e, "acquired"));
        cr_assert(held && acq && held != acq, "%s: edge %zu: held %#lx acquired %#lx\n%s", R.name, i, held, acq,
                  D(&R));
        cr_assert(acq == addr_of(json_object_get(next, "held")),
                  "%s: edge %zu acquires %#lx but the next edge holds %s: not a cycle\n%s", R.name, i, acq,
                  jstr(next, "held"), D(&R));
        bool listed = false;
        for (size_t j = 0; j < n; j++)
            listed |= addr_of(json_array_get(objs, j)) == held;
        cr_assert(listed, "%s: edge %zu's held lock %#lx is not among the objects\n%s", R.name, i, held, D(&R));
        cr_assert(is_lo_lock_kind(jstr(e, "held_kind")) && is_lo_lock_kind(jstr(e, "acquired_kind")),
                  "%s: edge %zu kinds \"%s\" -> \"%s\"\n%s", R.name, i, jstr(e, "held_kind"),
                  jstr(e, "acquired_kind"), D(&R));
        cr_assert(int_array_has(ths, jint(e, "tid")), "%s: edge %zu's thread %lld not in threads\n%s", R.name, i,
                  (long long)jint(e, "tid"), D(&R));
        cr_assert(json_is_array(json_object_get(e, "gates")), "%s: edge %zu has no gates array\n%s", R.name, i,
                  D(&R));
        check_stack(e, "held_stack");
        check_stack(e, "acquire_stack");
    }
    size_t k;
    json_t *t;
    json_array_foreach(ths, k, t) {
        bool has_edge = false;
        for (size_t i = 0; i < n; i++)
            has_edge |= jint(json_array_get(order, i), "tid") == json_integer_value(t);
        cr_assert(has_edge, "%s: thread %lld named but owns no edge\n%s", R.name, (long long)json_integer_value(t),
                  D(&R));
        for (size_t j = 0; j < k; j++)
            cr_assert(json_integer_value(json_array_get(ths, j)) != json_integer_value(t),
                      "%s: thread %lld twice in threads\n%s", R.name, (long long)json_integer_value(t), D(&R));
    }
}

/* The run's one and only LO_KIND finding, with `n` edges (check_inversion). */
static json_t *the_inversion(size_t n)
{
    cr_assert(count_kind(&R, LO_KIND) == 1, "%s: %d %s findings, want exactly 1\n%s", R.name,
              count_kind(&R, LO_KIND), LO_KIND, D(&R));
    json_t *f = find_finding(&R, LO_KIND, NULL);
    check_inversion(f, n);
    return f;
}

/* The cycle's objects are exactly the locks noted under `keys`. */
static void expect_objects(json_t *f, const char *const *keys, size_t n)
{
    json_t *objs = json_object_get(f, "objects");
    for (size_t i = 0; i < n; i++) {
        unsigned long want = noted_lock(keys[i]);
        bool found = false;
        for (size_t j = 0; j < json_array_size(objs); j++)
            found |= addr_of(json_array_get(objs, j)) == want;
        cr_assert(found, "%s: lock %s (%#lx) is not in the cycle\n%s", R.name, keys[i], want, D(&R));
    }
}

/* The finding names exactly the threads `names` (noted by the program). */
static void expect_threads(json_t *f, const char *const *names, size_t n)
{
    json_t *ths = json_object_get(f, "threads");
    cr_assert(json_array_size(ths) == n, "%s: %zu threads, want %zu\n%s", R.name, json_array_size(ths), n, D(&R));
    for (size_t i = 0; i < n; i++)
        cr_assert(int_array_has(ths, noted_tid(names[i])), "%s: thread %s (%lld) not in the finding\n%s", R.name,
                  names[i], (long long)noted_tid(names[i]), D(&R));
}

/* The edge of thread `thread`: it held lock `held` (kind `hk`) and then
 * acquired `acquired` (kind `ak`); `fn`, when given, is in both stacks. */
static json_t *expect_edge(json_t *f, const char *thread, const char *held, const char *hk, const char *acquired,
                           const char *ak, const char *fn)
{
    json_int_t tid = noted_tid(thread);
    json_t *order = json_object_get(f, "order"), *e, *found = NULL;
    size_t k;
    json_array_foreach(order, k, e)
        if (jint(e, "tid") == tid) {
            cr_assert(found == NULL, "%s: two edges of thread %s\n%s", R.name, thread, D(&R));
            found = e;
        }
    cr_assert(found != NULL, "%s: no edge of thread %s (%lld)\n%s", R.name, thread, (long long)tid, D(&R));
    /* the programs name each thread as they note it */
    cr_assert(!json_object_get(found, "thread") || !strcmp(jstr(found, "thread"), thread),
              "%s: edge of %s names thread \"%s\"\n%s", R.name, thread, jstr(found, "thread"), D(&R));
    cr_assert(addr_of(json_object_get(found, "held")) == noted_lock(held) &&
                  addr_of(json_object_get(found, "acquired")) == noted_lock(acquired),
              "%s: thread %s's edge is %s -> %s, want %s (%#lx) -> %s (%#lx)\n%s", R.name, thread,
              jstr(found, "held"), jstr(found, "acquired"), held, noted_lock(held), acquired, noted_lock(acquired),
              D(&R));
    cr_assert(!strcmp(jstr(found, "held_kind"), hk) && !strcmp(jstr(found, "acquired_kind"), ak),
              "%s: thread %s's edge kinds %s -> %s, want %s -> %s\n%s", R.name, thread, jstr(found, "held_kind"),
              jstr(found, "acquired_kind"), hk, ak, D(&R));
    if (fn) {
        cr_assert(stack_has(json_object_get(found, "held_stack"), fn), "%s: %s not in thread %s's held_stack\n%s",
                  R.name, fn, thread, D(&R));
        cr_assert(stack_has(json_object_get(found, "acquire_stack"), fn),
                  "%s: %s not in thread %s's acquire_stack\n%s", R.name, fn, thread, D(&R));
    }
    return found;
}

/* The edge's gates are exactly the locks noted under `keys` (n of them). */
static void expect_gates(json_t *edge, const char *const *keys, size_t n)
{
    json_t *g = json_object_get(edge, "gates");
    cr_assert(json_array_size(g) == n, "%s: thread %lld's edge has %zu gates, want %zu\n%s", R.name,
              (long long)jint(edge, "tid"), json_array_size(g), n, D(&R));
    for (size_t i = 0; i < n; i++) {
        bool found = false;
        for (size_t j = 0; j < n; j++)
            found |= addr_of(json_array_get(g, j)) == noted_lock(keys[i]);
        cr_assert(found, "%s: gate %s missing\n%s", R.name, keys[i], D(&R));
    }
}

/* A two-lock, two-thread inversion: t1 took x then y, t2 y then x. */
static json_t *abba(const char *x, const char *y, const char *kind)
{
    json_t *f = the_inversion(2);
    expect_objects(f, (const char *[]){x, y}, 2);
    expect_threads(f, (const char *[]){"t1", "t2"}, 2);
    expect_edge(f, "t1", x, kind, y, kind, NULL);
    expect_edge(f, "t2", y, kind, x, kind, NULL);
    return f;
}

static void reported(const char *name)
{
    run_and_check(name, NULL, 0, RUN_TIMEOUT_MS, LO_REPORTED);
}

#define NOT_REPORTED(prog)                                                                                            \
    Test(lockorder, prog)                                                                                             \
    {                                                                                                                 \
        run_and_check(#prog, NULL, 0, RUN_TIMEOUT_MS, CLEAN_EXPECT);                                                  \
        run_done(&R);                                                                                                 \
    }

/* 1 (and 3's mirror): threads that never overlap in time */
Test(lockorder, lo_abba_sequential)
{
    reported("lo_abba_sequential");
    json_t *f = the_inversion(2);
    expect_objects(f, (const char *[]){"A", "B"}, 2);
    expect_threads(f, (const char *[]){"t1", "t2"}, 2);
    expect_gates(expect_edge(f, "t1", "A", "mutex", "B", "mutex", "lo_take_a_then_b"), NULL, 0);
    expect_gates(expect_edge(f, "t2", "B", "mutex", "A", "mutex", "lo_take_b_then_a"), NULL, 0);
    run_done(&R);
}

Test(lockorder, lo_abba_sequential_off)
{
    run_and_check("lo_abba_sequential", "lock_order=0", 0, RUN_TIMEOUT_MS, CLEAN_EXPECT);
    run_done(&R);
}

/* 2: a try-lock never blocks; a blocking lock after a try-lock does */
NOT_REPORTED(lo_trylock_backoff)

Test(lockorder, lo_trylock_then_lock)
{
    reported("lo_trylock_then_lock");
    abba("A", "B", "mutex");
    run_done(&R);
}

/* 3: a finite timed lock never blocks forever */
NOT_REPORTED(lo_timedlock)

/* 4: a common gate serializes the orders; one order without it does not */
NOT_REPORTED(lo_gate)

Test(lockorder, lo_gate_missing)
{
    reported("lo_gate_missing");
    json_t *f = abba("A", "B", "mutex");
    expect_gates(expect_edge(f, "t1", "A", "mutex", "B", "mutex", NULL), (const char *[]){"G"}, 1);
    expect_gates(expect_edge(f, "t2", "B", "mutex", "A", "mutex", NULL), NULL, 0);
    run_done(&R);
}

/* A gate shared with one of two contexts of A -> B does not guard the other */
Test(lockorder, lo_gate_sums)
{
    reported("lo_gate_sums");
    json_t *f = abba("A", "B", "mutex");
    expect_gates(expect_edge(f, "t1", "A", "mutex", "B", "mutex", NULL), NULL, 0);
    expect_gates(expect_edge(f, "t2", "B", "mutex", "A", "mutex", NULL), (const char *[]){"G1"}, 1);
    run_done(&R);
}

/* 5: readers do not block readers; writers do */
NOT_REPORTED(lo_rwlock_readers)
NOT_REPORTED(lo_rwlock_one_writer)

Test(lockorder, lo_rwlock_writer)
{
    reported("lo_rwlock_writer");
    json_t *f = the_inversion(2);
    expect_objects(f, (const char *[]){"R1", "R2"}, 2);
    expect_threads(f, (const char *[]){"t1", "t2"}, 2);
    expect_edge(f, "t1", "R1", "rwlock-read", "R2", "rwlock-read", NULL);
    expect_edge(f, "t2", "R2", "rwlock-write", "R1", "rwlock-write", NULL);
    run_done(&R);
}

/* 6: relocking an owned recursive mutex never blocks */
NOT_REPORTED(lo_recursive_relock)

Test(lockorder, lo_recursive_mirror)
{
    reported("lo_recursive_mirror");
    abba("R", "A", "mutex");
    run_done(&R);
}

/* 7: a new lock at an old lock's address is another lock */
NOT_REPORTED(lo_reuse_destroy)
NOT_REPORTED(lo_reuse_nodestroy)
NOT_REPORTED(lo_reuse_stack)

Test(lockorder, lo_reuse_same)
{
    reported("lo_reuse_same");
    abba("G", "obj", "mutex");
    run_done(&R);
}

/* 8: one cycle through 25 locks */
Test(lockorder, lo_ring25)
{
    reported("lo_ring25");
    json_t *f = the_inversion(25);
    const char *locks[25], *threads[25];
    char lname[25][8], tname[25][8];
    for (int i = 0; i < 25; i++) {
        snprintf(lname[i], sizeof lname[i], "L%d", i);
        snprintf(tname[i], sizeof tname[i], "r%d", i);
        locks[i] = lname[i];
        threads[i] = tname[i];
    }
    expect_objects(f, locks, 25);
    expect_threads(f, threads, 25);
    for (int i = 0; i < 25; i++)
        expect_edge(f, threads[i], locks[i], "mutex", locks[(i + 1) % 25], "mutex", NULL);
    run_done(&R);
}

/* 9: the philosophers never deadlock (4 seats) but their orders could */
Test(lockorder, lo_philosophers)
{
    reported("lo_philosophers");
    json_t *f = the_inversion(5);
    const char *forks[] = {"fork0", "fork1", "fork2", "fork3", "fork4"};
    const char *phils[] = {"phil0", "phil1", "phil2", "phil3", "phil4"};
    expect_objects(f, forks, 5);
    expect_threads(f, phils, 5);
    for (int i = 0; i < 5; i++)
        expect_edge(f, phils[i], forks[i], "mutex", forks[(i + 1) % 5], "mutex", NULL);
    run_done(&R);
}

/* 10: one wrong order among 20000 right ones.  The forward edge lo -> hi
 * exists when the wrong one comes, so the shortest cycle is those two: the
 * wrong edge (teller0's) and the right one (any teller's). */
Test(lockorder, lo_bank)
{
    reported("lo_bank");
    json_t *f = the_inversion(2);
    expect_objects(f, (const char *[]){"hi", "lo"}, 2);
    json_t *order = json_object_get(f, "order"), *e;
    size_t k;
    bool wrong = false, right = false;
    json_array_foreach(order, k, e) {
        unsigned long held = addr_of(json_object_get(e, "held")), acq = addr_of(json_object_get(e, "acquired"));
        if (held == noted_lock("hi") && acq == noted_lock("lo")) {
            wrong = true;
            cr_assert(jint(e, "tid") == noted_tid("teller0"), "lo_bank: the wrong order is not teller0's\n%s",
                      D(&R));
        }
        right |= held == noted_lock("lo") && acq == noted_lock("hi");
    }
    cr_assert(wrong && right, "lo_bank: want the edges hi -> lo and lo -> hi\n%s", D(&R));
    run_done(&R);
}

/* ------------------------------------------------------------------------ */
/* beyond the ten rules: gates that are no gates, gates that shrink, the
 * held set after out-of-order unlocks, rwlock try/timed forms, writer-
 * preferring rwlocks, C11 mutexes, two cycles, a bad option value */

Test(lockorder, lo_gate_read)
{
    reported("lo_gate_read");
    json_t *f = abba("A", "B", "mutex");
    /* a read hold excludes nobody: it is no gate */
    expect_gates(expect_edge(f, "t1", "A", "mutex", "B", "mutex", NULL), NULL, 0);
    expect_gates(expect_edge(f, "t2", "B", "mutex", "A", "mutex", NULL), NULL, 0);
    run_done(&R);
}

NOT_REPORTED(lo_gate_write)

Test(lockorder, lo_gate_shrinks)
{
    reported("lo_gate_shrinks");
    json_t *f = the_inversion(2);
    expect_objects(f, (const char *[]){"A", "B"}, 2);
    /* A -> B was first seen by t1 (under G), its gates are now none */
    expect_gates(expect_edge(f, "t1", "A", "mutex", "B", "mutex", NULL), NULL, 0);
    expect_gates(expect_edge(f, "t2", "B", "mutex", "A", "mutex", NULL), (const char *[]){"G"}, 1);
    run_done(&R);
}

Test(lockorder, lo_gate_unlock_below)
{
    reported("lo_gate_unlock_below");
    json_t *f = the_inversion(2);
    expect_objects(f, (const char *[]){"A", "B"}, 2);
    /* t1's A -> B, first under G, then without it: its gates are none */
    expect_gates(expect_edge(f, "t1", "A", "mutex", "B", "mutex", NULL), NULL, 0);
    expect_gates(expect_edge(f, "t2", "B", "mutex", "A", "mutex", NULL), (const char *[]){"G"}, 1);
    run_done(&R);
}

NOT_REPORTED(lo_unlock_out_of_order)
NOT_REPORTED(lo_rwlock_try_timed)

Test(lockorder, lo_rwlock_writer_pref)
{
    reported("lo_rwlock_writer_pref");
    json_t *f = the_inversion(2);
    expect_objects(f, (const char *[]){"R1", "R2"}, 2);
    expect_threads(f, (const char *[]){"t1", "t2"}, 2);
    expect_edge(f, "t1", "R1", "rwlock-read", "R2", "rwlock-read", NULL);
    expect_edge(f, "t2", "R2", "rwlock-read", "R1", "rwlock-read", NULL);
    run_done(&R);
}

/* Two inversions on different locks (A/B by t1/t2, C/D by t3/t4), but made
 * by the same lines of code: one bug, so one finding, counting two cycles
 * and naming the lock pairs of both. */
Test(lockorder, lo_two_cycles)
{
    run_and_check("lo_two_cycles", NULL, 0, RUN_TIMEOUT_MS, LO_REPORTED);
    cr_assert(count_kind(&R, LO_KIND) == 1, "lo_two_cycles: %d findings, want 1\n%s", count_kind(&R, LO_KIND),
              D(&R));
    json_t *f = the_inversion(2);
    cr_assert(jint(f, "cycles") == 2, "lo_two_cycles: cycles %lld, want 2\n%s", (long long)jint(f, "cycles"), D(&R));
    bool seen[4] = {false};
    const char *names[4] = {"A", "B", "C", "D"};
    size_t k;
    json_t *p;
    json_array_foreach(json_object_get(f, "pairs"), k, p)
        for (int i = 0; i < 4; i++)
            seen[i] |= addr_of(json_array_get(p, 0)) == noted_lock(names[i]);
    cr_assert(seen[0] && seen[1] && seen[2] && seen[3], "lo_two_cycles: the pairs do not name A, B, C and D\n%s",
              D(&R));
    run_done(&R);
}

Test(lockorder, lo_c11)
{
    reported("lo_c11");
    abba("A", "B", "mutex");
    run_done(&R);
}

NOT_REPORTED(lo_c11_timed)

/* spinlocks take part too; a spinlock destroyed and made anew is a new lock */
Test(lockorder, lo_spin_abba)
{
    reported("lo_spin_abba");
    abba("A", "B", "spin");
    run_done(&R);
}

NOT_REPORTED(lo_spin_reinit)

Test(lockorder, opt_lock_order_bad_value)
{
    /* one line naming the option; the default (on) is kept */
    run_and_check("lo_abba_sequential", "lock_order=maybe", 0, RUN_TIMEOUT_MS,
                  (struct expect){.status = 0, .kinds = {LO_KIND}, .exact = true, .reason = "exit",
                                  .first_line = {"lock_order"}});
    the_inversion(2);
    run_done(&R);
}

Test(lockorder, lo_cond_relock)
{
    reported("lo_cond_relock");
    json_t *f = the_inversion(2);
    expect_objects(f, (const char *[]){"M", "X"}, 2);
    expect_threads(f, (const char *[]){"t1", "t2"}, 2);
    expect_edge(f, "t1", "X", "mutex", "M", "mutex", NULL);
    expect_edge(f, "t2", "M", "mutex", "X", "mutex", NULL);
    run_done(&R);
}

Test(lockorder, opt_on_deadlock_abort)
{
    /* an inversion is no hang: on_deadlock=abort does not apply */
    run_and_check("lo_abba_sequential", "on_deadlock=abort", 0, RUN_TIMEOUT_MS, LO_REPORTED);
    the_inversion(2);
    run_done(&R);
}

Test(lockorder, lo_gate_late)
{
    reported("lo_gate_late");
    int n = 0;
    for (int i = 0; i < R.ndumps; i++) {
        size_t k;
        json_t *f;
        json_array_foreach(json_object_get(R.dump[i], "findings"), k, f) {
            if (kind_is(f, LO_KIND)) {
                check_inversion(f, json_array_size(json_object_get(f, "order")));
                cr_assert(json_array_size(json_object_get(f, "order")) >= 2, "lo_gate_late: a 1-edge cycle\n%s",
                          D(&R));
                n++;
            }
        }
    }
    cr_assert(n >= 1 && n <= 3, "lo_gate_late: %d findings, want 1 to 3\n%s", n, D(&R));
    run_done(&R);
}

NOT_REPORTED(lo_graph_full)

/* The cap, when one is set that low: one line on stderr, the count in the
 * dump, the program untouched. */
Test(lockorder, lo_graph_cap)
{
    run_and_check("lo_graph_full", "lock_order_max_edges=1024", 0, RUN_TIMEOUT_MS,
                  (struct expect){.status = 0, .exact = true, .reason = "exit", .first_line = {"graph is full"}});
    cr_assert(strstr(buf_str(&R.err), "\n") == strrchr(buf_str(&R.err), '\n'), "more than one line\n%s", D(&R));
    json_t *lo = json_object_get(dump_with_reason(&R, "exit"), "lock_order");
    /* (the program destroys its locks before exit: their edges go too) */
    cr_assert(jint(lo, "edges") <= 1024 && jint(lo, "dropped") > 0, "lock_order: edges %lld dropped %lld\n%s",
              (long long)jint(lo, "edges"), (long long)jint(lo, "dropped"), D(&R));
    run_done(&R);
}

/* No ceiling: an inversion after 20,000 other locks (10,000 edges). */
Test(lockorder, lo_after_many)
{
    reported("lo_after_many");
    abba("A", "B", "mutex");
    json_t *lo = json_object_get(dump_with_reason(&R, "exit"), "lock_order");
    cr_assert(jint(lo, "edges") >= 10002 && jint(lo, "dropped") == 0, "lock_order: edges %lld dropped %lld\n%s",
              (long long)jint(lo, "edges"), (long long)jint(lo, "dropped"), D(&R));
    run_done(&R);
}

/* A random walk of locks, try-locks, relocks and out-of-order unlocks: the
 * graph holds exactly the edges the program's own model counted. */
Test(lockorder, lo_held_random)
{
    reported("lo_held_random");
    json_t *lo = json_object_get(dump_with_reason(&R, "exit"), "lock_order");
    long want = note(&R, "edges");
    cr_assert(want > 20 && jint(lo, "edges") == want && jint(lo, "dropped") == 0,
              "lock_order: edges %lld, the model's %ld; dropped %lld\n%s", (long long)jint(lo, "edges"), want,
              (long long)jint(lo, "dropped"), D(&R));
    run_done(&R);
}

/* 45 locks in rotated orders: hundreds of cycles, one bug, one finding and
 * one dump for it. */
Test(lockorder, lo_rotation)
{
    reported("lo_rotation");
    json_t *f = find_finding(&R, LO_KIND, NULL);
    cr_assert(count_kind(&R, LO_KIND) == 1, "lo_rotation: %d findings\n%s", count_kind(&R, LO_KIND), D(&R));
    cr_assert(jint(f, "cycles") > 40, "lo_rotation: the finding counts %lld cycles\n%s", (long long)jint(f, "cycles"),
              D(&R));
    int lo_dumps = 0;
    for (int i = 0; i < R.ndumps; i++)
        lo_dumps += !strcmp(jstr(R.dump[i], "reason"), LO_KIND);
    cr_assert(lo_dumps == 1, "lo_rotation: %d lock-order dumps\n%s", lo_dumps, D(&R));
    run_done(&R);
}

/* Through the program's own locking wrapper: the report names the code
 * that wanted the locks, past the wrapper. */
Test(lockorder, lo_wrapper)
{
    reported("lo_wrapper");
    abba("A", "B", "mutex");
    /* each edge's two lines name its own thread's function */
    const char *p = buf_str(&R.err), *who = NULL;
    int named = 0;
    while (p && *p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        char line[512];
        snprintf(line, sizeof line, "%.*s", (int)(len < sizeof line ? len : sizeof line - 1), p);
        if (strstr(line, "\"t1\" held"))
            who = "in lo_wrapped_ab through app_lock";
        else if (strstr(line, "\"t2\" held"))
            who = "in lo_wrapped_ba through app_lock";
        else if (strstr(line, " through app_lock")) {
            cr_assert(who && strstr(line, who), "lo_wrapper: \"%s\" under the wrong thread\n%s", line, D(&R));
            named++;
        }
        p = nl ? nl + 1 : NULL;
    }
    cr_assert(named == 4, "lo_wrapper: %d lines name the wrapper's caller, want 4\n%s", named, D(&R));
    run_done(&R);
}

/* 50,000 heap locks under one parent, one order: nothing to report. */
NOT_REPORTED(lo_heap_parent)
