/* SPDX-License-Identifier: MIT */
/* Symbolization with libdwfl, one Dwfl per module file (each reported at
 * bias 0, so a dump's module offset is the address to look up).  Modules
 * are opened once per (path, build-id) and every looked-up offset is
 * cached: a thousand dumps of one program, or a pool of alike threads,
 * cost one lookup per distinct frame. */
#define _GNU_SOURCE
#include "symbolize.h"

#include "asl_demangle.h"

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sym_path.h"

#define DEFAULT_DEBUG_DIR "/usr/lib/debug"

struct sym_cached {
	unsigned long long off; /* key + 1; 0 marks an empty slot */
	struct sym_frame fr;
};

struct sym_module {
	char *path;
	char *build_id; /* as in the dump; NULL when it had none */
	bool opened;    /* tried (dwfl may still be NULL) */
	Dwfl *dwfl;
	Dwfl_Module *mod;
	enum sym_source source;
	struct sym_cached *cache; /* open addressing, size a power of 2 */
	size_t cap, used;
};

struct symbolizer {
	struct sym_module *mods;
	size_t n, cap;
	char *debug_dir;
	struct sym_strings strings; /* cleaned-up file names */
};

struct symbolizer *symbolizer_new(void)
{
	struct symbolizer *s = calloc(1, sizeof(*s));

	if (s && !(s->debug_dir = strdup(DEFAULT_DEBUG_DIR))) {
		free(s);
		return NULL;
	}
	return s;
}

int symbolizer_set_debug_dir(struct symbolizer *s, const char *dir)
{
	char *copy = strdup(dir);

	if (!copy)
		return -1;
	free(s->debug_dir);
	s->debug_dir = copy;
	return 0;
}

void symbolizer_free(struct symbolizer *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->n; i++) {
		if (s->mods[i].dwfl)
			dwfl_end(s->mods[i].dwfl);
		free(s->mods[i].path);
		free(s->mods[i].build_id);
		free(s->mods[i].cache);
	}
	free(s->mods);
	sym_strings_free(&s->strings);
	free(s->debug_dir);
	free(s);
}

/* DIR/.build-id/xx/rest.debug for a hex build-id, or NULL. */
static char *debug_file_path(const char *debug_dir, const char *hex)
{
	char *path;

	if (!hex || strlen(hex) < 3)
		return NULL;
	if (asprintf(&path, "%s/.build-id/%.2s/%s.debug", debug_dir, hex, hex + 2) < 0)
		return NULL;
	return path;
}

/* Never look for module files elsewhere: the dump names them. */
static int no_find_elf(Dwfl_Module *mod, void **userdata, const char *modname, Dwarf_Addr base, char **file_name,
                       Elf **elfp)
{
	(void)mod, (void)userdata, (void)modname, (void)base, (void)file_name, (void)elfp;
	return -1;
}

/* Separate debug info by build-id only, under the symbolizer's debug dir
 * (the module's userdata).  Unlike dwfl_standard_find_debuginfo this never
 * asks a debuginfod server: reports stay offline and repeatable. */
static int find_debuginfo(Dwfl_Module *mod, void **userdata, const char *modname, Dwarf_Addr base,
                          const char *file_name, const char *debuglink_file, GElf_Word debuglink_crc,
                          char **debuginfo_file_name)
{
	const struct symbolizer *s = *userdata;
	const unsigned char *bits;
	GElf_Addr vaddr;
	char hex[2 * 64 + 1], *path;
	int len, i, fd;

	(void)modname, (void)base, (void)file_name, (void)debuglink_file, (void)debuglink_crc;
	len = dwfl_module_build_id(mod, &bits, &vaddr);
	if (len <= 1 || len > 64)
		return -1;
	for (i = 0; i < len; i++)
		snprintf(hex + 2 * i, 3, "%02x", bits[i]);
	path = debug_file_path(s->debug_dir, hex);
	if (!path)
		return -1;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		free(path);
		return -1;
	}
	*debuginfo_file_name = path;
	return fd;
}

static const Dwfl_Callbacks callbacks = {
	.find_elf = no_find_elf,
	.find_debuginfo = find_debuginfo,
	.section_address = dwfl_offline_section_address,
};

/* The file's build-id as lowercase hex equals want ("" or NULL: the file
 * must have none either). */
static bool build_id_matches(Dwfl_Module *mod, const char *want)
{
	const unsigned char *bits;
	GElf_Addr vaddr;
	int len = dwfl_module_build_id(mod, &bits, &vaddr), i;
	char two[3];

	if (len <= 0)
		return !want || !*want;
	if (!want || strlen(want) != 2 * (size_t)len)
		return false;
	for (i = 0; i < len; i++) {
		snprintf(two, sizeof(two), "%02x", bits[i]);
		if (memcmp(two, want + 2 * i, 2) != 0)
			return false;
	}
	return true;
}

/* Reports file in a fresh Dwfl if its build-id is the dump's. */
static bool try_open(struct symbolizer *s, struct sym_module *m, const char *file)
{
	void **userdata;
	struct stat st;

	/* Dumps are untrusted: a FIFO or device named as a module must not
	 * hang or feed the ELF reader. */
	if (stat(file, &st) != 0 || !S_ISREG(st.st_mode) || access(file, R_OK) != 0)
		return false;
	m->dwfl = dwfl_begin(&callbacks);
	if (!m->dwfl)
		return false;
	dwfl_report_begin(m->dwfl);
	m->mod = dwfl_report_elf(m->dwfl, path_basename(m->path), file, -1, 0, true);
	dwfl_report_end(m->dwfl, NULL, NULL);
	if (m->mod && build_id_matches(m->mod, m->build_id)) {
		dwfl_module_info(m->mod, &userdata, NULL, NULL, NULL, NULL, NULL, NULL);
		*userdata = s;
		return true;
	}
	dwfl_end(m->dwfl);
	m->dwfl = NULL;
	m->mod = NULL;
	return false;
}

static void open_module(struct symbolizer *s, struct sym_module *m)
{
	char *debug;

	m->opened = true;
	/* The module file itself (its separate debug info is found on demand);
	 * else, when it is gone or was rebuilt, the debug file alone. */
	if (m->path[0] == '/' && try_open(s, m, m->path)) {
		m->source = SYM_SOURCE_FILE;
		return;
	}
	debug = debug_file_path(s->debug_dir, m->build_id);
	if (debug && try_open(s, m, debug))
		m->source = SYM_SOURCE_DEBUG_FILE;
	free(debug);
}

static struct sym_module *find_module(struct symbolizer *s, const struct dump *d, long long index)
{
	const struct dump_module *dm;
	const char *bid;
	struct sym_module *m;
	size_t i;

	if (index < 0 || (size_t)index >= d->n_modules)
		return NULL;
	dm = &d->modules[index];
	bid = dm->build_id && *dm->build_id ? dm->build_id : NULL;
	for (i = 0; i < s->n; i++) {
		m = &s->mods[i];
		if (strcmp(m->path, dm->path) == 0 &&
		    (m->build_id == bid || (m->build_id && bid && strcmp(m->build_id, bid) == 0)))
			return m;
	}
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 16;
		m = realloc(s->mods, cap * sizeof(*m));
		if (!m)
			return NULL;
		s->mods = m;
		s->cap = cap;
	}
	m = &s->mods[s->n];
	memset(m, 0, sizeof(*m));
	m->path = strdup(dm->path);
	m->build_id = bid ? strdup(bid) : NULL;
	if (!m->path || (bid && !m->build_id)) {
		free(m->path);
		free(m->build_id);
		return NULL;
	}
	s->n++;
	return m;
}

/* DW_AT_name, following abstract origins (inlined copies carry none). */
static const char *die_name(Dwarf_Die *die)
{
	Dwarf_Attribute attr;

	return dwarf_formstring(dwarf_attr_integrate(die, DW_AT_name, &attr));
}

static bool is_function_scope(Dwarf_Die *die)
{
	int tag = dwarf_tag(die);

	return tag == DW_TAG_subprogram || tag == DW_TAG_inlined_subroutine;
}

/* The file an inlined call was made from, by its DW_AT_call_file index. */
static const char *call_file(Dwarf_Die *cudie, Dwarf_Die *inlined)
{
	Dwarf_Attribute attr;
	Dwarf_Files *files;
	Dwarf_Word idx;
	size_t nfiles;

	if (dwarf_formudata(dwarf_attr(inlined, DW_AT_call_file, &attr), &idx) != 0 ||
	    dwarf_getsrcfiles(cudie, &files, &nfiles) != 0 || idx >= nfiles)
		return NULL;
	return dwarf_filesrc(files, idx, NULL, NULL);
}

static const char *comp_dir(Dwarf_Die *cudie)
{
	Dwarf_Attribute attr;

	return dwarf_formstring(dwarf_attr(cudie, DW_AT_comp_dir, &attr));
}

static int call_line(Dwarf_Die *inlined)
{
	Dwarf_Attribute attr;
	Dwarf_Word line;

	if (dwarf_formudata(dwarf_attr(inlined, DW_AT_call_line, &attr), &line) != 0)
		return 0;
	return (int)line;
}

/* Innermost scope first: each inlined call's site is a line in the
 * function around it. */
static void inline_chain(struct symbolizer *s, struct sym_module *m, Dwarf_Addr addr, struct sym_frame *fr)
{
	Dwarf_Die *cudie, *scopes = NULL, *fn[SYM_MAX_INLINE];
	Dwarf_Addr bias;
	size_t nfn = 0, i;
	int n, k;

	cudie = dwfl_module_addrdie(m->mod, addr, &bias);
	if (!cudie)
		return;
	n = dwarf_getscopes(cudie, addr - bias, &scopes);
	for (k = 0; k < n && nfn < SYM_MAX_INLINE; k++) {
		if (!is_function_scope(&scopes[k]))
			continue;
		fn[nfn++] = &scopes[k];
		if (dwarf_tag(&scopes[k]) == DW_TAG_subprogram)
			break;
	}
	if (nfn == 0) {
		free(scopes);
		return;
	}
	/* locs[0] keeps the line table's file and line. */
	fr->locs[0].function = die_name(fn[0]);
	for (i = 1; i < nfn; i++) {
		fr->locs[i].function = die_name(fn[i]);
		fr->locs[i].file = sym_join_path(&s->strings, comp_dir(cudie), call_file(cudie, fn[i - 1]));
		fr->locs[i].line = call_line(fn[i - 1]);
	}
	fr->n = nfn;
	free(scopes);
}

static void lookup(struct symbolizer *s, struct sym_module *m, unsigned long long off, struct sym_frame *fr)
{
	/* A return address: the call is the byte before it. */
	Dwarf_Addr addr = off ? off - 1 : 0;
	const char *symname, *file = NULL;
	Dwfl_Line *line;
	GElf_Off symoff;
	GElf_Sym sym;
	int lineno = 0;

	memset(fr, 0, sizeof(*fr));
	symname = dwfl_module_addrinfo(m->mod, addr, &symoff, &sym, NULL, NULL, NULL);
	line = dwfl_module_getsrc(m->mod, addr);
	if (line)
		file = dwfl_lineinfo(line, NULL, &lineno, NULL, NULL, NULL);
	fr->locs[0].file = sym_join_path(&s->strings, line ? dwfl_line_comp_dir(line) : NULL, file);
	fr->locs[0].line = file ? lineno : 0;
	inline_chain(s, m, addr, fr);
	if (fr->n == 0 && (symname || file))
		fr->n = 1;
	/* The ELF symbol names the real function, qualified, when it is C++
	 * (demangled) or when DWARF has no name. */
	if (fr->n && symname && symname[0] == '_' && symname[1] == 'Z') {
		char buf[1024];
		fr->locs[fr->n - 1].function =
		        sym_keep(&s->strings, asl_demangle(__cxa_demangle, symname, buf, sizeof buf));
	} else if (fr->n && !fr->locs[fr->n - 1].function) {
		fr->locs[fr->n - 1].function = symname;
	}
}

static size_t slot_of(unsigned long long key, size_t cap)
{
	return (size_t)((key * 0x9e3779b97f4a7c15ull) >> 17) & (cap - 1);
}

/* The cache slot for off, grown as needed; NULL when out of memory. */
static struct sym_cached *cache_slot(struct sym_module *m, unsigned long long off, bool *found)
{
	unsigned long long key = off + 1;
	size_t i;

	if (2 * (m->used + 1) > m->cap) {
		size_t cap = m->cap ? 2 * m->cap : 256, j;
		struct sym_cached *c = calloc(cap, sizeof(*c));
		if (!c)
			return NULL;
		for (j = 0; j < m->cap; j++) {
			if (!m->cache[j].off)
				continue;
			for (i = slot_of(m->cache[j].off, cap); c[i].off; i = (i + 1) & (cap - 1))
				;
			c[i] = m->cache[j];
		}
		free(m->cache);
		m->cache = c;
		m->cap = cap;
	}
	for (i = slot_of(key, m->cap); m->cache[i].off; i = (i + 1) & (m->cap - 1)) {
		if (m->cache[i].off == key) {
			*found = true;
			return &m->cache[i];
		}
	}
	*found = false;
	m->cache[i].off = key;
	m->used++;
	return &m->cache[i];
}

void symbolize_frame(struct symbolizer *s, const struct dump *d, const struct dump_frame *f, struct sym_frame *out)
{
	struct sym_module *m;
	struct sym_cached *c;
	unsigned long long off;
	bool found;

	out->n = 0;
	if (!s || !f->offset || !(m = find_module(s, d, f->module)))
		return;
	if (!m->opened)
		open_module(s, m);
	if (!m->dwfl)
		return;
	off = strtoull(f->offset, NULL, 16);
	c = cache_slot(m, off, &found);
	if (!c) {
		lookup(s, m, off, out);
		return;
	}
	if (!found)
		lookup(s, m, off, &c->fr);
	*out = c->fr;
}

enum sym_source symbolize_module_source(struct symbolizer *s, const struct dump *d, long long module)
{
	struct sym_module *m = s ? find_module(s, d, module) : NULL;

	if (!m)
		return SYM_SOURCE_NONE;
	if (!m->opened)
		open_module(s, m);
	return m->dwfl ? m->source : SYM_SOURCE_NONE;
}
