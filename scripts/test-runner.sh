#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Tests of scripts/asleep's argument handling, environment, exit codes and signal forwarding,
# using a fake shim (an empty shared library) and a fake analyzer. Needs no real shim.
# Usage: scripts/test-runner.sh [PATH/TO/asleep]       Output: TAP; exit 0 when all pass.
# shellcheck disable=SC2016  # check ... eval '...' expands at check time, on purpose
set -u
here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)
runner=${1:-$here/asleep}
[ -x "$runner" ] || { echo "Bail out! $runner is not executable"; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/asleep-runner-test.XXXXXX") || exit 1
trap 'rm -rf -- "$tmp"' EXIT
unset ASLEEP_LIB ASLEEP_ANALYZE ASLEEP_OPTIONS LD_PRELOAD

# --- fixtures
printf 'int asleep_fake_shim_marker;\n' >"$tmp/fake.c"
"${CC:-cc}" -shared -fPIC -o "$tmp/fake.so" "$tmp/fake.c" || { echo "Bail out! cannot build the fake shim"; exit 1; }
cp "$tmp/fake.so" "$tmp/other.so"

# Fake program. Commands (in order): env | out TEXT | err TEXT | cat | dump KIND | clean-dump
# | signal-dump SIGNAME | ready FILE | wait-signal | args ARGS... | exit N | kill SIG
cat >"$tmp/prog" <<'EOF'
#!/usr/bin/env bash
dd=
IFS=: read -r -a o <<<"${ASLEEP_OPTIONS:-}"
for kv in "${o[@]}"; do case $kv in dump_dir=*) dd=${kv#dump_dir=} ;; esac; done
n=0
while [ $# -gt 0 ]; do
  case $1 in
    env) printf 'LD_PRELOAD=%s\nASLEEP_OPTIONS=%s\n' "${LD_PRELOAD:-}" "${ASLEEP_OPTIONS:-}"; shift ;;
    out) printf '%s\n' "$2"; shift 2 ;;
    err) printf '%s\n' "$2" >&2; shift 2 ;;
    cat) cat; shift ;;
    dump) n=$((n+1)); mkdir -p "$dd"
          printf '{"schema":"asleep-dump/1","pid":%d,"seq":%d,"reason":"exit","threads":[],"findings":[{"kind":"%s","message":"m","threads":[1]}],"modules":[]}\n' $$ "$n" "$2" >"$dd/asleep.$$.$n.json"; shift 2 ;;
    signal-dump) n=$((n+1)); mkdir -p "$dd"
          printf '{"schema":"asleep-dump/1","pid":%d,"seq":%d,"reason":"signal","signal":{"number":11,"name":"%s"},"threads":[],"findings":[],"modules":[]}\n' $$ "$n" "$2" >"$dd/asleep.$$.$n.json"; shift 2 ;;
    clean-dump) n=$((n+1)); mkdir -p "$dd"
          printf '{"schema":"asleep-dump/1","pid":%d,"seq":%d,"reason":"exit","threads":[],"findings":[],"modules":[]}\n' $$ "$n" >"$dd/asleep.$$.$n.json"; shift ;;
    ready) : >"$2"; shift 2 ;;
    wait-signal) sleep 30 & sp=$!
                 trap 'kill $sp; echo got-TERM; exit 7' TERM; trap 'kill $sp; echo got-INT; exit 8' INT
                 wait $sp; echo no-signal; exit 9 ;;
    args) shift; printf '%d' $#; printf ' [%s]' "$@"; echo; exit 0 ;;
    exit) exit "$2" ;;
    kill) trap - "$2"; kill -s "$2" $$; sleep 5; exit 99 ;;
    *) echo "fake prog: bad command $1" >&2; exit 98 ;;
  esac
done
exit 0
EOF
chmod +x "$tmp/prog"

# Fake analyzer: logs its arguments; exit 1 when a target holds a finding (a "kind"), else 0;
# FAKE_ANA_RC overrides the exit status. --format: text, json or sarif (else exit 2); with a
# format, a clean run prints "FAKE CLEAN (FMT)".
cat >"$tmp/ana" <<'EOF'
#!/usr/bin/env bash
printf '%s\n' "$*" >>"${FAKE_ANA_LOG:-/dev/null}"
[ -z "${FAKE_ANA_RC:-}" ] || { echo "fake analyzer: failing" >&2; exit "$FAKE_ANA_RC"; }
cmd=$1; shift
fmt=
while [ $# -gt 0 ]; do
  case $1 in
    --suppressions) shift 2 ;;
    --format) case $2 in text|json|sarif) fmt=$2 ;; *) echo "asleep-analyze: unknown format \"$2\"" >&2; exit 2 ;; esac; shift 2 ;;
    *) break ;;
  esac
done
found=0
for t in "$@"; do
  if [ -d "$t" ]; then grep -qs '"kind"' "$t"/*.json && found=1
  else grep -qs '"kind"' "$t" && found=1; fi
done
[ $found = 1 ] && { echo "FAKE REPORT${fmt:+ ($fmt)}: findings ($cmd)"; exit 1; }
[ -z "$fmt" ] || echo "FAKE CLEAN ($fmt)"
exit 0
EOF
chmod +x "$tmp/ana"

export ASLEEP_LIB=$tmp/fake.so ASLEEP_ANALYZE=$tmp/ana FAKE_ANA_LOG=$tmp/ana.log
export TMPDIR=$tmp/tmpdir
mkdir -p "$TMPDIR"

# --- harness
n=0; failed=0
ok() { n=$((n+1)); echo "ok $n - $1"; }
not_ok() { n=$((n+1)); failed=$((failed+1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "#   $l"; done; }
# run ARGS...: runs the runner, setting rc, out, err
run() { "$runner" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null; rc=$?; out=$(cat "$tmp/out"); err=$(cat "$tmp/err"); export out err; }
expect_rc() { # DESC WANT
    if [ "$rc" = "$2" ]; then ok "$1"; else not_ok "$1" "exit $rc, want $2" "stderr: $(head -c 300 "$tmp/err")"; fi
}
check() { # DESC COMMAND...
    local d=$1; shift
    if "$@"; then ok "$d"; else not_ok "$d" "failed: $*" "rc=$rc" "stdout: $(head -c 300 "$tmp/out")" "stderr: $(head -c 300 "$tmp/err")"; fi
}
one_line() { [ "$(wc -l <"$tmp/err")" = 1 ]; }
leftover_tmp() { compgen -G "$TMPDIR/asleep-dumps.*" >/dev/null || compgen -G "$TMPDIR/asleep-run.*" >/dev/null; }


# usage and errors
run --help; expect_rc "--help exits 0" 0
check "--help documents the exit codes" grep -q '125' "$tmp/out"
check "--help documents the gate code 3" grep -qE '(^|[^0-9])3 when' "$tmp/out"
run -h; expect_rc "-h exits 0" 0
check "--help names every environment variable the runner reads" \
    eval '! for v in ASLEEP_LIB ASLEEP_ANALYZE ASLEEP_OPTIONS ASLEEP_SRCROOT TMPDIR LD_PRELOAD; do grep -q "$v" "$tmp/out" || echo missing; done | grep -q missing'
run --version; expect_rc "--version exits 0" 0
check "--version prints the version" grep -qxE 'asleep [0-9]+\.[0-9]+\.[0-9]+' "$tmp/out"
run --frobnicate -- "$tmp/prog"; expect_rc "unknown option: 125" 125
check "unknown option: one line naming it" eval 'one_line && grep -q frobnicate "$tmp/err"'
run; expect_rc "no program: 125" 125
run --gate --; expect_rc "no program after --: 125" 125
run --format json -- "$tmp/prog"; expect_rc "--format json without --gate or --report: 125" 125
check "--format json alone: one line saying what it needs" eval 'one_line && grep -q -- "--gate" "$tmp/err"'
run --format text -- "$tmp/prog" exit 0; expect_rc "--format text accepted" 0
run --format= -- "$tmp/prog" exit 0; expect_rc "--format with an empty name: 125" 125
run --dump-dir; expect_rc "--dump-dir without argument: 125" 125
ASLEEP_LIB=$tmp/nope.so run -- "$tmp/prog"; expect_rc "ASLEEP_LIB missing: 125" 125
check "ASLEEP_LIB missing: one line" one_line
# default shim location: <script dir>/../build/shim/libasleep.so
mkdir -p "$tmp/co/scripts" "$tmp/co2/scripts" "$tmp/co2/build/shim"
cp "$runner" "$tmp/co/scripts/asleep"; cp "$runner" "$tmp/co2/scripts/asleep"; cp "$tmp/fake.so" "$tmp/co2/build/shim/libasleep.so"
(unset ASLEEP_LIB; "$tmp/co/scripts/asleep" -- "$tmp/prog" >"$tmp/out" 2>"$tmp/err"); rc=$?
expect_rc "no shim built: 125" 125
check "no shim built: one clear line" eval 'one_line && grep -q "shim not found" "$tmp/err"'
(unset ASLEEP_LIB; cd "$tmp" && co2/scripts/asleep -- "$tmp/prog" env >"$tmp/out" 2>"$tmp/err"); rc=$?
expect_rc "default shim path: runs" 0
check "default shim path: absolute LD_PRELOAD" grep -qx "LD_PRELOAD=$tmp/co2/build/shim/libasleep.so" "$tmp/out"
run -- "$tmp/nonexistent-prog"; expect_rc "missing program: 127" 127
printf 'x\n' >"$tmp/noexec"; chmod -x "$tmp/noexec"
run -- "$tmp/noexec"; expect_rc "non-executable program: 126" 126

# environment
run -- "$tmp/prog" env; expect_rc "env: runs" 0
check "LD_PRELOAD is the shim" grep -qx "LD_PRELOAD=$tmp/fake.so" "$tmp/out"
LD_PRELOAD=$tmp/other.so run -- "$tmp/prog" env
check "LD_PRELOAD prepended to the existing one" grep -qx "LD_PRELOAD=$tmp/fake.so $tmp/other.so" "$tmp/out"
ASLEEP_OPTIONS=leaks=0 run --dump-dir "$tmp/dd" --options 'on_deadlock=abort:exitcode=9' -- "$tmp/prog" env
check "ASLEEP_OPTIONS: env, then --options, then dump_dir" \
    grep -qx "ASLEEP_OPTIONS=leaks=0:on_deadlock=abort:exitcode=9:dump_dir=$tmp/dd" "$tmp/out"
check "--dump-dir created" test -d "$tmp/dd"
run --dump-dir="$tmp/dd2" --options=leaks=1 -- "$tmp/prog" env
check "--dump-dir= and --options= forms" grep -qx "ASLEEP_OPTIONS=leaks=1:dump_dir=$tmp/dd2" "$tmp/out"
run --options "leaks=0:dump_dir=$tmp/dd3" -- "$tmp/prog" env
check "dump_dir in --options becomes the dump dir, given once" grep -qx "ASLEEP_OPTIONS=leaks=0:dump_dir=$tmp/dd3" "$tmp/out"
ASLEEP_OPTIONS="dump_dir=$tmp/elsewhere" run --dump-dir "$tmp/dd4" -- "$tmp/prog" env
check "--dump-dir wins over dump_dir in ASLEEP_OPTIONS" grep -qx "ASLEEP_OPTIONS=dump_dir=$tmp/dd4" "$tmp/out"
run -- "$tmp/prog" args "a b" "" 'c*'
check "arguments passed verbatim" grep -qxF '3 [a b] [] [c*]' "$tmp/out"
run "$tmp/prog" args x
check "PROG without -- also works" grep -qxF '1 [x]' "$tmp/out"

# pass-through
for s in 0 3 42; do run -- "$tmp/prog" exit "$s"; expect_rc "exit status $s passed through" "$s"; done
run -- "$tmp/prog" kill USR1; expect_rc "killed by SIGUSR1: 128+10" 138
run -- "$tmp/prog" signal-dump SIGSEGV kill SEGV; expect_rc "killed by SIGSEGV: 128+11" 139
check "a death by signal is said once, naming the dump" \
    eval '[ "$(grep -c "died of" "$tmp/err")" = 1 ] &&
          grep -q "prog died of SIGSEGV: every thread.s state is in .*asleep\.[0-9]*\.1\.json" "$tmp/err"'
check "the dump of a death by signal is kept" eval 'f=$(grep -o "/[^ ]*\.json" "$tmp/err") && test -f "$f"'
run -- "$tmp/prog" out O1 err E1 out O2
check "stdout and stderr untouched" eval '[ "$out" = "O1
O2" ] && [ "$err" = E1 ]'
out=$(printf 'line1\nline2\n' | "$runner" -- "$tmp/prog" cat 2>/dev/null)
check "stdin passed through" test "$out" = "line1
line2"

# --timeout and attach
: >"$tmp/ana.log"
run --timeout 1 -- "$tmp/prog" wait-signal
expect_rc "--timeout: PROG outliving it gives 124" 124
check "--timeout: the analyzer attached to PROG first" grep -qE '^attach --dump-dir [^ ]+ [0-9]+$' "$tmp/ana.log"
check "--timeout: PROG was sent SIGTERM (its own handler ran)" grep -qx got-TERM "$tmp/out"
check "--timeout: one line says why" grep -q 'still running after 1s' "$tmp/err"
: >"$tmp/ana.log"
run --timeout 1 --on-timeout kill -- "$tmp/prog" wait-signal
expect_rc "--on-timeout kill: 124, no attach" 124
check "--on-timeout kill: the analyzer was not run" eval '[ ! -s "$tmp/ana.log" ]'
run --timeout 30 -- "$tmp/prog" exit 0; expect_rc "--timeout not reached: PROG's status" 0
run --timeout 0 -- "$tmp/prog"; expect_rc "--timeout 0: 125" 125
run --on-timeout=wait -- "$tmp/prog"; expect_rc "--on-timeout with an unknown action: 125" 125
: >"$tmp/ana.log"
run attach 12345; expect_rc "asleep attach PID runs the analyzer's attach" 0
check "asleep attach PID: the analyzer got attach PID" grep -qx 'attach 12345' "$tmp/ana.log"

# temporary dump dir
rm -rf "${TMPDIR:?}"/*
run -- "$tmp/prog" clean-dump exit 0
check "temp dump dir removed when no finding" eval '! leftover_tmp'
run -- "$tmp/prog" dump leaked-thread exit 0; expect_rc "finding without --gate: PROG's status" 0
kept=$(sed -n 's/^asleep: dumps kept in //p' "$tmp/err"); export kept
check "temp dump dir kept and named on stderr when there are findings" eval '[ -n "$kept" ] && [ -f "$kept"/asleep.*.1.json ]'
rm -rf "${TMPDIR:?}"/*
run --dump-dir "$tmp/keep" -- "$tmp/prog" clean-dump
check "--dump-dir never removed" eval 'ls "$tmp"/keep/asleep.*.json >/dev/null'

# gate
rm -f "$tmp/ana.log"
run --gate -- "$tmp/prog" clean-dump exit 0; expect_rc "gate: clean passes" 0
check "gate: analyzer called as 'gate DIR'" grep -qE '^gate /' "$tmp/ana.log"
run --gate -- "$tmp/prog" dump leaked-thread exit 0; expect_rc "gate: finding and PROG 0 -> 3" 3
check "gate: report printed (on stderr)" eval 'grep -q "FAKE REPORT" "$tmp/err" && ! grep -q "FAKE REPORT" "$tmp/out"'
run --gate -- "$tmp/prog" dump deadlock exit 5; expect_rc "gate: PROG's non-zero status not masked" 5
check "gate: report still printed when PROG failed" grep -q "FAKE REPORT" "$tmp/err"
run --gate -- "$tmp/prog" exit 6; expect_rc "gate: PROG failing without findings keeps its status" 6
FAKE_ANA_RC=2 run --gate -- "$tmp/prog" exit 0; expect_rc "gate: analyzer error -> 125" 125
FAKE_ANA_RC=2 run --gate -- "$tmp/prog" exit 4; expect_rc "gate: analyzer error, PROG 4 -> 4" 4

# --format and --report
rm -f "$tmp/ana.log"
run --gate --format text -- "$tmp/prog" dump deadlock exit 0; expect_rc "gate --format text: 3" 3
check "--format text is the analyzer's default: not passed" eval '! grep -q -- --format "$tmp/ana.log"'
rm -f "$tmp/ana.log"
run --gate --format sarif -- "$tmp/prog" dump deadlock exit 0; expect_rc "gate --format sarif: 3" 3
check "--format sarif passed to the gate" grep -qE '^gate --format sarif /' "$tmp/ana.log"
check "--format sarif: the report on stderr in that format" grep -q 'FAKE REPORT (sarif): findings (gate)' "$tmp/err"
run --gate --format=json -- "$tmp/prog" clean-dump exit 0; expect_rc "gate --format=json, clean: 0" 0
check "--format=json form" grep -q 'FAKE CLEAN (json)' "$tmp/err"
run --gate --format yaml -- "$tmp/prog" out RAN; expect_rc "--format the analyzer rejects: 125" 125
check "rejected format: PROG not run, one line quoting the analyzer" \
    eval '[ -z "$out" ] && one_line && grep -q "unknown format" "$tmp/err"'
run --gate --format sarif --report "$tmp/r.sarif" -- "$tmp/prog" dump leaked-thread exit 0
expect_rc "--report with --gate: gate status kept (3)" 3
check "--report: the gate report in the file, not on stderr" \
    eval 'grep -qx "FAKE REPORT (sarif): findings (gate)" "$tmp/r.sarif" && ! grep -q "FAKE REPORT" "$tmp/err"'
run --gate --format sarif --report "$tmp/r.sarif" -- "$tmp/prog" clean-dump exit 0
expect_rc "--report, clean run: 0" 0
check "--report: overwritten by the next run" grep -qx 'FAKE CLEAN (sarif)' "$tmp/r.sarif"
run --gate --report "$tmp/r.sarif" -- "$tmp/prog" exit 4; expect_rc "--report: PROG's status not masked" 4
run --format json --report "$tmp/r.json" -- "$tmp/prog" dump deadlock exit 0
expect_rc "--report without --gate: PROG's status (0)" 0
check "--report without --gate: 'report' of this run's dumps" grep -qx 'FAKE REPORT (json): findings (report)' "$tmp/r.json"
mkdir -p "$tmp/reuse2"
run --gate --dump-dir "$tmp/reuse2" -- "$tmp/prog" dump deadlock
run --gate --format sarif --report "$tmp/r2.sarif" --dump-dir "$tmp/reuse2" -- "$tmp/prog" exit 0
expect_rc "--report, reused dir and no new dump: 0" 0
check "--report, reused dir and no new dump: an empty report, not the old findings" grep -qx 'FAKE CLEAN (sarif)' "$tmp/r2.sarif"
run --gate --report "$tmp/no/such/dir/r" -- "$tmp/prog" out RAN; expect_rc "--report to an unwritable path: 125" 125
check "--report unwritable: PROG not run" test -z "$out"
FAKE_ANA_RC=2 run --report "$tmp/r3" -- "$tmp/prog" dump deadlock exit 0
expect_rc "--report without --gate, analyzer error: 125" 125

printf 'leak:foo\n' >"$tmp/supp"
rm -f "$tmp/ana.log"
run --gate --suppressions "$tmp/supp" -- "$tmp/prog" exit 0
check "gate: --suppressions passed to the analyzer" grep -qE "^gate --suppressions $tmp/supp /" "$tmp/ana.log"
run --dump-dir "$tmp/dd5" --suppressions "$tmp/supp" -- "$tmp/prog" env
check "--suppressions passed to the shim too" grep -qx "ASLEEP_OPTIONS=dump_dir=$tmp/dd5:suppressions=$tmp/supp" "$tmp/out"
run --suppressions "$tmp/nosupp" -- "$tmp/prog" out RAN; expect_rc "missing suppressions file without --gate -> 125" 125
run --gate --suppressions "$tmp/nosupp" -- "$tmp/prog" out RAN; expect_rc "gate: missing suppressions file -> 125" 125
ASLEEP_ANALYZE=$tmp/noana run --gate -- "$tmp/prog" out RAN; expect_rc "gate: analyzer missing -> 125" 125
check "gate: analyzer missing -> PROG not run" test -z "$out"
mkdir -p "$tmp/reuse"
run --gate --dump-dir "$tmp/reuse" -- "$tmp/prog" dump deadlock; expect_rc "gate: reused dir, first run fails" 3
run --gate --dump-dir "$tmp/reuse" -- "$tmp/prog" clean-dump; expect_rc "gate: reused dir, old dumps not judged again" 0

# signals
rm -rf "${TMPDIR:?}"/* "$tmp/ready"
( "$runner" -- "$tmp/prog" ready "$tmp/ready" wait-signal >"$tmp/out" 2>"$tmp/err" </dev/null ) & rp=$!
for _ in $(seq 100); do [ -e "$tmp/ready" ] && break; sleep 0.05; done
sleep 0.1; kill -TERM "$rp"; wait "$rp"; rc=$?
expect_rc "SIGTERM forwarded to PROG, its status returned" 7
check "SIGTERM: PROG saw it" grep -qx got-TERM "$tmp/out"
rm -f "$tmp/ready"
( trap - INT; exec "$runner" -- "$tmp/prog" ready "$tmp/ready" wait-signal >"$tmp/out" 2>"$tmp/err" </dev/null ) & rp=$!
for _ in $(seq 100); do [ -e "$tmp/ready" ] && break; sleep 0.05; done
sleep 0.1; kill -INT "$rp"; wait "$rp"; rc=$?
expect_rc "SIGINT forwarded to PROG, its status returned" 8
check "no temporary files left behind" eval '! leftover_tmp'

echo "1..$n"
echo "# $((n-failed)) passed, $failed failed"
[ "$failed" = 0 ]
