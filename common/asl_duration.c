/* SPDX-License-Identifier: MIT */
#include "asl_duration.h"

#include <stdio.h>

const char *asl_duration_format(long long ms, char *buf, size_t len)
{
	const long long s = ms / 1000, m = s / 60, h = m / 60, d = h / 24;

	if (ms < 0)
		snprintf(buf, len, "-");
	else if (ms < 1000)
		snprintf(buf, len, "%lldms", ms);
	else if (s < 60)
		snprintf(buf, len, "%lld.%llds", s, ms % 1000 / 100);
	else if (m < 60)
		snprintf(buf, len, "%lldm%02llds", m, s % 60);
	else if (h < 24)
		snprintf(buf, len, "%lldh%02lldm", h, m % 60);
	else
		snprintf(buf, len, "%lldd%02lldh", d, h % 24);
	return buf;
}
