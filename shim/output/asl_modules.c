/* SPDX-License-Identifier: MIT */
/* The module map: every loaded object's path, load base, extent and
 * build-id, for dumps (offline symbolization) and in-process names. */
#define _GNU_SOURCE
#include "asl_modules.h"

#include "asl_demangle.h"
#include "asl_forklock.h"
#include "asl_symtab.h"

#include <dlfcn.h>
#include <elf.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Walking the module list takes the loader's lock, which fork does not
 * reset in the child; fork waits (prepare handler) until nobody walks.
 * Held across dl_iterate_phdr only, whose callbacks here never allocate. */
static struct asl_forklock walk_lock = ASL_FORKLOCK_INIT;
static __thread struct asl_forklock_tls walking __attribute__((tls_model("initial-exec")));

void asl_modules_fork_prepare(void)
{
	asl_forklock_prepare(&walk_lock, &walking);
}

void asl_modules_fork_done(void)
{
	asl_forklock_done(&walk_lock, &walking);
}

static void hex_build_id(const ElfW(Nhdr) * nh, char *out)
{
	const unsigned char *desc = (const unsigned char *)(nh + 1) + ((nh->n_namesz + 3) & ~3u);
	unsigned len = nh->n_descsz > 20 ? 20 : nh->n_descsz;
	for (unsigned i = 0; i < len; i++)
		sprintf(out + 2 * i, "%02x", desc[i]);
	out[2 * len] = '\0';
}

static void read_build_id(struct dl_phdr_info *info, char *out)
{
	out[0] = '\0';
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type != PT_NOTE)
			continue;
		const char *p = (const char *)(info->dlpi_addr + ph->p_vaddr), *end = p + ph->p_memsz;
		while (p + sizeof(ElfW(Nhdr)) <= end) {
			const ElfW(Nhdr) *nh = (const ElfW(Nhdr) *)p;
			size_t step = sizeof *nh + ((nh->n_namesz + 3) & ~3u) + ((nh->n_descsz + 3) & ~3u);
			if (nh->n_type == NT_GNU_BUILD_ID && nh->n_namesz == 4 && memcmp(nh + 1, "GNU", 4) == 0 &&
			    p + step <= end) {
				hex_build_id(nh, out);
				return;
			}
			p += step;
		}
	}
}

/* dl_iterate_phdr's callback: fills the next slot, or only counts once the
 * array is full (the caller then grows it and walks again).  No allocation
 * here: the loader's lock is held. */
static int collect_one(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	struct asl_modules *ms = data;
	uintptr_t lo = UINTPTR_MAX, hi = 0;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type != PT_LOAD)
			continue;
		uintptr_t a = info->dlpi_addr + ph->p_vaddr;
		if (a < lo)
			lo = a;
		if (a + ph->p_memsz > hi)
			hi = a + ph->p_memsz;
	}
	if (hi == 0)
		return 0;
	if (ms->n++ >= ms->cap)
		return 0;
	struct asl_module *m = &ms->m[ms->n - 1];
	memset(m, 0, sizeof *m);
	const char *name = info->dlpi_name;
	if (!name || !name[0]) {
		/* The main program has no name here. */
		ssize_t r = readlink("/proc/self/exe", m->path, sizeof m->path - 1);
		m->path[r > 0 ? r : 0] = '\0';
	} else {
		snprintf(m->path, sizeof m->path, "%s", name);
	}
	m->base = info->dlpi_addr;
	m->lo = lo;
	m->hi = hi;
	read_build_id(info, m->build_id);
	return 0;
}

void asl_modules_collect(struct asl_modules *ms)
{
	int cap = 64;
	ms->n = 0;
	ms->m = NULL;
	for (int tries = 0; tries < 4; tries++) {
		struct asl_module *m = malloc((size_t)cap * sizeof *m);
		if (!m)
			return;
		struct asl_modules walk = { 0, cap, m };
		asl_forklock_enter(&walk_lock, &walking);
		dl_iterate_phdr(collect_one, &walk);
		asl_forklock_leave(&walk_lock, &walking);
		if (walk.n <= cap) {
			*ms = walk;
			return;
		}
		free(m);
		cap = walk.n + 16; /* modules were loaded meanwhile: room to spare */
	}
}

void asl_modules_free(struct asl_modules *ms)
{
	free(ms->m);
	ms->m = NULL;
	ms->n = 0;
}

int asl_module_index(const struct asl_modules *ms, uintptr_t addr)
{
	for (int i = 0; i < ms->n; i++)
		if (addr >= ms->m[i].lo && addr < ms->m[i].hi)
			return i;
	return -1;
}

/* libstdc++'s demangler, when the program has it (a C++ program does); it
 * allocates, so only report paths call it. */
static asl_cxa_demangle_fn demangler(void)
{
	static asl_cxa_demangle_fn fn;
	static int looked;
	if (!__atomic_load_n(&looked, __ATOMIC_ACQUIRE)) {
		fn = (asl_cxa_demangle_fn)dlsym(RTLD_DEFAULT, "__cxa_demangle");
		__atomic_store_n(&looked, 1, __ATOMIC_RELEASE);
	}
	return fn;
}

static int raw_symbolize(const struct asl_modules *ms, uintptr_t addr, char *buf, size_t len)
{
	int i = asl_module_index(ms, addr);
	buf[0] = '\0';
	if (i >= 0 && asl_symtab_lookup(ms->m[i].path, addr - ms->m[i].base, buf, len) == 0)
		return 0;
	Dl_info di;
	if (dladdr((void *)addr, &di) && di.dli_sname) {
		snprintf(buf, len, "%s+0x%lx", di.dli_sname, (unsigned long)(addr - (uintptr_t)di.dli_saddr));
		return 0;
	}
	return -1;
}

int asl_symbolize(const struct asl_modules *ms, uintptr_t addr, char *buf, size_t len)
{
	char raw[1024];
	if (raw_symbolize(ms, addr, raw, sizeof raw) != 0) {
		buf[0] = '\0';
		return -1;
	}
	asl_demangle(demangler(), raw, buf, len);
	return 0;
}
