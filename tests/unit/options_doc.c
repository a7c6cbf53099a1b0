/* SPDX-License-Identifier: MIT */
/* Prints the README's options table from the shim's option table
 * (shim/asl_options.h), so that the two can never disagree: the unit suite
 * compares this output with the README (check_options_doc.sh). */
#include "asl_options.h"

#include <stdio.h>
#include <string.h>

static const char *type_word(const char *type)
{
	if (!strcmp(type, "BOOL"))
		return "0\\|1";
	if (!strcmp(type, "PATH"))
		return "PATH";
	if (!strcmp(type, "ON_DEADLOCK"))
		return "exit\\|abort\\|continue";
	return "N";
}

static void row(const char *name, const char *type, const char *def, long lo, long hi, const char *desc)
{
	char range[64] = "";
	if (!strcmp(type, "INT"))
		snprintf(range, sizeof range, " (%ld..%ld)", lo, hi);
	else if (!strcmp(type, "MS"))
		snprintf(range, sizeof range, " (0, or %ld..%ld ms)", lo, hi);
	printf("| `%s=%s` | %s%s | %s |\n", name, type_word(type), desc, range, def[0] ? def : "unset");
}

int main(void)
{
	puts("| key | meaning | default |");
	puts("|---|---|---|");
#define ROW(name, type, def, lo, hi, desc) row(#name, #type, def, lo, hi, desc);
	ASL_OPTION_TABLE(ROW)
#undef ROW
	return 0;
}
