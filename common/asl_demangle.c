/* SPDX-License-Identifier: MIT */
#include "asl_demangle.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *asl_demangle(asl_cxa_demangle_fn demangle, const char *name, char *buf, size_t len)
{
	const char *plus = strstr(name, "+0x");
	size_t n = plus ? (size_t)(plus - name) : strlen(name);
	char mangled[1024], *out = NULL;
	int status = -1;
	if (demangle && n > 2 && n < sizeof mangled && name[0] == '_' && name[1] == 'Z') {
		memcpy(mangled, name, n);
		mangled[n] = '\0';
		out = demangle(mangled, NULL, NULL, &status);
	}
	if (out && status == 0)
		snprintf(buf, len, "%s%s", out, plus ? plus : "");
	else
		snprintf(buf, len, "%s", name);
	free(out);
	return buf;
}
