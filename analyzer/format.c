/* SPDX-License-Identifier: MIT */
#include "format.h"

#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "gate.h"

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

/* format_judge (format.h): the verdicts the text gate prints as notes,
 * kept as data so every format reports them the same way. */

int format_judge(struct format_input *in)
{
	size_t i, j;

	in->failing = in->suppressed = 0;
	in->verdicts = calloc(in->n + 1, sizeof(*in->verdicts));
	if (!in->verdicts)
		return -1;
	for (i = 0; i < in->n; i++) {
		const struct dump *d = in->dumps[i];
		in->verdicts[i] = calloc(d->n_findings + 1, sizeof(**in->verdicts));
		if (!in->verdicts[i])
			return -1;
		for (j = 0; j < d->n_findings; j++) {
			struct finding_verdict *v = &in->verdicts[i][j];
			struct supp_rule *rule = NULL;
			if (!in->gate) {
				v->fails = true;
			} else if (in->supp && (rule = supp_match(in->supp, d, &d->findings[j]))) {
				rule->hits++;
				v->suppressed_by = rule;
				in->suppressed++;
			} else {
				v->fails = gate_blocks_kind(d->findings[j].kind);
			}
			in->failing += v->fails;
		}
	}
	return in->failing ? 1 : 0;
}

void format_input_free(struct format_input *in)
{
	size_t i;

	for (i = 0; in->verdicts && i < in->n; i++)
		free(in->verdicts[i]);
	free(in->verdicts);
	in->verdicts = NULL;
}

void format_xml_suppressed_by(FILE *out, const struct format_input *in, const struct supp_rule *r)
{
	fputs("suppressed by ", out);
	xml_escape(out, r->kind);
	putc(':', out);
	xml_escape(out, r->pattern);
	fputs(" (", out);
	xml_escape(out, in->supp->file);
	fprintf(out, ":%u)", r->line);
}
