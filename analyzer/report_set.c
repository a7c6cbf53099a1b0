/* SPDX-License-Identifier: MIT */
/* The report of several dumps: findings per dump (they belong to one
 * process at one moment), threads grouped across all processes (a pool
 * leaking in 40 forked children is one group "in 40 processes"). */
#include "report_text.h"

#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "group.h"

/* Beyond these, tids and file names are counted, not listed. */
#define LISTED_TIDS 8
#define LISTED_CLEAN_DUMPS 8

static int findings_of_each(FILE *out, struct dump *const *dumps, size_t n, const struct report_opts *o)
{
	size_t i, clean = 0, listed = 0;

	for (i = 0; i < n; i++) {
		if (!dumps[i]->n_findings) {
			clean++;
			continue;
		}
		report_text_header(out, dumps[i]);
		if (report_text_findings(out, dumps[i], o) < 0)
			return -1;
		putc('\n', out);
	}
	if (!clean)
		return 0;
	fprintf(out, "no findings in %zu %sdump%s: ", clean, clean < n ? "other " : "", plural(clean));
	for (i = 0; i < n && listed < LISTED_CLEAN_DUMPS; i++) {
		if (dumps[i]->n_findings)
			continue;
		fputs(listed++ ? ", " : "", out);
		print_escaped(out, dumps[i]->file);
	}
	if (clean > listed)
		fprintf(out, " and %zu more", clean - listed);
	fputs("\n\n", out);
	return 0;
}

/* "pid 4400: tids 4401, 4402; pid 5000: tid 5001 and 3 more" */
static void print_pids_tids(FILE *out, const struct set_group *sg, bool with_names)
{
	size_t i, j, shown = 0;

	for (i = 0; i < sg->g.n && shown < LISTED_TIDS; i = j) {
		for (j = i; j < sg->g.n && sg->dumps[j] == sg->dumps[i]; j++)
			;
		fprintf(out, "%spid %lld: tid%s ", i ? "; " : "", sg->dumps[i]->pid, plural(j - i));
		for (size_t k = i; k < j && shown < LISTED_TIDS; k++, shown++) {
			fprintf(out, "%s%lld", k > i ? ", " : "", sg->g.members[k]->tid);
			if (with_names) {
				putc(' ', out);
				print_quoted(out, sg->g.members[k]->name);
			}
			if (sg->g.members[k]->main == 1)
				fputs(" (main)", out);
		}
	}
	if (sg->g.n > shown)
		fprintf(out, " and %zu more", sg->g.n - shown);
}

static void print_set_group(FILE *out, const struct set_group *sg, struct symbolizer *sym)
{
	const struct dump_thread *t = sg->g.members[0];
	bool one_name = group_names_alike(&sg->g);

	fprintf(out, "  %zu thread%s", sg->g.n, plural(sg->g.n));
	if (sg->n_procs > 1)
		fprintf(out, " in %zu processes", sg->n_procs);
	if (sg->dumps[0]->exe) {
		fputs(" of ", out);
		print_escaped(out, path_basename(sg->dumps[0]->exe));
	}
	fputs(", ", out);
	print_escaped(out, t->state);
	if (one_name && sg->g.n > 1) {
		fputs(", named ", out);
		print_quoted(out, t->name);
	}
	fputs(": ", out);
	print_pids_tids(out, sg, !one_name || sg->g.n == 1);
	putc('\n', out);
	report_text_group_body(out, sg->dumps[0], &sg->g, sym, 0);
}

static void print_each_thread(FILE *out, const struct set_grouping *sg, const struct report_opts *o)
{
	size_t i;

	for (i = 0; i < sg->n_latest; i++) {
		const struct dump *d = sg->latest[i];
		struct thread_group g;
		fprintf(out, "threads of pid %lld (", d->pid);
		print_escaped(out, d->file);
		fprintf(out, ", %zu):\n", d->n_threads);
		for (size_t k = 0; k < d->n_threads; k++) {
			const struct dump_thread *t = &d->threads[k];
			g.members = &t;
			g.n = 1;
			fprintf(out, "  tid %lld ", t->tid);
			print_quoted(out, t->name);
			fputs(", ", out);
			print_escaped(out, t->state);
			if (t->main == 1)
				fputs(" (main)", out);
			if (t->detached == 1)
				fputs(" (detached)", out);
			putc('\n', out);
			report_text_group_body(out, d, &g, o->sym, 0);
		}
	}
}

static int threads_of_all(FILE *out, struct dump *const *dumps, size_t n, const struct report_opts *o)
{
	struct set_grouping sg;
	size_t i;

	if (group_dump_set(dumps, n, &sg) < 0)
		return -1;
	if (o->per_thread) {
		print_each_thread(out, &sg, o);
	} else {
		fprintf(out,
		        "threads of %zu process%s (latest dump of each; %zu thread%s in %zu group%s, "
		        "largest first):\n",
		        sg.n_latest, sg.n_latest == 1 ? "" : "es", sg.n_threads, plural(sg.n_threads), sg.n,
		        plural(sg.n));
		for (i = 0; i < sg.n; i++)
			print_set_group(out, &sg.groups[i], o->sym);
	}
	set_grouping_free(&sg);
	return 0;
}

int report_text_run(FILE *out, struct dump *const *dumps, size_t n, const struct report_opts *o)
{
	if (n == 0)
		return 0;
	if (n == 1) {
		if (report_text_dump(out, dumps[0], o) < 0)
			return -1;
		putc('\n', out);
	} else if (findings_of_each(out, dumps, n, o) < 0 || threads_of_all(out, dumps, n, o) < 0) {
		return -1;
	} else {
		putc('\n', out);
	}
	report_text_summary(out, dumps, n);
	return 0;
}
