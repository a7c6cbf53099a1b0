/* SPDX-License-Identifier: MIT */
/* Symbolization against this very test binary (built with -g by meson):
 * a known call site must come back as its function and file:line; a
 * mismatched build-id, a missing file or no module must fall back to the
 * dump's function, then module+offset, then the address. */
#define _GNU_SOURCE
#include <elf.h>
#include <limits.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "frame.h"
#include "load.h"
#include "sym_path.h"
#include "symbolize.h"

void *volatile asleep_test_captured;
void asleep_test_capture(void);
int asleep_test_marked(void);

__attribute__((noinline)) void asleep_test_capture(void)
{
	asleep_test_captured = __builtin_return_address(0);
	__asm__ volatile("" ::: "memory");
}

/* Returns the line of the call; the code after it keeps the call from
 * becoming a tail jump. */
__attribute__((noinline)) int asleep_test_marked(void)
{
	int line = __LINE__; asleep_test_capture();	/* the marked call */
	__asm__ volatile("" ::: "memory");
	return line;
}

struct self {
	uintptr_t base;
	char build_id[2 * 64 + 1];
};

static int find_self(struct dl_phdr_info *info, size_t size, void *data)
{
	struct self *s = data;
	int i;

	(void)size;
	if (info->dlpi_name[0] != '\0')
		return 0;	/* the main program comes first, with no name */
	s->base = info->dlpi_addr;
	for (i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		const char *p, *end;
		if (ph->p_type != PT_NOTE)
			continue;
		p = (const char *)(info->dlpi_addr + ph->p_vaddr);
		end = p + ph->p_memsz;
		while (p + sizeof(ElfW(Nhdr)) <= end) {
			const ElfW(Nhdr) *nh = (const ElfW(Nhdr) *)p;
			const unsigned char *desc = (const unsigned char *)(p + sizeof(*nh) +
									   ((nh->n_namesz + 3) & ~3u));
			if (nh->n_type == NT_GNU_BUILD_ID && nh->n_descsz <= 64) {
				for (unsigned k = 0; k < nh->n_descsz; k++)
					snprintf(s->build_id + 2 * k, 3, "%02x", desc[k]);
				return 1;
			}
			p += sizeof(*nh) + ((nh->n_namesz + 3) & ~3u) + ((nh->n_descsz + 3) & ~3u);
		}
	}
	return 1;
}

static char exe_path[PATH_MAX];

/* A dump whose frame 0 is the marked call site in module `path` with
 * build-id `bid` (NULL: none listed). */
static struct dump *dump_for(const char *path, const char *bid, const char *function)
{
	static char text[8192], err[LOAD_ERR_MAX];
	struct self self = { 0 };
	struct dump *d;
	uintptr_t ra = (uintptr_t)asleep_test_captured;
	char bidjson[200] = "", fnjson[200] = "";

	dl_iterate_phdr(find_self, &self);
	if (bid)
		snprintf(bidjson, sizeof(bidjson), ", \"build_id\": \"%s\"", bid);
	if (function)
		snprintf(fnjson, sizeof(fnjson), ", \"function\": \"%s\"", function);
	snprintf(text, sizeof(text),
		 "{\"schema\": \"asleep-dump/1\", \"pid\": 1, \"seq\": 0, \"reason\": \"exit\", "
		 "\"threads\": [{\"tid\": 2, \"name\": \"t\", \"state\": \"blocked\", \"stack\": ["
		 "{\"addr\": \"0x%lx\", \"module\": 0, \"offset\": \"0x%lx\"%s},"
		 "{\"addr\": \"0x1234\"}]}], "
		 "\"findings\": [], \"modules\": [{\"path\": \"%s\", \"base\": \"0x%lx\"%s}]}",
		 (unsigned long)ra, (unsigned long)(ra - self.base), fnjson, path,
		 (unsigned long)self.base, bidjson);
	cr_assert_eq(dump_load_buffer("sym.json", text, strlen(text), &d, err, sizeof(err)), 0,
		     "%s", err);
	return d;
}

static const char *own_build_id(void)
{
	static struct self self;

	dl_iterate_phdr(find_self, &self);
	cr_assert_neq(self.build_id[0], '\0', "this test binary has no build-id");
	return self.build_id;
}

static int marked_line;

static void setup(void)
{
	ssize_t n = readlink("/proc/self/exe", exe_path, sizeof(exe_path) - 1);

	cr_assert_gt(n, 0);
	exe_path[n] = '\0';
	marked_line = asleep_test_marked();
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && strcmp(s + a - b, suffix) == 0;
}

Test(symbolize, known_call_site, .init = setup)
{
	struct symbolizer *s = symbolizer_new();
	struct dump *d = dump_for(exe_path, own_build_id(), NULL);
	struct sym_frame fr;

	cr_assert_not_null(s);
	symbolize_frame(s, d, &d->threads[0].stack.frames[0], &fr);
	cr_assert_geq(fr.n, 1);
	cr_expect_str_eq(fr.locs[fr.n - 1].function, "asleep_test_marked");
	cr_assert_not_null(fr.locs[0].file);
	cr_expect(ends_with(fr.locs[0].file, "/tests/analyzer/test_symbolize.c"), "%s",
		  fr.locs[0].file);
	cr_expect_eq(fr.locs[0].line, marked_line);
	cr_expect_eq(symbolize_module_source(s, d, 0), SYM_SOURCE_FILE);
	/* Frame 1 has no module: nothing to look up. */
	symbolize_frame(s, d, &d->threads[0].stack.frames[1], &fr);
	cr_expect_eq(fr.n, 0);
	/* Cached: the same answer twice. */
	symbolize_frame(s, d, &d->threads[0].stack.frames[0], &fr);
	cr_expect_eq(fr.locs[0].line, marked_line);
	dump_free(d);
	symbolizer_free(s);
}

/* The text form: "function at file:line (module+offset)". */
Test(symbolize, frame_text, .init = setup)
{
	struct symbolizer *s = symbolizer_new();
	struct dump *d = dump_for(exe_path, own_build_id(), "wrong_name+0x1");
	char want[64], *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	frame_text_stack(out, d, &d->threads[0].stack, s, "  ", 0);
	fclose(out);
	snprintf(want, sizeof(want), "/tests/analyzer/test_symbolize.c:%d (", marked_line);
	cr_expect(strncmp(buf, "  #0 asleep_test_marked at /", 28) == 0, "%s", buf);
	cr_expect_not_null(strstr(buf, want), "%s", buf);
	cr_expect_not_null(strstr(buf, "\n  #1 0x1234\n"), "%s", buf);
	free(buf);
	dump_free(d);
	symbolizer_free(s);
}

static char *frame_line(struct symbolizer *s, struct dump *d)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	frame_text_print(out, d, &d->threads[0].stack.frames[0], s);
	fclose(out);
	return buf;
}

/* A rebuilt binary must not lend its lines to an old dump. */
Test(symbolize, mismatched_build_id_falls_back, .init = setup)
{
	struct symbolizer *s = symbolizer_new();
	struct dump *d = dump_for(exe_path, "00112233445566778899aabbccddeeff00112233",
				  "dump_said_this+0x10");
	struct sym_frame fr;
	char *line;

	symbolize_frame(s, d, &d->threads[0].stack.frames[0], &fr);
	cr_expect_eq(fr.n, 0);
	cr_expect_eq(symbolize_module_source(s, d, 0), SYM_SOURCE_NONE);
	line = frame_line(s, d);
	cr_expect(strncmp(line, "dump_said_this+0x10 (", 21) == 0, "%s", line);
	free(line);
	dump_free(d);

	/* No function in the dump either: module+offset. */
	d = dump_for(exe_path, "00112233445566778899aabbccddeeff00112233", NULL);
	line = frame_line(s, d);
	cr_expect(strncmp(line, "test_analyzer_symbolize+0x", 26) == 0, "%s", line);
	free(line);
	dump_free(d);
	symbolizer_free(s);
}

/* The module is gone, but its debug file is in DIR/.build-id/xx/rest.debug. */
Test(symbolize, separate_debug_file, .init = setup)
{
	char dir[] = "/tmp/asleep-sym-XXXXXX", sub[PATH_MAX], link[PATH_MAX + 200];
	const char *bid = own_build_id();
	struct symbolizer *s = symbolizer_new();
	struct dump *d = dump_for("/nonexistent/test_analyzer_symbolize", bid, NULL);
	struct sym_frame fr;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(sub, sizeof(sub), "%s/.build-id", dir);
	cr_assert_eq(mkdir(sub, 0700), 0);
	snprintf(sub, sizeof(sub), "%s/.build-id/%.2s", dir, bid);
	cr_assert_eq(mkdir(sub, 0700), 0);
	snprintf(link, sizeof(link), "%s/%s.debug", sub, bid + 2);
	cr_assert_eq(symlink(exe_path, link), 0);

	/* Without the debug dir: nothing. */
	symbolize_frame(s, d, &d->threads[0].stack.frames[0], &fr);
	cr_expect_eq(fr.n, 0);
	symbolizer_free(s);

	s = symbolizer_new();
	cr_assert_eq(symbolizer_set_debug_dir(s, dir), 0);
	symbolize_frame(s, d, &d->threads[0].stack.frames[0], &fr);
	cr_assert_geq(fr.n, 1);
	cr_expect_eq(fr.locs[0].line, marked_line);
	cr_expect_str_eq(fr.locs[fr.n - 1].function, "asleep_test_marked");
	cr_expect_eq(symbolize_module_source(s, d, 0), SYM_SOURCE_DEBUG_FILE);

	unlink(link);
	rmdir(sub);
	snprintf(sub, sizeof(sub), "%s/.build-id", dir);
	rmdir(sub);
	rmdir(dir);
	dump_free(d);
	symbolizer_free(s);
}

/* Off (NULL symbolizer): frames exactly as the dump has them. */
Test(symbolize, off, .init = setup)
{
	struct dump *d = dump_for(exe_path, own_build_id(), "from_dump+0x2");
	char *line = frame_line(NULL, d);

	cr_expect(strncmp(line, "from_dump+0x2 (test_analyzer_symbolize+0x", 41) == 0, "%s", line);
	free(line);
	dump_free(d);
}

Test(sym_path, cleaning)
{
	struct sym_strings pool = { 0 };

	cr_expect_str_eq(sym_clean_path(&pool, "/a/build/../src/x.c"), "/a/src/x.c");
	cr_expect_str_eq(sym_clean_path(&pool, "/a/./b//c.c"), "/a/b/c.c");
	cr_expect_str_eq(sym_clean_path(&pool, "../x/../../y.c"), "../../y.c");
	cr_expect_str_eq(sym_clean_path(&pool, "/../y.c"), "/y.c");
	cr_expect_str_eq(sym_clean_path(&pool, "plain/x.c"), "plain/x.c");
	cr_expect_null(sym_clean_path(&pool, NULL));
	cr_expect_str_eq(sym_join_path(&pool, "/repo/build", "../src/x.c"), "/repo/src/x.c");
	cr_expect_str_eq(sym_join_path(&pool, "./nptl", "nptl/p.c"), "nptl/p.c");
	cr_expect_str_eq(sym_join_path(&pool, "/repo", "/abs/x.c"), "/abs/x.c");
	sym_strings_free(&pool);
}

/* Module paths come from untrusted dumps: devices and FIFOs are never read. */
Test(symbolize, special_files_are_not_opened, .init = setup, .timeout = 20)
{
	char dir[] = "/tmp/asleep-sym-XXXXXX", fifo[64];
	struct symbolizer *s = symbolizer_new();
	struct sym_frame fr;
	struct dump *d;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	cr_assert_eq(mkfifo(fifo, 0600), 0);
	d = dump_for(fifo, NULL, NULL);
	symbolize_frame(s, d, &d->threads[0].stack.frames[0], &fr);
	cr_expect_eq(fr.n, 0);
	dump_free(d);
	d = dump_for("/dev/zero", NULL, NULL);
	symbolize_frame(s, d, &d->threads[0].stack.frames[0], &fr);
	cr_expect_eq(fr.n, 0);
	dump_free(d);
	unlink(fifo);
	rmdir(dir);
	symbolizer_free(s);
}
