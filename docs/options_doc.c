/* SPDX-License-Identifier: MIT */
/* The options, documented from the shim's option table (shim/base/
 * asl_options.h), so that the docs can never disagree with the parser:
 *   options_doc          the README's Markdown table (the unit suite compares
 *                        it with the README: check_options_doc.sh)
 *   options_doc --man    the OPTIONS part of asleep-options(7), in man(7) */
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

static int man;

/* man(7) text: a leading '.' or '\'' would be a request, and '\\' escapes. */
static void man_text(const char *s)
{
	for (; *s; s++)
		if (*s == '\\')
			fputs("\\e", stdout);
		else if (*s == '-')
			fputs("\\-", stdout);
		else
			putchar(*s);
}

static void row(const char *name, const char *type, const char *def, long lo, long hi, const char *desc)
{
	char range[64] = "";
	if (!strcmp(type, "INT"))
		snprintf(range, sizeof range, " (%ld..%ld)", lo, hi);
	else if (!strcmp(type, "MS"))
		snprintf(range, sizeof range, " (0, or %ld..%ld ms)", lo, hi);
	if (!man) {
		printf("| `%s=%s` | %s%s | %s |\n", name, type_word(type), desc, range, def[0] ? def : "unset");
		return;
	}
	printf(".TP\n.B %s=", name);
	man_text(!strcmp(type, "BOOL") ? "0|1" : !strcmp(type, "ON_DEADLOCK") ? "exit|abort|continue" : !strcmp(type, "PATH") ? "PATH" : "N");
	printf("\n");
	man_text(desc);
	man_text(range);
	printf(". Default: ");
	man_text(def[0] ? def : "unset");
	printf(".\n");
}

int main(int argc, char **argv)
{
	man = argc > 1 && !strcmp(argv[1], "--man");
	if (!man) {
		puts("| key | meaning | default |");
		puts("|---|---|---|");
	}
#define ROW(name, type, def, lo, hi, desc) row(#name, #type, def, lo, hi, desc);
	ASL_OPTION_TABLE(ROW)
#undef ROW
	return 0;
}
