/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE /* asprintf */
#include "gate.h"

#include <stdlib.h>
#include <string.h>

#include "asl_kinds.h"
#include "escape.h"
#include "report_text.h"

bool gate_blocks_kind(const char *kind)
{
	return asl_finding_kind_fails_gate(kind);
}

static void free_notes(char **notes, size_t n)
{
	size_t i;

	for (i = 0; notes && i < n; i++)
		free(notes[i]);
	free(notes);
}

/* Judges each finding of d; notes[i] says why finding i does not count. */
static int judge_dump(const struct dump *d, struct supp_list *supp, char **notes, size_t *failing, size_t *suppressed)
{
	const struct dump_finding *f;
	struct supp_rule *rule;
	size_t i;
	int r;

	for (i = 0; i < d->n_findings; i++) {
		f = &d->findings[i];
		rule = supp_match(supp, d, f);
		if (rule) {
			rule->hits++;
			(*suppressed)++;
			r = asprintf(&notes[i], "suppressed by %s:%s (%s:%u)", rule->kind, rule->pattern, supp->file,
			             rule->line);
		} else if (!gate_blocks_kind(f->kind)) {
			r = asprintf(&notes[i], "not gated (only deadlock, all-asleep, leaked-thread, "
			                        "abandoned-lock and lock-order-inversion fail the gate)");
		} else {
			(*failing)++;
			r = 0;
		}
		if (r < 0) {
			notes[i] = NULL;
			return -1;
		}
	}
	return 0;
}

static void print_suppressions_used(FILE *out, const struct supp_list *supp)
{
	size_t i;

	fputs("suppressions used (", out);
	print_escaped(out, supp->file);
	fputs("):\n", out);
	for (i = 0; i < supp->n; i++) {
		const struct supp_rule *r = &supp->rules[i];
		if (!r->hits)
			continue;
		fprintf(out, "  %lu x %s:", r->hits, r->kind);
		print_escaped(out, r->pattern);
		fprintf(out, " (line %u)\n", r->line);
	}
}

int gate_run(FILE *out, struct dump *const *dumps, size_t n, struct supp_list *supp, const struct report_opts *ropts)
{
	size_t i, failing = 0, suppressed = 0, failing_dumps = 0, before;
	struct report_opts opts = *ropts;
	char **notes;

	for (i = 0; i < n; i++) {
		notes = calloc(dumps[i]->n_findings + 1, sizeof(*notes));
		before = failing;
		if (!notes || judge_dump(dumps[i], supp, notes, &failing, &suppressed) < 0) {
			free_notes(notes, dumps[i]->n_findings);
			return -1;
		}
		if (failing > before) {
			if (failing_dumps++)
				putc('\n', out);
			opts.finding_notes = notes;
			if (report_text_dump(out, dumps[i], &opts) < 0) {
				free_notes(notes, dumps[i]->n_findings);
				return -1;
			}
		}
		free_notes(notes, dumps[i]->n_findings);
	}

	if (failing == 0 && suppressed == 0)
		return 0;
	if (failing_dumps)
		putc('\n', out);
	if (suppressed)
		print_suppressions_used(out, supp);
	if (failing)
		fprintf(out, "gate: FAILED: %zu unsuppressed finding%s in %zu of %zu dump%s", failing,
		        failing == 1 ? "" : "s", failing_dumps, n, n == 1 ? "" : "s");
	else
		fprintf(out, "gate: passed: no unsuppressed findings in %zu dump%s", n, n == 1 ? "" : "s");
	fprintf(out, " (%zu suppressed)\n", suppressed);
	return failing ? 1 : 0;
}
