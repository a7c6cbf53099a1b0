/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "asl_invariant.h"

#include "asl_real.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef ASL_CHECKED
void asl_check_failed(const char *what)
{
	static const char pre[] = "asleep: internal check failed: ";
	ssize_t r = REAL(write)(2, pre, sizeof pre - 1);
	r = REAL(write)(2, what, strlen(what));
	r = REAL(write)(2, "\n", 1);
	(void)r;
	abort();
}
#endif
