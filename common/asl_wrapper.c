/* SPDX-License-Identifier: MIT */
#include "asl_wrapper.h"

#include <ctype.h>
#include <stddef.h>
#include <string.h>

/* The last name component: past the last "::" outside template arguments
 * and parentheses, up to "(", "<", "[" or "+0x". */
static void last_component(const char *fn, const char **start, size_t *len)
{
	const char *s = fn, *end = fn + strcspn(fn, "(+[");
	int depth = 0;
	for (const char *p = fn; p < end; p++) {
		if (*p == '<')
			depth++;
		else if (*p == '>' && depth > 0)
			depth--;
		else if (depth == 0 && p[0] == ':' && p[1] == ':')
			s = p + 2;
	}
	const char *lt = memchr(s, '<', (size_t)(end - s));
	*start = s;
	*len = (size_t)((lt ? lt : end) - s);
}

int asl_is_lock_wrapper(const char *function)
{
	const char *s;
	size_t n;
	if (!function || !*function)
		return 0;
	last_component(function, &s, &n);
	if (n == 10 && !strncmp(s, "lock_guard", 10))
		return 1;
	if (n < 4 || n > 40)
		return 0;
	const char *tail = s + n - 4;
	if (strncmp(tail, "lock", 4) && strncmp(tail, "Lock", 4))
		return 0;
	/* "lock" as a word: at the start, after '_', or CamelCase "Lock"; also
	 * the POSIX spellings rdlock, wrlock, trylock, timedlock */
	if (tail == s || tail[-1] == '_' || tail[0] == 'L')
		return 1;
	static const char *const posix[] = { "rdlock", "wrlock", "trylock", "timedlock", "clocklock" };
	for (size_t i = 0; i < sizeof posix / sizeof posix[0]; i++) {
		size_t k = strlen(posix[i]);
		if (n >= k && !strncmp(s + n - k, posix[i], k) && (n == k || !isalnum((unsigned char)s[n - k - 1])))
			return 1;
	}
	return 0;
}

int asl_first_past_wrappers(const char *const *names, int n)
{
	int i = 0;
	while (i < n && names[i] && asl_is_lock_wrapper(names[i]))
		i++;
	return i;
}
