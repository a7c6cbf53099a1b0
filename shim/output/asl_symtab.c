/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "asl_symtab.h"

#include "asl_forklock.h"
#include "asl_sys.h"

#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define CACHE_MAX 64

struct elf_file {
	char path[512];
	const unsigned char *map; /* NULL: unreadable, do not retry */
	size_t size;
	const ElfW(Sym) * syms;
	size_t nsyms;
	const char *strs;
	size_t strsz;
};

/* Guarded by sym_lock, held across open/fstat/mmap and the table search
 * (no allocation).  Entries are never evicted: a mapped file stays mapped. */
static struct asl_forklock sym_lock = ASL_FORKLOCK_INIT;
static __thread struct asl_forklock_tls symbolizing __attribute__((tls_model("initial-exec")));
static struct elf_file cache[CACHE_MAX]; /* guarded by sym_lock */
static int ncache;                       /* guarded by sym_lock */

void asl_symtab_fork_prepare(void)
{
	asl_forklock_prepare(&sym_lock, &symbolizing);
}

void asl_symtab_fork_done(void)
{
	asl_forklock_done(&sym_lock, &symbolizing);
}

static int in_file(const struct elf_file *f, size_t off, size_t len)
{
	return off <= f->size && len <= f->size - off;
}

/* Picks .symtab when present (static functions too), else .dynsym. */
static void find_symbols(struct elf_file *f)
{
	const ElfW(Ehdr) *eh = (const ElfW(Ehdr) *)f->map;
	if (f->size < sizeof *eh || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 ||
	    eh->e_shentsize != sizeof(ElfW(Shdr)) || !in_file(f, eh->e_shoff, (size_t)eh->e_shnum * sizeof(ElfW(Shdr))))
		return;
	const ElfW(Shdr) *sh = (const ElfW(Shdr) *)(f->map + eh->e_shoff);
	for (int pass = 0; pass < 2 && !f->syms; pass++) {
		unsigned want = pass == 0 ? SHT_SYMTAB : SHT_DYNSYM;
		for (int i = 0; i < eh->e_shnum; i++) {
			if (sh[i].sh_type != want || sh[i].sh_link >= eh->e_shnum)
				continue;
			const ElfW(Shdr) *str = &sh[sh[i].sh_link];
			if (!in_file(f, sh[i].sh_offset, sh[i].sh_size) || !in_file(f, str->sh_offset, str->sh_size))
				continue;
			f->syms = (const ElfW(Sym) *)(f->map + sh[i].sh_offset);
			f->nsyms = sh[i].sh_size / sizeof(ElfW(Sym));
			f->strs = (const char *)f->map + str->sh_offset;
			f->strsz = str->sh_size;
			break;
		}
	}
}

static struct elf_file *open_elf(const char *path)
{
	for (int i = 0; i < ncache; i++)
		if (strcmp(cache[i].path, path) == 0)
			return &cache[i];
	if (ncache == CACHE_MAX)
		return NULL;
	struct elf_file *f = &cache[ncache++];
	memset(f, 0, sizeof *f);
	snprintf(f->path, sizeof f->path, "%s", path);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0)
		return f;
	if (fstat(fd, &st) == 0 && st.st_size > 0) {
		void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (m != MAP_FAILED) {
			f->map = m;
			f->size = (size_t)st.st_size;
			find_symbols(f);
		}
	}
	asl_sys_close(fd);
	return f;
}

static int lookup(const char *path, uintptr_t off, char *buf, size_t len)
{
	struct elf_file *f = open_elf(path);
	const ElfW(Sym) *best = NULL;
	if (!f || !f->syms || off == 0)
		return -1;
	/* A return address may sit just past its function's last byte. */
	uintptr_t pc = off - 1;
	for (size_t i = 0; i < f->nsyms; i++) {
		const ElfW(Sym) *s = &f->syms[i];
		if (ELF64_ST_TYPE(s->st_info) != STT_FUNC || s->st_shndx == SHN_UNDEF || s->st_name >= f->strsz)
			continue;
		if (pc >= s->st_value && pc < s->st_value + (s->st_size ? s->st_size : 1))
			if (!best || s->st_value > best->st_value)
				best = s;
	}
	if (!best)
		return -1;
	snprintf(buf, len, "%.*s+0x%lx", (int)strnlen(f->strs + best->st_name, f->strsz - best->st_name),
	         f->strs + best->st_name, (unsigned long)(off - best->st_value));
	return 0;
}

int asl_symtab_lookup(const char *path, uintptr_t off, char *buf, size_t len)
{
	asl_forklock_enter(&sym_lock, &symbolizing);
	int r = lookup(path, off, buf, len);
	asl_forklock_leave(&sym_lock, &symbolizing);
	return r;
}
