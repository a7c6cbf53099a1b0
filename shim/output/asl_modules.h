/* SPDX-License-Identifier: MIT */
/* The module map (path, load base, build-id of every loaded object) so that
 * the analyzer can symbolize offline; function names here are best effort,
 * for the stderr report. */
#ifndef ASL_MODULES_H
#define ASL_MODULES_H

#include <stddef.h>
#include <stdint.h>

struct asl_module {
	char path[512];
	uintptr_t base;    /* dlpi_addr: symbol values and offsets are relative to it */
	uintptr_t lo, hi;  /* extent of its loaded segments */
	char build_id[41]; /* hex, empty when the module has none */
};

struct asl_modules {
	int n;
	int cap; /* room in m[] */
	struct asl_module *m;
};

/* Allocates; free with asl_modules_free. */
void asl_modules_collect(struct asl_modules *ms);
void asl_modules_free(struct asl_modules *ms);
int asl_module_index(const struct asl_modules *ms, uintptr_t addr);

/* "name+0x1c" for addr, from the module's .symtab (or .dynsym, or dladdr),
 * C++ names demangled when the program has libstdc++'s demangler.  Returns
 * 0; -1 with an empty string when nothing is known. */
int asl_symbolize(const struct asl_modules *ms, uintptr_t addr, char *buf, size_t len);

/* fork handlers: no thread may be inside dl_iterate_phdr when the child is
 * made. */
void asl_modules_fork_prepare(void);
void asl_modules_fork_done(void);

#endif
