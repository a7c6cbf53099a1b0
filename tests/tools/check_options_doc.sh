#!/bin/sh
# SPDX-License-Identifier: MIT
# check_options_doc.sh GENERATOR README: the README's options table (between
# <!-- options:begin --> and <!-- options:end -->) is exactly what GENERATOR
# prints from the shim's option table.  On a mismatch prints the diff and
# how to fix it (paste the generator's output).
gen=$1
readme=$2
want=$(mktemp) && have=$(mktemp) || exit 1
trap 'rm -f "$want" "$have"' EXIT
"$gen" >"$want" || exit 1
sed -n '/<!-- options:begin -->/,/<!-- options:end -->/p' "$readme" | sed '1d;$d' >"$have"
if ! diff -u "$have" "$want"; then
    echo "README's options table is out of date: replace it with the output of $gen"
    exit 1
fi
