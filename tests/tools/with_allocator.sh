#!/bin/sh
# SPDX-License-Identifier: MIT
# with_allocator.sh SONAME PROGRAM [ARGS...]: runs PROGRAM when the allocator
# library SONAME can be loaded, else exits 77 (meson's "skipped").
# The allocator itself is put into LD_PRELOAD by the caller (ASLEEP_TEST_SHIM).
soname=$1
shift
if ! ldconfig -p 2>/dev/null | grep -q "^[[:space:]]*$soname "; then
    echo "skipped: $soname is not installed (scripts/setup installs it)"
    exit 77
fi
exec "$@"
