#!/bin/sh
# SPDX-License-Identifier: MIT
# check_exports.sh SHIM REAL_H: the shim adds nothing to a program's symbol
# scope but its interposers (every function of the real-function table in
# REAL_H) and its documented entry points (asleep_shim_*), and it needs no
# library but libc.  Prints what differs; exit 0 when nothing does.
shim=$1
real_h=$2
want=$(mktemp) && have=$(mktemp) || exit 1
trap 'rm -f "$want" "$have"' EXIT
{
    sed -n 's/^[[:space:]]*X([^,]*,[[:space:]]*\([A-Za-z_0-9]*\),.*/\1/p' "$real_h"
    printf '%s\n' asleep_shim_snapshot asleep_shim_snapshot_free asleep_shim_verify_none
} | sort -u >"$want"
nm -D --defined-only "$shim" | awk '{print $3}' | sort -u >"$have"
status=0
if ! diff -u "$want" "$have"; then
    echo "the shim's exported symbols differ from its interposers (- missing, + extra)"
    status=1
fi
needed=$(readelf -d "$shim" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')
if [ "$needed" != "libc.so.6 " ]; then
    echo "the shim needs more than libc: $needed"
    status=1
fi
exit $status
