#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Replays inputs with tests/fuzz/replay and, given a golden file, compares the outcome lines.
# Usage: check_replay.sh REPLAY_BIN INPUT_DIR [EXPECTED]
# Exit 0 when replay succeeded (no crash, no sanitizer report) and matched EXPECTED if given.
set -u
bin=$1 dir=$2 expected=${3:-}
out=$(mktemp) || exit 1
trap 'rm -f -- "$out"' EXIT
"$bin" "$dir" >"$out" || { echo "replay of $dir failed (exit $?)"; exit 1; }
if [ -n "$expected" ]; then
    diff -u "$expected" "$out" || { echo "outcomes differ from $expected"; exit 1; }
fi
echo "$(wc -l <"$out") inputs replayed from $dir"
