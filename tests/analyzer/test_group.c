/* SPDX-License-Identifier: MIT */
/* Grouping: alike threads (state, wait kind, stack, creation stack)
 * form one group; groups come largest first, then in dump order. */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include "group.h"
#include "load.h"

static char err[LOAD_ERR_MAX];

static struct dump *fixture(const char *name)
{
	char path[PATH_MAX];
	struct dump *d;

	snprintf(path, sizeof(path), "%s/%s", FIXTURES_DIR, name);
	cr_assert_eq(dump_load_file(path, &d, err, sizeof(err)), 0, "%s", err);
	return d;
}

static struct dump *from_threads(const char *threads)
{
	char text[4096];
	struct dump *d;

	snprintf(text, sizeof(text),
		 "{\"schema\": \"asleep-dump/1\", \"pid\": 1, \"seq\": 0, \"reason\": \"exit\", "
		 "\"threads\": [%s], \"findings\": [], \"modules\": []}", threads);
	cr_assert_eq(dump_load_buffer("t.json", text, strlen(text), &d, err, sizeof(err)), 0,
		     "%s", err);
	return d;
}

static void expect_group(const struct grouping *g, size_t i, const long long *tids, size_t n)
{
	size_t j;

	cr_assert_lt(i, g->n);
	cr_assert_eq(g->groups[i].n, n, "group %zu has %zu members, want %zu", i,
		     g->groups[i].n, n);
	for (j = 0; j < n; j++)
		cr_expect_eq(g->groups[i].members[j]->tid, tids[j], "group %zu member %zu", i, j);
}

Test(group, pool_fixture)
{
	static const long long workers[] = { 4401, 4402, 4403, 4404, 4405 };
	static const long long io[] = { 4410, 4411 };
	static const long long main_thread[] = { 4400 };
	static const long long stats[] = { 4420 };
	struct dump *d = fixture("analyzer/pool.json");
	struct grouping g;

	cr_assert_eq(group_threads(d, &g), 0);
	cr_expect_eq(g.n, 4);
	expect_group(&g, 0, workers, 5);	/* despite different since_ms and timed */
	expect_group(&g, 1, io, 2);		/* despite different objects and held */
	expect_group(&g, 2, main_thread, 1);	/* ties keep dump order */
	expect_group(&g, 3, stats, 1);
	grouping_free(&g);
	cr_expect_null(g.groups);
	dump_free(d);
}

Test(group, what_splits_a_group)
{
	/* 1 and 2 are alike; 3 differs in state, 4 in wait kind, 5 in a frame,
	 * 6 in creation stack, 7 has no creator, 8 matches 1 by function
	 * name though its address differs, 9 has no function (address counts). */
	struct dump *d = from_threads(
		"{\"tid\": 1, \"name\": \"a\", \"state\": \"blocked\", \"wait\": {\"kind\": \"mutex\", \"object\": \"0x1\", \"since_ms\": 1, \"timed\": false},"
		" \"stack\": [{\"addr\": \"0x10\", \"function\": \"f\"}], \"created_by\": {\"tid\": 0, \"stack\": [{\"addr\": \"0x20\", \"function\": \"main\"}]}},"
		"{\"tid\": 2, \"name\": \"b\", \"state\": \"blocked\", \"wait\": {\"kind\": \"mutex\", \"object\": \"0x2\", \"since_ms\": 9, \"timed\": true},"
		" \"stack\": [{\"addr\": \"0x10\", \"function\": \"f\"}], \"created_by\": {\"tid\": 5, \"stack\": [{\"addr\": \"0x20\", \"function\": \"main\"}]}},"
		"{\"tid\": 3, \"name\": \"a\", \"state\": \"running\", \"wait\": {\"kind\": \"mutex\", \"object\": \"0x1\", \"since_ms\": 1, \"timed\": false},"
		" \"stack\": [{\"addr\": \"0x10\", \"function\": \"f\"}], \"created_by\": {\"tid\": 0, \"stack\": [{\"addr\": \"0x20\", \"function\": \"main\"}]}},"
		"{\"tid\": 4, \"name\": \"a\", \"state\": \"blocked\", \"wait\": {\"kind\": \"cond\", \"object\": \"0x1\", \"since_ms\": 1, \"timed\": false},"
		" \"stack\": [{\"addr\": \"0x10\", \"function\": \"f\"}], \"created_by\": {\"tid\": 0, \"stack\": [{\"addr\": \"0x20\", \"function\": \"main\"}]}},"
		"{\"tid\": 5, \"name\": \"a\", \"state\": \"blocked\", \"wait\": {\"kind\": \"mutex\", \"object\": \"0x1\", \"since_ms\": 1, \"timed\": false},"
		" \"stack\": [{\"addr\": \"0x10\", \"function\": \"g\"}], \"created_by\": {\"tid\": 0, \"stack\": [{\"addr\": \"0x20\", \"function\": \"main\"}]}},"
		"{\"tid\": 6, \"name\": \"a\", \"state\": \"blocked\", \"wait\": {\"kind\": \"mutex\", \"object\": \"0x1\", \"since_ms\": 1, \"timed\": false},"
		" \"stack\": [{\"addr\": \"0x10\", \"function\": \"f\"}], \"created_by\": {\"tid\": 0, \"stack\": [{\"addr\": \"0x20\", \"function\": \"other\"}]}},"
		"{\"tid\": 7, \"name\": \"a\", \"state\": \"blocked\", \"wait\": {\"kind\": \"mutex\", \"object\": \"0x1\", \"since_ms\": 1, \"timed\": false},"
		" \"stack\": [{\"addr\": \"0x10\", \"function\": \"f\"}]},"
		"{\"tid\": 8, \"name\": \"a\", \"state\": \"blocked\", \"wait\": {\"kind\": \"mutex\", \"object\": \"0x1\", \"since_ms\": 1, \"timed\": false},"
		" \"stack\": [{\"addr\": \"0x99\", \"function\": \"f\"}], \"created_by\": {\"tid\": 0, \"stack\": [{\"addr\": \"0x20\", \"function\": \"main\"}]}},"
		"{\"tid\": 9, \"name\": \"a\", \"state\": \"blocked\", \"wait\": {\"kind\": \"mutex\", \"object\": \"0x1\", \"since_ms\": 1, \"timed\": false},"
		" \"stack\": [{\"addr\": \"0x10\"}], \"created_by\": {\"tid\": 0, \"stack\": [{\"addr\": \"0x20\", \"function\": \"main\"}]}}");
	static const long long alike[] = { 1, 2, 8 };
	struct grouping g;
	size_t i;

	cr_assert_eq(group_threads(d, &g), 0);
	cr_expect_eq(g.n, 7);
	expect_group(&g, 0, alike, 3);
	for (i = 1; i < g.n; i++)
		cr_expect_eq(g.groups[i].n, 1);
	/* Singletons follow in dump order. */
	cr_expect_eq(g.groups[1].members[0]->tid, 3);
	cr_expect_eq(g.groups[6].members[0]->tid, 9);
	grouping_free(&g);
	dump_free(d);
}

Test(group, no_threads)
{
	struct dump *d = from_threads("");
	struct grouping g;

	cr_assert_eq(group_threads(d, &g), 0);
	cr_expect_eq(g.n, 0);
	grouping_free(&g);
	dump_free(d);
}
