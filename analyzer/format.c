/* SPDX-License-Identifier: MIT */
#include "format.h"

#include <string.h>

#include "format_writers.h"

static const char *const names[] = {
	[FORMAT_TEXT] = "text",   [FORMAT_JSON] = "json", [FORMAT_SARIF] = "sarif",
	[FORMAT_JUNIT] = "junit", [FORMAT_DOT] = "dot",   [FORMAT_HTML] = "html",
};

int format_parse(const char *name, enum output_format *out)
{
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(name, names[i]) == 0) {
			*out = (enum output_format)i;
			return 0;
		}
	}
	return -1;
}

const char *format_name(enum output_format f)
{
	return names[f];
}

int format_write(enum output_format f, FILE *out, const struct format_input *in)
{
	switch (f) {
	case FORMAT_JSON:
		return format_json_write(out, in);
	case FORMAT_SARIF:
		return format_sarif_write(out, in);
	case FORMAT_JUNIT:
		return format_junit_write(out, in);
	case FORMAT_DOT:
		return format_dot_write(out, in);
	case FORMAT_HTML:
		return format_html_write(out, in);
	case FORMAT_TEXT:
		break;
	}
	return -1; /* text is written by report_text.c and gate.c */
}
