/* SPDX-License-Identifier: MIT */
/* asleep.h in a criterion suite: every test's fixture takes a snapshot of
 * the live threads and checks, when the test is done, that it left no thread
 * behind (goleak's VerifyNone).  Run it under the shim to get the check:
 *
 *   scripts/asleep -- build/examples/criterion-leakcheck
 *
 * Without the shim each fixture says that it is absent and the tests run
 * unchecked.  "leaky_worker_is_caught" leaks a thread on purpose to show the
 * report; it expects exactly one leak and then lets its thread go. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

#include "asleep.h"

static asleep_snapshot_t snap;

static void take_snapshot(void)
{
	int rc = asleep_snapshot(&snap);
	if (rc == ASLEEP_NO_SHIM)
		fprintf(stderr, "%s\n", asleep_strerror(rc)); /* (cr_log_warn would fail the run) */
	else
		cr_assert_eq(rc, ASLEEP_OK, "%s", asleep_strerror(rc));
}

static void verify_none(void)
{
	if (snap.impl) {
		int leaked = asleep_verify_none(&snap, NULL);
		cr_expect_eq(leaked, 0, "%d thread(s) leaked by this test (see the report above)", leaked);
	}
	asleep_snapshot_free(&snap);
}

TestSuite(leakcheck, .init = take_snapshot, .fini = verify_none);

static void *add_one(void *arg)
{
	int *n = arg;
	(*n)++;
	return NULL;
}

Test(leakcheck, joined_worker_is_fine)
{
	pthread_t t;
	int n = 41;
	cr_assert_eq(pthread_create(&t, NULL, add_one, &n), 0);
	cr_assert_eq(pthread_join(t, NULL), 0);
	cr_expect_eq(n, 42);
}

static int release[2];

/* Waits on a pipe until the test lets it go. */
static void *leaky_worker(void *arg)
{
	char c;
	(void)arg;
	pthread_setname_np(pthread_self(), "leaky-worker");
	return read(release[0], &c, 1) == 1 ? NULL : arg;
}

Test(leakcheck, leaky_worker_is_caught)
{
	pthread_t t;
	asleep_verify_opts_t opts = { .max_scans = 5, .wait_ms = 10 };
	cr_assert_eq(pipe(release), 0);
	cr_assert_eq(pthread_create(&t, NULL, leaky_worker, NULL), 0);
	if (snap.impl) {
		/* The forgotten worker: reported on stderr, counted here. */
		cr_expect_eq(asleep_verify_none(&snap, &opts), 1);
		cr_expect_eq(opts.scans, 5, "a blocked leak is rescanned until the limit");
	}
	cr_assert_eq(write(release[1], "x", 1), 1);
	cr_assert_eq(pthread_join(t, NULL), 0);
}
