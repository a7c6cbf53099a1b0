/* SPDX-License-Identifier: MIT */
/* Stack capture: the caller's return addresses, the shim's own frames
 * dropped. */
#define _GNU_SOURCE
#include "asl_stack.h"

#include <elf.h>
#include <execinfo.h>
#include <link.h>

static uintptr_t self_lo, self_hi; /* written once by the constructor, read-only after */

static int find_self(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	uintptr_t me = (uintptr_t)data;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		uintptr_t lo = info->dlpi_addr + ph->p_vaddr, hi = lo + ph->p_memsz;
		if (ph->p_type == PT_LOAD && (ph->p_flags & PF_X) && me >= lo && me < hi) {
			self_lo = lo;
			self_hi = hi;
			return 1;
		}
	}
	return 0;
}

void asl_stack_init(void)
{
	void *warm[4];
	dl_iterate_phdr(find_self, (void *)(uintptr_t)&asl_stack_init);
	/* glibc loads libgcc's unwinder on the first backtrace(): here, at
	 * start-up, rather than inside a hook. */
	backtrace(warm, 4);
}

/* backtrace() is libgcc's DWARF unwinder: it finds each frame's unwind
 * table through _dl_find_object (lock-free), takes no lock, allocates
 * nothing and keeps no per-thread state. */
int asl_stack_capture(uintptr_t *out, int max)
{
	void *raw[64];
	int n = backtrace(raw, 64);
	int k = 0;
	/* The shim's own frames (hooks, the thread trampoline) are noise. */
	for (int i = 0; i < n && k < max; i++)
		if ((uintptr_t)raw[i] < self_lo || (uintptr_t)raw[i] >= self_hi)
			out[k++] = (uintptr_t)raw[i];
	return k;
}
