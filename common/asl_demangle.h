/* SPDX-License-Identifier: MIT */
/* C++ names people can read: "_ZNSt6thread4joinEv+0x17" becomes
 * "std::thread::join()+0x17".  The demangler is libstdc++'s __cxa_demangle,
 * which the caller supplies: the analyzer links it, the shim finds it in the
 * program when the program is C++ (and leaves names as they are otherwise). */
#ifndef ASL_DEMANGLE_H
#define ASL_DEMANGLE_H

#include <stddef.h>

typedef char *(*asl_cxa_demangle_fn)(const char *mangled, char *out, size_t *len, int *status);

/* libstdc++'s, for programs linked with it (the analyzer). */
char *__cxa_demangle(const char *mangled, char *out, size_t *len, int *status);

/* Writes name demangled into buf ("+0x.." offsets kept), or name itself when
 * it is not a mangled C++ name or demangle is NULL.  Returns buf. */
const char *asl_demangle(asl_cxa_demangle_fn demangle, const char *name, char *buf, size_t len);

#endif
