#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs the README's CI recipes for real: the tiny projects under tests/recipes/ (meson with
# `meson test --wrapper`, CMake/CTest with the runner as CMAKE_CROSSCOMPILING_EMULATOR, a
# Makefile `test` target) and the GitHub Actions step's command lines. Each asserts that the
# leaking test and the deadlocking test fail through the gate and the clean one passes.
# Usage: run-recipes.sh SHIM ANALYZER        Output: TAP; exit 0 when all pass.
# The projects are copied and built in a temporary directory; the tree is not touched.
set -u
here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)
root=$(cd -- "$here/../.." && pwd -P)
runner=$root/scripts/asleep
export ASLEEP_LIB=${1:?usage: run-recipes.sh SHIM ANALYZER} ASLEEP_ANALYZE=${2:?usage: run-recipes.sh SHIM ANALYZER}
unset ASLEEP_OPTIONS LD_PRELOAD
tmp=$(mktemp -d "${TMPDIR:-/tmp}/asleep-recipes.XXXXXX") || exit 1
trap 'rm -rf -- "$tmp"' EXIT
export TMPDIR=$tmp     # the runner's kept dump dirs land here, and go with it

n=0; failed=0
ok() { n=$((n+1)); echo "ok $n - $1"; }
skip() { n=$((n+1)); echo "ok $n - $1 # SKIP $2"; }
not_ok() { n=$((n+1)); failed=$((failed+1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "#   $l"; done; }
# expect DESC WANT_RC GOT_RC LOG [GREP_PATTERN...]: status and patterns that LOG must contain
expect() {
    local d=$1 want=$2 got=$3 log=$4 p; shift 4
    if [ "$want" = nonzero ] && [ "$got" = 0 ]; then not_ok "$d" "exit 0, want non-zero" "$(tail -n 15 "$log")"; return; fi
    if [ "$want" != nonzero ] && [ "$got" != "$want" ]; then not_ok "$d" "exit $got, want $want" "$(tail -n 15 "$log")"; return; fi
    for p in "$@"; do
        grep -qE -- "$p" "$log" || { not_ok "$d" "no /$p/ in the output" "$(tail -n 15 "$log")"; return; }
    done
    ok "$d"
}
project() { # KIND: a fresh copy of tests/recipes/KIND plus the test programs, in $tmp/KIND
    rm -rf "${tmp:?}/$1"; cp -r "$here/$1" "$tmp/$1" && cp "$here"/progs/*.c "$tmp/$1/"
}

# --- meson test --wrapper
if command -v meson >/dev/null && command -v ninja >/dev/null; then
    project meson
    if (cd "$tmp/meson" && meson setup b && meson compile -C b) >"$tmp/meson.log" 2>&1; then
        wrap="$runner --gate --"
        for t in t_clean t_leak t_deadlock; do
            (cd "$tmp/meson" && meson test -C b --print-errorlogs --wrapper "$wrap" "$t") >"$tmp/m-$t.log" 2>&1; rc=$?
            case $t in
                t_clean) expect "meson --wrapper: clean test passes" 0 $rc "$tmp/m-$t.log" '^Ok: +1' '^Fail: +0' ;;
                t_leak) expect "meson --wrapper: leaking test fails the gate (runner exit 3)" nonzero $rc "$tmp/m-$t.log" \
                            '^Fail: +1' 'exit status 3' 'leaked-thread' 'gate: FAILED' ;;
                t_deadlock) expect "meson --wrapper: deadlocking test fails (the shim's status 2, not masked)" nonzero $rc \
                            "$tmp/m-$t.log" '^Fail: +1' 'exit status 2' 'all-asleep' 'gate: FAILED' ;;
            esac
        done
    else
        not_ok "meson recipe project builds" "$(tail -n 15 "$tmp/meson.log")"
    fi
else
    skip "meson --wrapper recipe" "meson or ninja not installed"
fi

# --- CTest, the runner as the tests' launcher (CMAKE_CROSSCOMPILING_EMULATOR)
if command -v cmake >/dev/null && command -v ctest >/dev/null; then
    project cmake
    if (cd "$tmp/cmake" && cmake -S . -B b "-DCMAKE_CROSSCOMPILING_EMULATOR=$runner;--gate;--" &&
            cmake --build b) >"$tmp/cmake.log" 2>&1; then
        for t in t_clean t_leak t_deadlock; do
            (cd "$tmp/cmake/b" && ctest --output-on-failure -R "^$t\$") >"$tmp/c-$t.log" 2>&1; rc=$?
            case $t in
                t_clean) expect "ctest launcher: clean test passes" 0 $rc "$tmp/c-$t.log" '100% tests passed' ;;
                t_leak) expect "ctest launcher: leaking test fails the gate" nonzero $rc "$tmp/c-$t.log" \
                            '0% tests passed, 1 tests failed' 'leaked-thread' 'gate: FAILED' ;;
                t_deadlock) expect "ctest launcher: deadlocking test fails" nonzero $rc "$tmp/c-$t.log" \
                            '0% tests passed, 1 tests failed' 'all-asleep' 'gate: FAILED' ;;
            esac
        done
    else
        not_ok "cmake recipe project builds" "$(tail -n 15 "$tmp/cmake.log")"
    fi
else
    skip "ctest launcher recipe" "cmake not installed"
fi

# --- a plain Makefile `test` target
if command -v make >/dev/null; then
    project make
    if make -C "$tmp/make" >"$tmp/make.log" 2>&1; then
        mk() { make -s -C "$tmp/make" test "$@" >"$tmp/k.log" 2>&1; rc=$?; }
        mk TESTS=t_leak
        expect "make test without the runner: the leaking test passes (nothing checks it)" 0 $rc "$tmp/k.log" '^PASS: t_leak$'
        mk TESTS=t_clean ASLEEP="$runner --gate --"
        expect "make test: clean test passes the gate" 0 $rc "$tmp/k.log" '^PASS: t_clean$'
        mk ASLEEP="$runner --gate --"
        expect "make test: leaking test fails the gate (exit 3)" nonzero $rc "$tmp/k.log" '^FAIL: t_leak \(exit 3\)$' 'leaked-thread'
        expect "make test: deadlocking test fails with the shim's status 2" nonzero $rc "$tmp/k.log" \
            '^FAIL: t_deadlock \(exit 2\)$' 'all-asleep'
        expect "make test: every test ran" nonzero $rc "$tmp/k.log" '^PASS: t_clean$'
    else
        not_ok "make recipe project builds" "$(tail -n 15 "$tmp/make.log")"
    fi
else
    skip "make recipe" "make not installed"
fi

# --- the GitHub Actions step's command lines (README, "GitHub Actions"), run here as the
# workflow runs them, from the checkout root with the build in place
gh="$tmp/gh"; mkdir -p "$gh"
bins=$tmp/make     # built above; the step only needs test binaries
if [ -x "$bins/t_leak" ] && "$ASLEEP_ANALYZE" gate --format sarif "$tmp/gh" >/dev/null 2>&1; then
    sarif_check() { # FILE WANT_RESULTS: valid SARIF 2.1.0 with that many results (0, or ">0")
        /usr/bin/python3 - "$1" "$2" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
assert s["version"] == "2.1.0", s.get("version")
res = [r for run in s["runs"] for r in run.get("results", [])]
if sys.argv[2] == "0":
    assert not res, res
else:
    assert res and all(r.get("ruleId") for r in res), res
    kinds = " ".join(r["ruleId"] for r in res).lower()
    assert sys.argv[2] in kinds, kinds
PY
    }
    (cd "$gh" && "$runner" --gate --format sarif --report asleep.sarif -- "$bins/t_leak") >"$tmp/g.log" 2>&1; rc=$?
    if [ "$rc" = 3 ] && sarif_check "$gh/asleep.sarif" leaked-thread >>"$tmp/g.log" 2>&1; then
        ok "github step: leaking test fails the step (3) and asleep.sarif holds the leaked-thread result"
    else not_ok "github step: leaking test" "exit $rc" "$(tail -n 15 "$tmp/g.log")"; fi
    (cd "$gh" && "$runner" --gate --format sarif --report asleep.sarif -- "$bins/t_clean") >"$tmp/g.log" 2>&1; rc=$?
    if [ "$rc" = 0 ] && sarif_check "$gh/asleep.sarif" 0 >>"$tmp/g.log" 2>&1; then
        ok "github step: clean test passes, asleep.sarif is valid and empty (clears old alerts)"
    else not_ok "github step: clean test" "exit $rc" "$(tail -n 15 "$tmp/g.log")"; fi
    if [ -d "$tmp/meson/b" ]; then
        # the whole-suite variant: the tests write into one dump dir (no per-test gate, so
        # parallel tests cannot see each other's dumps), one gate over all of it makes the SARIF
        (cd "$tmp/meson" && meson test -C b --wrapper "$runner --dump-dir $gh/asleep-dumps --") \
            >"$tmp/g.log" 2>&1; rc=$?
        expect "github suite variant: only the deadlocking test fails by itself" nonzero $rc "$tmp/g.log" \
            '^Ok: +2' '^Fail: +1' 't_deadlock +FAIL'
        (cd "$gh" && "$ASLEEP_ANALYZE" gate --format sarif asleep-dumps >asleep-suite.sarif) >"$tmp/g.log" 2>&1; rc=$?
        if [ "$rc" = 1 ] && sarif_check "$gh/asleep-suite.sarif" leaked-thread >>"$tmp/g.log" 2>&1 &&
                sarif_check "$gh/asleep-suite.sarif" all-asleep >>"$tmp/g.log" 2>&1; then
            ok "github suite variant: the gate step fails (1), its SARIF holds the leak and the deadlock"
        else not_ok "github suite variant: SARIF" "exit $rc" "$(tail -n 15 "$tmp/g.log")"; fi
    fi
else
    skip "github step (SARIF)" "the analyzer has no --format sarif yet, or no test binaries"
fi

echo "1..$n"
echo "# $((n-failed)) passed, $failed failed"
[ "$failed" = 0 ]
