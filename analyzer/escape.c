/* SPDX-License-Identifier: MIT */
#include "escape.h"

#include <stdbool.h>
#include <string.h>

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

/* Length of the UTF-8 sequence at s if it encodes U+FFFE or U+FFFF,
 * the two non-characters XML forbids that jansson accepts; else 0. */
static size_t xml_forbidden_nonchar(const unsigned char *s, size_t left)
{
	if (left >= 3 && s[0] == 0xef && s[1] == 0xbf && (s[2] == 0xbe || s[2] == 0xbf))
		return 3;
	return 0;
}

static void xml_escape_impl(FILE *out, const char *s, size_t len, bool keep_newlines)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i, skip;

	for (i = 0; i < len; i++) {
		unsigned char c = p[i];
		switch (c) {
		case '&':
			fputs("&amp;", out);
			continue;
		case '<':
			fputs("&lt;", out);
			continue;
		case '>':
			fputs("&gt;", out);
			continue;
		case '"':
			fputs("&quot;", out);
			continue;
		case '\'':
			fputs("&#39;", out);
			continue;
		}
		if (c == '\n' && keep_newlines) {
			putc(c, out);
		} else if (is_control(c)) {
			fprintf(out, "\\x%02x", c);
		} else if ((skip = xml_forbidden_nonchar(p + i, len - i))) {
			fprintf(out, "\\u{%s}", p[i + 2] == 0xbe ? "fffe" : "ffff");
			i += skip - 1;
		} else {
			putc(c, out);
		}
	}
}

void xml_escape_n(FILE *out, const char *s, size_t len)
{
	xml_escape_impl(out, s, len, false);
}

void xml_escape_block(FILE *out, const char *s, size_t len)
{
	xml_escape_impl(out, s, len, true);
}

void xml_escape(FILE *out, const char *s)
{
	xml_escape_n(out, s, strlen(s));
}

void dot_escape(FILE *out, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '&') {
			/* Graphviz decodes entities in labels: keep "&lt;" literal */
			fputs("&amp;", out);
		} else if (c == '"' || c == '\\') {
			putc('\\', out);
			putc(c, out);
		} else if (is_control(c)) {
			/* "\\x1b" in DOT source shows as \x1b */
			fprintf(out, "\\\\x%02x", c);
		} else {
			putc(c, out);
		}
	}
}

const char *plural(size_t n)
{
	return n == 1 ? "" : "s";
}

void print_quoted(FILE *out, const char *s)
{
	putc('"', out);
	print_escaped(out, s);
	putc('"', out);
}
