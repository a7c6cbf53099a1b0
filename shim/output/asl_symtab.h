/* SPDX-License-Identifier: MIT */
/* Function names from a module's ELF symbol table, read from its file on
 * disk (mapped once and cached).  Report paths only. */
#ifndef ASL_SYMTAB_H
#define ASL_SYMTAB_H

#include <stddef.h>
#include <stdint.h>

/* off: address relative to the module's load base.  Writes "name+0xN";
 * returns 0 when a function symbol contains off. */
int asl_symtab_lookup(const char *path, uintptr_t off, char *buf, size_t len);

/* fork: nobody may be inside the cache when the child is made. */
void asl_symtab_fork_prepare(void);
void asl_symtab_fork_done(void);

#endif
