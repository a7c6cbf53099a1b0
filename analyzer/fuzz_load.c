/* SPDX-License-Identifier: MIT */
/* libFuzzer harness for the dump loader and everything that consumes a
 * loaded dump (text report, grouping, suppression matching).
 *
 *   scripts/fuzz [--time SECONDS] [--merge]
 *
 * builds it with clang (tests/fuzz/meson.build, in build-fuzz/) and runs it
 * on a copy of tests/fuzz/corpus.  A crash's input goes, once fixed, to
 * tests/fuzz/regressions/ with its outcome line in regressions.expected:
 * the fuzz-regressions test replays them through this same function with
 * the normal compiler (tests/fuzz/replay.c), and under ASan/UBSan in
 * build-asan.  Older finds live in tests/fixtures/analyzer/fuzz-*, which the
 * loader tests replay. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "format.h"
#include "gate.h"
#include "load.h"
#include "report_text.h"
#include "suppress.h"

static const char rules[] = "deadlock:t1\n"
                            "*:main\n"
                            "leaked-thread:/tmp/*\n"
                            "abandoned-lock:[a-z]*_lock*\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every --format writer, as report and as gate (with suppressions), for
 * they walk the same loaded dump in their own ways. */
static void write_formats(FILE *sink, struct dump *d, struct supp_list *supp)
{
	static const enum output_format formats[] = {
		FORMAT_JSON, FORMAT_SARIF, FORMAT_JUNIT, FORMAT_DOT, FORMAT_HTML,
	};

	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		for (int gate = 0; gate < 2; gate++) {
			struct format_input in = {
				.gate = gate,
				.per_thread = i % 2,
				.dumps = &d,
				.n = 1,
				.supp = gate ? supp : NULL,
			};
			if (format_judge(&in) >= 0)
				format_write(formats[i], sink, &in);
			format_input_free(&in);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *sink;
	struct report_opts grouped = { .per_thread = false }, each = { .per_thread = true };
	char err[LOAD_ERR_MAX];
	struct supp_list supp;
	struct dump *d;

	if (!sink)
		sink = fopen("/dev/null", "w");
	/* The same bytes as a suppressions file, for the parser. */
	if (supp_parse("fuzz.supp", (const char *)data, size, &supp, err, sizeof(err)) == 0)
		supp_free(&supp);
	if (dump_load_buffer("fuzz.json", (const char *)data, size, &d, err, sizeof(err)) < 0) {
		/* Errors must stay one printable line. */
		for (const char *p = err; *p; p++)
			if ((unsigned char)*p < 0x20)
				__builtin_trap();
		return 0;
	}
	report_text_dump(sink, d, &grouped);
	report_text_dump(sink, d, &each);
	report_text_summary(sink, &d, 1);
	if (supp_parse("fuzz.supp", rules, strlen(rules), &supp, err, sizeof(err)) == 0) {
		gate_run(sink, &d, 1, &supp, &grouped);
		write_formats(sink, d, &supp);
		supp_free(&supp);
	}
	gate_run(sink, &d, 1, NULL, &each);
	dump_free(d);
	return 0;
}
