/* SPDX-License-Identifier: MIT */
#include "asl_what.h"

#include <string.h>

#define WHAT_FRAMES 3

/* Substrings that appear in a function's name mangled and demangled alike;
 * the first match wins (a semaphore waits in __atomic_wait_address too). */
static const struct {
	const char *part;
	const char *what;
} patterns[] = {
	{ "__cxa_guard_acquire", "static init" },
	{ "__atomic_futex_unsigned", "future" },
	{ "__atomic_semaphore", "semaphore" },
	{ "latch", "latch" },
	{ "barrier", "barrier" },
	{ "__atomic_wait_address", "atomic wait" },
	{ "g_async_queue", "GAsyncQueue" }, /* before GCond, which it waits in */
	{ "g_rec_mutex_lock", "GRecMutex" },
	{ "g_mutex_lock", "GMutex" },
	{ "g_cond_wait", "GCond" },
};

const char *asl_what_from_names(const char *const *names, int n)
{
	for (size_t p = 0; p < sizeof patterns / sizeof patterns[0]; p++)
		for (int i = 0; i < n; i++)
			if (names[i] && strstr(names[i], patterns[p].part))
				return patterns[p].what;
	return NULL;
}

const char *asl_wait_what(const struct asl_modules *m, const struct asl_wait *w)
{
	char buf[WHAT_FRAMES][512];
	const char *names[WHAT_FRAMES];
	int n = 0;
	if (w->kind != ASL_W_FUTEX)
		return NULL;
	for (int i = 0; i < w->depth && n < WHAT_FRAMES; i++)
		if (asl_symbolize(m, w->stack[i], buf[n], sizeof buf[n]) == 0)
			names[n] = buf[n], n++;
	return asl_what_from_names(names, n);
}
