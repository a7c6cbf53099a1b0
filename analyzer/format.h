/* SPDX-License-Identifier: MIT */
/* Machine-readable and graphical outputs of report and gate
 * (--format): one entry point over the loaded dumps.  The text format
 * stays with report_text.c and gate.c; these writers share the loader's
 * data, the grouping (group.h) and the frame naming (frame.h). */
#ifndef ASLEEP_FORMAT_H
#define ASLEEP_FORMAT_H

#include <stdbool.h>
#include <stdio.h>

#include "dump.h"
#include "suppress.h"
#include "symbolize.h"

enum output_format {
	FORMAT_TEXT,
	FORMAT_JSON,  /* normalized summary, docs/summary.schema.json */
	FORMAT_SARIF, /* SARIF 2.1.0 */
	FORMAT_JUNIT, /* JUnit XML */
	FORMAT_DOT,   /* Graphviz: wait-for and lock-order cycles */
	FORMAT_HTML,  /* one self-contained page */
};

/* How one finding counts: for report every finding fails (exit 1); for
 * gate only unsuppressed findings of the gated kinds do. */
struct finding_verdict {
	bool fails;
	const struct supp_rule *suppressed_by; /* gate only, else NULL */
};

struct format_input {
	bool gate;              /* the gate command, else report */
	bool per_thread;        /* --threads (text parts of html) */
	struct symbolizer *sym; /* NULL: names from the dumps only */
	struct dump *const *dumps;
	size_t n;
	const char *const *empty_dirs; /* directory arguments without dumps */
	size_t n_empty_dirs;
	struct supp_list *supp;            /* gate --suppressions, else NULL */
	struct finding_verdict **verdicts; /* [dump][finding], by format_judge */
	size_t failing, suppressed;        /* totals, by format_judge */
};

/* "json" etc. to the enum; -1 for an unknown name. */
int format_parse(const char *name, enum output_format *out);
const char *format_name(enum output_format f);

/* Fills in->verdicts and the totals; returns the exit status the text
 * report or gate would have (0 or 1), or -1 when out of memory. */
int format_judge(struct format_input *in);
void format_input_free(struct format_input *in);

/* Writes the whole output; -1 when out of memory or a helper failed. */
int format_write(enum output_format f, FILE *out, const struct format_input *in);

/* The writers, one file per format. */
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
