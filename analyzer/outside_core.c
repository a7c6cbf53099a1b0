/* SPDX-License-Identifier: MIT */
/* core FILE [EXE]: the threads (NT_PRSTATUS: tid and registers), the
 * program's name (NT_PRPSINFO) and its memory (PT_LOAD segments) from the
 * core, the stacks from libdwfl.  A core says nothing of /proc: which
 * threads slept is read from the registers (a system call interrupted by
 * the dump), and what no core holds (fds, other processes, signal
 * handlers) counts as unknown: such waits never make a verdict. */
#define _GNU_SOURCE
#include "outside.h"

#include <elfutils/libdwelf.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* x86_64's elf_prstatus and elf_prpsinfo, as the kernel writes them. */
#define PRSTATUS_PID 32
#define PRSTATUS_REGS 112
#define PRPSINFO_FNAME 40
enum { R_R10 = 7, R_R9 = 8, R_R8 = 9, R_RAX = 10, R_RDX = 12, R_RSI = 13, R_RDI = 14, R_ORIG_RAX = 15, R_FS_BASE = 21 };

struct core {
	Elf *elf;
	int fd;
};

static int core_read(const struct ext_proc *p, uintptr_t addr, void *buf, size_t len)
{
	const struct core *c = p->impl;
	size_t n;
	if (elf_getphdrnum(c->elf, &n) != 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		GElf_Phdr ph;
		if (!gelf_getphdr(c->elf, (int)i, &ph) || ph.p_type != PT_LOAD)
			continue;
		if (addr >= ph.p_vaddr && addr + len <= ph.p_vaddr + ph.p_filesz)
			return pread(c->fd, buf, len, (off_t)(ph.p_offset + (addr - ph.p_vaddr))) == (ssize_t)len ? 0
			                                                                                          : -1;
	}
	return -1; /* not in the core */
}

static int add_thread(struct ext_proc *p, const unsigned char *desc, size_t len)
{
	if (len < PRSTATUS_REGS + 27 * 8)
		return 0;
	struct ext_thread *m = realloc(p->t, (p->n + 1) * sizeof *p->t);
	if (!m)
		return -1;
	p->t = m;
	struct ext_thread *t = &p->t[p->n++];
	uint64_t r[27];
	int32_t tid;
	memset(t, 0, sizeof *t);
	memcpy(&tid, desc + PRSTATUS_PID, sizeof tid);
	memcpy(r, desc + PRSTATUS_REGS, sizeof r);
	t->tid = tid;
	t->state = '?';
	t->fs_base = r[R_FS_BASE];
	t->nr = (long)r[R_ORIG_RAX];
	t->in_syscall = outside_syscall_regs((long)r[R_ORIG_RAX], (long)r[R_RAX]);
	unsigned long args[6] = { r[R_RDI], r[R_RSI], r[R_RDX], r[R_R10], r[R_R8], r[R_R9] };
	memcpy(t->args, args, sizeof args);
	return 0;
}

static int read_notes(struct ext_proc *p, Elf *elf)
{
	size_t n;
	char name[16] = "";
	if (elf_getphdrnum(elf, &n) != 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		GElf_Phdr ph;
		if (!gelf_getphdr(elf, (int)i, &ph) || ph.p_type != PT_NOTE)
			continue;
		Elf_Data *data = elf_getdata_rawchunk(elf, ph.p_offset, ph.p_filesz, ELF_T_NHDR);
		GElf_Nhdr nh;
		size_t off = 0, name_off, desc_off;
		while (data && (off = gelf_getnote(data, off, &nh, &name_off, &desc_off)) > 0) {
			const unsigned char *desc = (const unsigned char *)data->d_buf + desc_off;
			if (nh.n_type == NT_PRSTATUS && add_thread(p, desc, nh.n_descsz) != 0)
				return -1;
			if (nh.n_type == NT_PRPSINFO && nh.n_descsz >= PRPSINFO_FNAME + 16)
				memcpy(name, desc + PRPSINFO_FNAME, 15);
		}
	}
	for (size_t i = 0; i < p->n; i++)
		snprintf(p->t[i].name, sizeof p->t[i].name, "%s", name);
	if (p->n)
		p->pid = p->t[0].tid; /* the kernel and gcore write the main thread first */
	return 0;
}

static const Dwfl_Callbacks core_callbacks = {
	.find_elf = dwfl_build_id_find_elf,
	.find_debuginfo = dwfl_standard_find_debuginfo,
};

int outside_core(const char *path, const char *exe, const char *dump_dir, bool symbolize, FILE *out)
{
	struct ext_proc p = { .live = false, .source = "core", .read = core_read };
	struct core c = { NULL, -1 };
	int rc = 3;
	elf_version(EV_CURRENT);
	c.fd = open(path, O_RDONLY | O_CLOEXEC);
	if (c.fd < 0) {
		fprintf(stderr, "asleep-analyze: core %s: cannot open it: %m\n", path);
		return 3;
	}
	c.elf = elf_begin(c.fd, ELF_C_READ_MMAP, NULL);
	GElf_Ehdr eh;
	if (!c.elf || !gelf_getehdr(c.elf, &eh) || eh.e_type != ET_CORE || eh.e_machine != EM_X86_64) {
		fprintf(stderr, "asleep-analyze: core %s: not an x86_64 core file\n", path);
		goto out;
	}
	p.impl = &c;
	if (read_notes(&p, c.elf) != 0 || p.n == 0) {
		fprintf(stderr, "asleep-analyze: core %s: no threads in its notes\n", path);
		goto out;
	}
	snprintf(p.exe, sizeof p.exe, "%s", exe ? exe : p.t[0].name);
	p.dwfl = dwfl_begin(&core_callbacks);
	if (!p.dwfl || dwfl_core_file_report(p.dwfl, c.elf, exe) < 0 || dwfl_report_end(p.dwfl, NULL, NULL) != 0 ||
	    dwfl_core_file_attach(p.dwfl, c.elf) < 0) {
		fprintf(stderr, "asleep-analyze: core %s: cannot read its modules: %s\n", path, dwfl_errmsg(-1));
		goto out;
	}
	for (size_t i = 0; i < p.n; i++)
		dwfl_getthread_frames(p.dwfl, p.t[i].tid, outside_frame_cb, &p.t[i]);
	rc = outside_judge(&p, dump_dir, symbolize, out, NULL, NULL);
out:
	if (p.dwfl)
		dwfl_end(p.dwfl);
	if (c.elf)
		elf_end(c.elf);
	close(c.fd);
	free(p.t);
	return rc;
}
