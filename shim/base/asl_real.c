/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "asl_real.h"

#include <dlfcn.h>
#include <string.h>
#include <unistd.h>

struct asl_real_table asl_real; /* written by the constructor (or the first hook before it); read-only after */
int asl_real_mutex_is_glibc;

/* fn is defined in libc.so.6 itself. */
static int in_glibc(void *fn)
{
	Dl_info di;
	if (!fn || !dladdr(fn, &di) || !di.dli_fname)
		return 0;
	const char *base = strrchr(di.dli_fname, '/');
	return strncmp(base ? base + 1 : di.dli_fname, "libc.so.", 8) == 0;
}

static void *asl_lookup(const char *name, const char *version)
{
	void *p = version ? dlvsym(RTLD_NEXT, name, version) : NULL;
	return p ? p : dlsym(RTLD_NEXT, name);
}

void asl_real_resolve(void)
{
	static const char missing[] = "asleep: cannot resolve a libc symbol; the shim is disabled\n";
#define ASL_RESOLVE(ret, name, params, ver) asl_real.name = (ret(*) params)asl_lookup(#name, ver);
	ASL_REAL_FUNCS(ASL_RESOLVE)
#undef ASL_RESOLVE
	asl_real_mutex_is_glibc =
	        in_glibc((void *)asl_real.pthread_mutex_lock) && in_glibc((void *)asl_real.pthread_mutex_unlock);
	/* Without the core entry points nothing can work; say so once. */
	if ((!asl_real.pthread_create || !asl_real.pthread_mutex_lock || !asl_real._exit) && asl_real.write) {
		ssize_t r = asl_real.write(2, missing, sizeof missing - 1);
		(void)r;
	}
}
