/* Stacks: raw return addresses captured on slow paths only, plus the module
 * map (path, load base, build-id) so that the analyzer can symbolize offline.
 * Function names here are best effort, for the stderr report. */
#ifndef ASL_STACK_H
#define ASL_STACK_H

#include <stddef.h>
#include <stdint.h>

/* Fills out[] with the caller's return addresses, frames inside the shim
 * dropped.  Returns the depth. */
int asl_stack_capture(uintptr_t *out, int max);

struct asl_module {
	char path[512];
	uintptr_t base;          /* dlpi_addr: symbol values and offsets are relative to it */
	uintptr_t lo, hi;        /* extent of its loaded segments */
	char build_id[41];       /* hex, empty when the module has none */
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

/* "name+0x1c" for addr, from the module's .symtab (or .dynsym, or dladdr).
 * Returns 0 and writes an empty string when nothing is known. */
int asl_symbolize(const struct asl_modules *ms, uintptr_t addr, char *buf, size_t len);

/* Marks [lo, hi) as the shim's own code (frames dropped from captures). */
void asl_stack_init(void);

/* fork handlers: no thread may be inside dl_iterate_phdr when the child is
 * made. */
void asl_stack_fork_prepare(void);
void asl_stack_fork_done(void);

#endif
