/* SPDX-License-Identifier: MIT */
/* The writers behind format_write (format.h), one file each. */
#ifndef ASLEEP_FORMAT_WRITERS_H
#define ASLEEP_FORMAT_WRITERS_H

#include <stdio.h>

#include "format.h"

int format_json_write(FILE *out, const struct format_input *in);  /* format_json.c */
int format_sarif_write(FILE *out, const struct format_input *in); /* format_sarif.c */
int format_junit_write(FILE *out, const struct format_input *in); /* format_junit.c */
int format_dot_write(FILE *out, const struct format_input *in);   /* format_dot.c */
int format_html_write(FILE *out, const struct format_input *in);  /* format_html.c */

/* "suppressed by KIND:PATTERN (FILE:LINE)", XML-escaped, for the markup
 * formats (format_judge.c). */
void format_xml_suppressed_by(FILE *out, const struct format_input *in, const struct supp_rule *r);

/* One dump's graph as a complete digraph (format_dot.c), for the page.
 * *drawn says whether the dump had a cycle to draw; nothing is written
 * when it had none.  Returns -1 only when out of memory. */
int format_dot_dump(FILE *out, struct symbolizer *sym, const struct dump *d, size_t index, bool *drawn);

#endif
