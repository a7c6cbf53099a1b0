/* SPDX-License-Identifier: MIT */
#include "escape.h"

static int is_control(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

void print_escaped(FILE *out, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (is_control(c))
			fprintf(out, "\\x%02x", c);
		else
			putc(c, out);
	}
}

void sanitize_line(char *s)
{
	for (; *s; s++)
		if (is_control((unsigned char)*s))
			*s = '?';
}
