/* SPDX-License-Identifier: MIT */
/* --format junit: JUnit XML for CI test tabs.  One testsuite per dump
 * (one snapshot of one process run), one testcase per finding; a dump
 * without findings is one passing testcase.  Testcase names hold the
 * kind and the fingerprint, not tids or addresses, so a CI's history
 * recognises the same finding in the next run.  Under gate, findings
 * that do not fail it (suppressed, or of a kind the gate ignores) are
 * "skipped" with the reason. */
#define _GNU_SOURCE /* open_memstream */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "escape.h"
#include "finding.h"
#include "format.h"

struct counts {
	size_t tests, failures, skipped;
};

static void count_dump(const struct format_input *in, size_t di, struct counts *c)
{
	const struct dump *d = in->dumps[di];
	size_t j;

	c->tests = d->n_findings ? d->n_findings : 1;
	c->failures = c->skipped = 0;
	for (j = 0; j < d->n_findings; j++) {
		c->failures += in->verdicts[di][j].fails;
		c->skipped += !in->verdicts[di][j].fails;
	}
}

static void attr(FILE *out, const char *name, const char *value)
{
	fprintf(out, " %s=\"", name);
	xml_escape(out, value);
	putc('"', out);
}

static void property(FILE *out, const char *name, const char *value)
{
	fputs("      <property", out);
	attr(out, "name", name);
	attr(out, "value", value);
	fputs("/>\n", out);
}

/* "server pid 4500" names the suite after the program, as a CI user
 * knows it. */
static void suite_open(FILE *out, const struct dump *d, const struct counts *c)
{
	char num[32], when[32];
	struct tm tm;
	time_t secs;

	fputs("  <testsuite name=\"asleep: ", out);
	xml_escape(out, d->exe ? path_basename(d->exe) : "process");
	fprintf(out,
	        " pid %lld seq %lld\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" "
	        "skipped=\"%zu\"",
	        d->pid, d->seq, c->tests, c->failures, c->skipped);
	if (d->has_time_unix_ms) {
		secs = (time_t)(d->time_unix_ms / 1000);
		if (gmtime_r(&secs, &tm) && strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm))
			attr(out, "timestamp", when);
	}
	attr(out, "file", d->file);
	fputs(">\n    <properties>\n", out);
	property(out, "dump", d->file);
	snprintf(num, sizeof(num), "%lld", d->pid);
	property(out, "pid", num);
	snprintf(num, sizeof(num), "%lld", d->seq);
	property(out, "seq", num);
	property(out, "reason", d->reason);
	if (d->exe)
		property(out, "exe", d->exe);
	fputs("    </properties>\n", out);
}

static int finding_case(FILE *out, const struct format_input *in, size_t di, size_t fi, const char *classname)
{
	const struct dump *d = in->dumps[di];
	const struct dump_finding *f = &d->findings[fi];
	const struct finding_verdict *v = &in->verdicts[di][fi];
	char fp[FINGERPRINT_LEN], *body = NULL;
	size_t len = 0;
	FILE *mem;

	if (finding_fingerprint(in->sym, d, fi, fp) < 0 || !(mem = open_memstream(&body, &len)))
		return -1;
	if (format_finding_text(mem, in->sym, d, f) < 0 || fclose(mem) != 0) {
		free(body);
		return -1;
	}
	fputs("    <testcase", out);
	attr(out, "classname", classname);
	fputs(" name=\"", out);
	xml_escape(out, f->kind);
	fprintf(out, " %s\">\n", fp);
	if (v->fails) {
		fputs("      <failure", out);
		attr(out, "type", f->kind);
		attr(out, "message", f->message);
		fputs(">", out);
		xml_escape_block(out, body, len);
		fputs("</failure>\n", out);
	} else {
		fputs("      <skipped message=\"", out);
		if (v->suppressed_by) {
			format_xml_suppressed_by(out, in, v->suppressed_by);
		} else {
			fputs("not gated: only deadlock, all-asleep, leaked-thread, abandoned-lock "
			      "and lock-order-inversion fail the gate",
			      out);
		}
		fputs("\"/>\n      <system-out>", out);
		xml_escape_block(out, body, len);
		fputs("</system-out>\n", out);
	}
	fputs("    </testcase>\n", out);
	free(body);
	return 0;
}

static int write_suite(FILE *out, const struct format_input *in, size_t di)
{
	const struct dump *d = in->dumps[di];
	const char *classname = d->exe ? path_basename(d->exe) : "asleep";
	struct counts c;
	size_t j;

	count_dump(in, di, &c);
	suite_open(out, d, &c);
	if (d->n_findings == 0) {
		fputs("    <testcase", out);
		attr(out, "classname", classname);
		fputs(" name=\"no findings\"/>\n", out);
	}
	for (j = 0; j < d->n_findings; j++)
		if (finding_case(out, in, di, j, classname) < 0)
			return -1;
	fputs("  </testsuite>\n", out);
	return 0;
}

int format_junit_write(FILE *out, const struct format_input *in)
{
	struct counts total = { 0 }, c;
	size_t i;

	for (i = 0; i < in->n; i++) {
		count_dump(in, i, &c);
		total.tests += c.tests;
		total.failures += c.failures;
		total.skipped += c.skipped;
	}
	if (in->n == 0)
		total.tests = 1;
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
	fprintf(out,
	        "<testsuites name=\"asleep %s\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" "
	        "skipped=\"%zu\">\n",
	        in->gate ? "gate" : "report", total.tests, total.failures, total.skipped);
	for (i = 0; i < in->n; i++)
		if (write_suite(out, in, i) < 0)
			return -1;
	if (in->n == 0) {
		/* Nothing to read is a clean run, and a report must still be
		 * a valid JUnit file with at least one test. */
		fputs("  <testsuite name=\"asleep: no dumps\" tests=\"1\" failures=\"0\" errors=\"0\" "
		      "skipped=\"0\">\n    <testcase classname=\"asleep\" name=\"no dumps\">\n"
		      "      <system-out>",
		      out);
		for (i = 0; i < in->n_empty_dirs; i++) {
			fputs("no dumps in ", out);
			xml_escape(out, in->empty_dirs[i]);
			putc('\n', out);
		}
		fputs("</system-out>\n    </testcase>\n  </testsuite>\n", out);
	}
	fputs("</testsuites>\n", out);
	return 0;
}
