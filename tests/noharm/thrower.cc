/* SPDX-License-Identifier: MIT */
// A C++ library that throws and catches: dlopened by dlopen_throw.c. Under
// the shim, the program's own unwinder (libgcc's) must stay the one that runs.
#include <stdexcept>

extern "C" int thrower(int n)
{
    try {
        if (n >= 0)
            throw std::runtime_error("thrown");
    } catch (const std::exception &) {
        return 1;
    }
    return 0;
}
