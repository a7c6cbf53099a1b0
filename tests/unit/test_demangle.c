/* SPDX-License-Identifier: MIT */
/* asl_demangle: C++ names readable, offsets kept, everything else as is. */
#include "asl_demangle.h"

#include <criterion/criterion.h>
#include <string.h>

Test(demangle, cxx_name_with_offset)
{
	char buf[256];
	cr_assert_str_eq(asl_demangle(__cxa_demangle, "_ZNSt6thread4joinEv+0x17", buf, sizeof buf),
	                 "std::thread::join()+0x17");
	cr_assert_str_eq(asl_demangle(__cxa_demangle, "_ZNSt6thread4joinEv", buf, sizeof buf), "std::thread::join()");
}

Test(demangle, c_names_and_garbage_unchanged)
{
	char buf[256];
	cr_assert_str_eq(asl_demangle(__cxa_demangle, "main+0x4", buf, sizeof buf), "main+0x4");
	cr_assert_str_eq(asl_demangle(__cxa_demangle, "_Z", buf, sizeof buf), "_Z");
	cr_assert_str_eq(asl_demangle(__cxa_demangle, "_Zgarbage!+0x1", buf, sizeof buf), "_Zgarbage!+0x1");
	cr_assert_str_eq(asl_demangle(__cxa_demangle, "", buf, sizeof buf), "");
}

/* A C program has no demangler: names stay mangled. */
Test(demangle, no_demangler)
{
	char buf[256];
	cr_assert_str_eq(asl_demangle(NULL, "_ZNSt6thread4joinEv+0x17", buf, sizeof buf), "_ZNSt6thread4joinEv+0x17");
}

Test(demangle, truncates_to_the_buffer)
{
	char buf[8];
	asl_demangle(__cxa_demangle, "_ZNSt6thread4joinEv+0x17", buf, sizeof buf);
	cr_assert_str_eq(buf, "std::th");
	char big[2048];
	memset(big, 'x', sizeof big - 1);
	big[0] = '_', big[1] = 'Z', big[sizeof big - 1] = '\0';
	char out[64];
	asl_demangle(__cxa_demangle, big, out, sizeof out);
	cr_assert_eq(strlen(out), sizeof out - 1);
}
