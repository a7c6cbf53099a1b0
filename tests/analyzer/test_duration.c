/* SPDX-License-Identifier: MIT */
/* Human durations: units switch at 1s, 1m, 1h and 1d; never rounded up. */
#include <limits.h>
#include <string.h>

#include <criterion/criterion.h>

#include "asl_duration.h"

static const struct {
	long long ms;
	const char *text;
} cases[] = {
	{ 0, "0ms" },
	{ 1, "1ms" },
	{ 590, "590ms" },
	{ 999, "999ms" },
	{ 1000, "1.0s" },
	{ 2100, "2.1s" },
	{ 2199, "2.1s" },
	{ 59999, "59.9s" },
	{ 60000, "1m00s" },
	{ 61000, "1m01s" },
	{ 192000, "3m12s" },
	{ 3599999, "59m59s" },
	{ 3600000, "1h00m" },
	{ 3900000, "1h05m" },
	{ 86399999, "23h59m" },
	{ 86400000, "1d00h" },
	{ 2 * 86400000LL + 3 * 3600000LL, "2d03h" },
	{ LLONG_MAX, "106751991167d07h" },
	{ -1, "-" },
	{ LLONG_MIN, "-" },
};

Test(duration, table)
{
	char buf[ASL_DURATION_MAX];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *r = asl_duration_format(cases[i].ms, buf, sizeof(buf));
		cr_expect_eq(r, buf);
		cr_expect_str_eq(buf, cases[i].text, "%lld ms", cases[i].ms);
	}
}

Test(duration, small_buffer_truncates)
{
	char buf[8];

	memset(buf, 'x', sizeof(buf));
	asl_duration_format(LLONG_MAX, buf, 4);
	cr_expect_str_eq(buf, "106");
	cr_expect_eq(buf[4], 'x', "wrote past the given length");
}
