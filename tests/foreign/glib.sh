#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# GLib's installed tests, natively and under the asleep shim, compared.
#
# Runs the tests of Debian's libglib2.0-tests (/usr/share/installed-tests/glib/*.test: the Exec= line
# is the command, all are Type=session, most print TAP) twice each, back to back: once natively, once
# with LD_PRELOAD=SHIM ASLEEP_OPTIONS=dump_dir=DIR (child processes inherit both). Each run gets a
# fresh HOME, XDG_RUNTIME_DIR, TMPDIR and working directory, a clean environment (no session bus, no
# display: the tests start their own dbus-daemon where they need one) and `timeout`: GLIB_TIMEOUT
# (default 120 s) natively, under the shim 10 times the native run's time, at least 60 s and at most
# GLIB_TIMEOUT (the shim's own slowdown is at most ~3x on these tests). A timeout counts as a hang.
# The shim must not change anything a correct program does, so per test it compares: the exit
# status; the TAP results, "ok"/"not ok" per subtest name (digits masked: some names hold random
# seeds); and stderr: lines only the shim run printed (digits, addresses and the run's own directory
# masked), e.g. "asleep:" reports. The shim's dumps give finding kinds.
#
#   broken         passed (or skipped) natively, but under the shim: another status (a timeout is a
#                  hang), or other TAP results; or a hang under the shim only. Broken tests are run
#                  up to 2 more times both ways (not a 3rd time when the 2nd is broken too): if the
#                  native run fails in any attempt the test is natively flaky (listed as FLAKY, not
#                  counted), otherwise it is broken ("k/n attempts").
#   false verdict  a dump with an "all-asleep" or "deadlock" finding (these tests do not deadlock).
#   LOI lines      lock-order-inversion findings, listed separately: they may be true or false.
#   STDERR lines   tests whose stderr changed (counted in stderr_changed, not in broken).
#   NOTE lines     subtests that skipped one way only (timing-dependent skips; not counted).
#
# Usage: tests/foreign/glib.sh [--shim PATH] [--only "name1 name2"] [--jobs N] [--quick]
#   --shim PATH  the shim to test (default: this checkout's build/shim/libasleep.so); it is copied
#                first, so a rebuild during the run does not change what is tested
#   --only LIST  run just these tests (names of the .test files without .test)
#   --jobs N     run N tests at a time (default 1; each test's two runs are always back to back)
#   --quick      a fixed list of thread-, fork-, socket-, subprocess- and D-Bus-heavy tests
# Output: a progress line per test on stderr; on stdout BROKEN/FLAKY/VERDICT/LOI/STDERR/NOTE lines,
# the logs directory, and last exactly
#   GLIB tests=N native_pass=A shim_pass=B broken=C false_verdicts=D stderr_changed=E
# (pass = exit 0 or 77 "skipped"). Exit 0 only if broken=0 and false_verdicts=0; 3 on a setup error.
# Logs (stdout, stderr, dumps, gdb stacks taken just before a timeout) are kept for the tests on those
# lines, with results.tsv for all tests; everything else is deleted.
# Typical run time on 2 cores with --jobs 2: --quick ~4 min, the full set (287 tests) ~13 min, when
# nothing hangs; each test that hangs under the shim adds ~2 min of one job (2 attempts x 60 s).
# Run as root, it runs the tests as GLIB_USER (default nobody; GLIB_USER=root keeps root): as root
# "file" and "fileutils" fail, and fileutils even creates /usr/b/c. The rest pass as root too.
set -u
root=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/../.." && pwd -P)
shim=$root/build/shim/libasleep.so only="" jobs=1 quick=0
usage() { sed -n 's/^# Usage: /usage: /p' "${BASH_SOURCE[0]}" >&2; exit 3; }
while [ $# -gt 0 ]; do
    case $1 in
        --shim) [ $# -ge 2 ] || usage; shim=$2; shift 2 ;;
        --only) [ $# -ge 2 ] || usage; only=$2; shift 2 ;;
        --jobs) [ $# -ge 2 ] && [ "$2" -ge 1 ] 2>/dev/null || usage; jobs=$2; shift 2 ;;
        --quick) quick=1; shift ;;
        *) usage ;;
    esac
done
case $shim in /*) ;; *) shim=$PWD/$shim ;; esac
[ -f "$shim" ] || { echo "glib.sh: no shim at $shim" >&2; exit 3; }
tdir=/usr/share/installed-tests/glib
if [ ! -d "$tdir" ] || ! command -v dbus-daemon >/dev/null || ! command -v jq >/dev/null; then
    apt-get install -y libglib2.0-tests dbus-daemon dbus-x11 jq >&2 ||
        { echo "glib.sh: cannot install libglib2.0-tests" >&2; exit 3; }
fi

QUICK="thread thread-deprecated threadtests mutex rec-mutex rwlock cond once onceinit 1bit-mutex bitlock
 asyncqueue thread-pool contexts mainloop timeout task cancellable converter-stream
 spawn-multithreaded spawn-singlethread spawn-test gsubprocess socket socket-service socket-listener
 gsocketclient-slow pollable unix-fd unix-streams gdbus-address-get-session
 gdbus-proxy-threads gdbus-connection gdbus-peer gdbus-exit-on-close gdbus-close-pending
 gdbus-connection-loss gdbus-connection-flush gdbus-non-socket slice-concurrent"
if [ -n "$only" ]; then names=$only
elif [ $quick = 1 ]; then names=$QUICK
else names=$(cd "$tdir" && ls -- *.test | sed 's/\.test$//'); fi

work=$(mktemp -d "${TMPDIR:-/tmp}/asleep-glib.XXXXXX") && chmod 755 "$work" || exit 3
origshim=$shim shim=$work/libasleep.so  # a copy: a rebuild during the run changes nothing here
cp -- "$origshim" "$shim" || exit 3
export shim tdir work TMO=${GLIB_TIMEOUT:-120} GLIB_USER=${GLIB_USER:-nobody}

# run NAME MODE TRY: one run of test NAME, MODE native|shim, into $work/NAME/MODE.TRY.{out,err,rc,...}
run() {
    local t=$1 mode=$2 try=$3 d=$work/$1 cmd w pid s rc i
    local b=$d/$mode.$try x=$d/x.$mode.$try
    read -ra cmd <<< "$(sed -n 's/^Exec=//p' "$tdir/$t.test")"
    rm -rf "$x" && mkdir -p "$x/home" "$x/run" "$x/tmp" "$x/cwd" && chmod 700 "$x/run"
    local envv=(PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8 HOME=$x/home XDG_RUNTIME_DIR=$x/run
                TMPDIR=$x/tmp XDG_CONFIG_HOME=$x/home/.config XDG_DATA_HOME=$x/home/.local/share
                XDG_CACHE_HOME=$x/home/.cache)
    local tmo=$TMO ms  # under the shim: 10 times the native run's time, at least 60 s, at most $TMO
    if [ "$mode" = shim ]; then read -r _ ms <"$d/native.$try.rc"; tmo=$(( ms / 100 > 60 ? ms / 100 : 60 ))
                                [ "$tmo" -gt "$TMO" ] && tmo=$TMO; fi
    local as=()  # as root, run as GLIB_USER (default nobody): "file" and "fileutils" assume non-root
    if [ "$(id -u)" = 0 ] && [ "$GLIB_USER" != root ]; then
        as=(setpriv --reuid="$GLIB_USER" --regid="$(id -g "$GLIB_USER")" --clear-groups)
        mkdir -p "$b.dumps" && chown -R "$GLIB_USER" "$x" "$b.dumps"
    fi
    if [ "$mode" = shim ]; then
        envv+=(LD_PRELOAD=$shim ASLEEP_OPTIONS=dump_dir=$b.dumps)
        for i in "${!cmd[@]}"; do  # an "env LD_PRELOAD=X test" Exec line keeps both preloads
            case ${cmd[$i]} in LD_PRELOAD=*) cmd[$i]="LD_PRELOAD=$shim:${cmd[$i]#LD_PRELOAD=}" ;; esac
        done
    fi
    s=$(date +%s%N)
    {   # (braces with 2>/dev/null: no "Aborted" job notices from bash)
        (cd "$x/cwd" && exec env -i "${envv[@]}" "${as[@]}" timeout -k 10 "$tmo" "${cmd[@]}" \
            </dev/null >"$b.out" 2>"$b.err") &
        pid=$!
        # shortly before the timeout, take the stacks of whatever still runs below it
        ( for ((i = 8; i < tmo; i++)); do sleep 1; kill -0 $pid || exit 0; done
          for w in $(descendants $pid); do
              echo "=== pid $w: $(tr '\0' ' ' < /proc/$w/cmdline)"
              timeout 30 gdb -p "$w" -batch -ex 'thread apply all bt' 2>&1 | grep -E '^(Thread|#)'
          done >"$b.stacks" ) &
        w=$!
        wait $pid; rc=$?
        kill $w; wait $w
        kill -KILL -- -$pid  # leftovers in the process group timeout made (orphaned children)
    } 2>/dev/null
    echo "$rc $(( ($(date +%s%N) - s) / 1000000 ))" >"$b.rc"
    rm -rf "$x"
}
descendants() { local c; for c in $(ps -o pid= --ppid "$1"); do echo "$c"; descendants "$c"; done; }
# state FILE.rc: pass (0), skip (77), timeout (124, or killed after it), signal N, or exit N
state() {
    local rc; read -r rc _ <"$1"
    case $rc in 0) echo pass ;; 77) echo skip ;; 124|137) echo timeout ;;
        *) if [ "$rc" -gt 128 ]; then echo "signal$((rc - 128))"; else echo "exit$rc"; fi ;; esac
}
# tap OUT [SKIP]: per subtest "ok|not ok NAME" (digits masked: random seeds), with SKIP/TODO if asked
tap() { sed -nE 's/^((not )?ok) [0-9]+ *([^#]*[^#[:space:]])?[[:space:]]*(# *(SKIP|TODO))?.*$/\1 \3 \5/p' "$1" |
        sed -E 's/[0-9]+/N/g' | if [ -n "${2:-}" ]; then cat; else sed -E 's/ (SKIP|TODO)?$//'; fi; }
# tapdiff DIR TRY [SKIP]: the first two differences of tap between the native and the shim run, or nothing
tapdiff() { diff <(tap "$1/native.$2.out" ${3:-}) <(tap "$1/shim.$2.out" ${3:-}) | grep '^[<>]' | head -n 2 |
            paste -sd' '; }
mask() { sed -E 's/x\.(native|shim)\.[0-9]+/x.RUN/g; s/0x[0-9a-f]+/0xN/g; s/[0-9]+/N/g' "$1"; }
# newerr DIR: the lines of the shim run's stderr (attempt 1) that the native one lacks, digits masked
newerr() { awk 'FILENAME == ARGV[1] { seen[$0] = 1; next } !seen[$0] { print FNR }' <(mask "$1/native.1.err") \
               <(mask "$1/shim.1.err") | sed 's/$/p/' | sed -n -f - "$1/shim.1.err"; }
# excerpt DIR: from newerr, the first "asleep:" line and the first two other unindented ones, as one line
excerpt() { { newerr "$1" | grep -m 1 '^asleep:'
              newerr "$1" | grep -v -e '^asleep:' -e '^\*\*$' | grep -m 2 '^[^[:space:]]'; } | cut -c1-200 | paste -sd'|'; }
kinds() { cat "$1".dumps/*.json 2>/dev/null | jq -r '.findings[]?.kind' 2>/dev/null | sort | uniq -c |
          awk '{printf "%s%s:%s", (NR > 1 ? "," : ""), $2, $1} END {if (!NR) print "-"}'; }
# verdict NAME TRY: "ok" or why attempt TRY of NAME counts as broken
verdict() {
    local d=$work/$1 n s
    n=$(state "$d/native.$2.rc") s=$(state "$d/shim.$2.rc")
    if [ "$s" = timeout ] && [ "$n" != timeout ]; then echo "hang under the shim (native $n)"
    elif [ "$n" = pass ] || [ "$n" = skip ]; then
        if [ "$s" != "$n" ]; then echo "native $n, shim $s"
        elif [ -n "$(tapdiff "$d" "$2")" ]; then echo "TAP differs: $(tapdiff "$d" "$2")"
        else echo ok; fi
    else echo ok; fi
}
# one NAME: both runs, re-runs when broken, then one results.tsv line in $work/NAME/result
one() {
    local t=$1 d=$work/$1 try v bad=0 natfail=0 why n
    mkdir -p "$d"
    run "$t" native 1; run "$t" shim 1
    v=$(verdict "$t" 1)
    if [ "$v" != ok ]; then
        why=$v bad=1
        for try in 2 3; do
            run "$t" native $try; run "$t" shim $try; n=$try
            case $(state "$d/native.$try.rc") in pass|skip) ;; *) natfail=1 ;; esac
            [ "$(verdict "$t" $try)" != ok ] && bad=$((bad + 1))
            [ $bad = 2 ] && [ $natfail = 0 ] && break  # broken twice in a row: that will do
        done
        [ $natfail = 1 ] && why="natively flaky: $why" && bad=0
        [ $bad -gt 0 ] && why="$why ($bad/$n attempts)"
    fi
    local newerr; newerr=$(newerr "$d" | wc -l)
    read -r _ nt <"$d/native.1.rc"; read -r _ st <"$d/shim.1.rc"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$t" "$(state "$d/native.1.rc")" "$(state "$d/shim.1.rc")" \
        "$nt" "$st" "$bad" "$newerr" "$(kinds "$d/shim.1")" "${why:--}" >"$d/result"
    printf '%-36s native=%-8s shim=%-8s %6sms %6sms\n' "$t" "$(state "$d/native.1.rc")" \
        "$(state "$d/shim.1.rc")" "$nt" "$st" >&2
}
export -f run descendants state tap tapdiff mask newerr kinds verdict one

start=$(date +%s)
for t in $names; do
    if [ -f "$tdir/$t.test" ]; then echo "$t"; else echo "glib.sh: no test $t, ignored" >&2; fi
done | xargs -r -P "$jobs" -I{} bash -c 'one "$1"' _ {}

# Report. results.tsv: name native shim native_ms shim_ms broken_attempts new_stderr_lines kinds why
cd "$work" || exit 3
printf 'test\tnative\tshim\tnative_ms\tshim_ms\tbroken\tnew_stderr_lines\tfindings\twhy\n' >results.tsv
cat -- */result >>results.tsv 2>/dev/null
n=0 np=0 sp=0 broken=0 verdicts=0 errchg=0
while IFS=$'\t' read -r t nat sh _ _ bad newerr kinds why; do
    n=$((n + 1)); keep=0
    case $nat in pass|skip) np=$((np + 1)) ;; esac
    case $sh in pass|skip) sp=$((sp + 1)) ;; esac
    first=$(excerpt "$t")
    if [ "$bad" -gt 0 ]; then broken=$((broken + 1)) keep=1
        echo "BROKEN $t: $why; findings: $kinds; new stderr: ${first:-none}"
    elif [ "$why" != - ]; then keep=1; echo "FLAKY $t: $why; findings: $kinds"; fi
    if [[ $kinds =~ (all-asleep|deadlock) ]]; then verdicts=$((verdicts + 1)) keep=1
        echo "VERDICT $t: findings $kinds; native $nat, shim $sh; stderr: ${first:-none}"; fi
    if [[ $kinds =~ lock-order-inversion ]]; then keep=1
        echo "LOI $t: $(cat "$t"/shim.1.dumps/*.json |
            jq -r '.findings[]? | select(.kind == "lock-order-inversion") | .message' | sort -u | head -n 2 | paste -sd'|')"; fi
    if [ "$bad" = 0 ] && [ -n "$(tapdiff "$t" 1 s)" ]; then keep=1
        echo "NOTE $t: subtests skipped one way only: $(tapdiff "$t" 1 s)"; fi
    if [ "$newerr" -gt 0 ]; then errchg=$((errchg + 1)) keep=1
        echo "STDERR $t: $newerr new line(s): $first"; fi
    [ $keep = 1 ] || rm -rf -- "$t"
done < <(tail -n +2 results.tsv)
echo "run time $(( $(date +%s) - start ))s, shim $origshim (copied to $shim); logs: $work"
echo "GLIB tests=$n native_pass=$np shim_pass=$sp broken=$broken false_verdicts=$verdicts stderr_changed=$errchg"
[ $broken = 0 ] && [ $verdicts = 0 ]
