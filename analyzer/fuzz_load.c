/* libFuzzer harness for the dump loader and everything that consumes a
 * loaded dump (text report, grouping, suppression matching).  Not part of
 * the meson build.  Build and run from the repository root:
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
 *     -Ianalyzer -Icommon analyzer/fuzz_load.c analyzer/dump.c analyzer/duration.c \
 *     analyzer/escape.c analyzer/gate.c analyzer/group.c analyzer/load.c \
 *     analyzer/readfile.c analyzer/report_text.c analyzer/suppress.c \
 *     common/asl_supp.c \
 *     -ljansson -o /tmp/fuzz_load
 *   mkdir -p /tmp/fuzz-corpus
 *   find tests/fixtures -name '*.json' -exec cp {} /tmp/fuzz-corpus/ ';'
 *   /tmp/fuzz_load -max_total_time=60 -max_len=8192 \
 *     -dict=analyzer/fuzz_load.dict /tmp/fuzz-corpus
 *
 * Save crashing inputs as tests/fixtures/analyzer/fuzz-<what>.json; the
 * loader tests replay them. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "gate.h"
#include "load.h"
#include "report_text.h"
#include "suppress.h"

static const char rules[] =
	"deadlock:t1\n"
	"*:main\n"
	"leaked-thread:/tmp/*\n"
	"abandoned-lock:[a-z]*_lock*\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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
		gate_run(sink, &d, 1, &supp, false);
		supp_free(&supp);
	}
	gate_run(sink, &d, 1, NULL, true);
	dump_free(d);
	return 0;
}
