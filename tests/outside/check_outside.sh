#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# attach and core, on programs started natively (no shim): each gets the
# right verdict from `asleep-analyze attach PID`, the process is left
# exactly as it was (same threads, each back in the same system call; a
# trap finishes with its normal output and status, a pending signal kept),
# and a core of it (gdb's gcore) gives the same verdict through
# `asleep-analyze core`.  TAP.  Usage: check_outside.sh ANALYZER SCENARIO_DIR OUTSIDE_DIR
set -u
ana=$1 scen=$2 here=$3
tmp=$(mktemp -d) || exit 1
pids=()
cleanup() { for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done; rm -rf -- "$tmp"; }
trap cleanup EXIT
n=0 bad=0
ok() { n=$((n + 1)); if eval "$2"; then echo "ok $n - $1"; else echo "not ok $n - $1"; bad=1; fi; }
unset LD_PRELOAD ASLEEP_OPTIONS

# Every thread of PID asleep, the same three looks in a row (a harness wait,
# not a product timing).
settle() {
    local pid=$1 same=0 last= now
    for _ in $(seq 1 200); do
        now=$(cat /proc/"$pid"/task/*/stat 2>/dev/null | awk '{print $1, $3}' | sort | tr '\n' ' ')
        if [ -n "$now" ] && [ "$now" = "$last" ] && ! grep -q ' R ' <<<" $now"; then
            same=$((same + 1)); [ "$same" -ge 3 ] && return 0
        else
            same=0
        fi
        last=$now
        sleep 0.05
    done
    return 1
}
# Each thread's tid, state and system call (number and first argument).
threads() {
    local pid=$1 t
    for t in /proc/"$pid"/task/*; do
        printf '%s %s %s\n' "${t##*/}" "$(awk '{print $3}' "$t/stat")" "$(cut -d' ' -f1,2 "$t/syscall")"
    done | sort
}
kinds() { python3 -c 'import json,glob,sys; print(" ".join(sorted(f["kind"] for p in glob.glob(sys.argv[1]+"/*.json") for f in json.load(open(p))["findings"])))' "$1"; }

verdict() { # NAME PROG WANT_KINDS [CORE_RC CORE_KINDS]
    local name=$1 prog=$2 want=$3 core_rc=${4:-2} core_want=${5-$3}
    "$prog" >/dev/null 2>&1 &
    local pid=$!
    pids+=("$pid")
    settle "$pid"
    threads "$pid" >"$tmp/$name.before"
    "$ana" attach --no-symbolize --dump-dir "$tmp/$name.d" "$pid" >"$tmp/$name.out" 2>&1; local rc=$?
    ok "$name: attach says deadlocked (exit 2)" '[ "$rc" = 2 ]'
    ok "$name: findings $want" '[ "$(kinds "$tmp/$name.d")" = "$want" ]'
    threads "$pid" >"$tmp/$name.after"
    ok "$name: afterwards the same threads, each back in the same system call" \
        'cmp -s "$tmp/$name.before" "$tmp/$name.after"'
    if command -v gcore >/dev/null; then
        gcore -o "$tmp/$name.core" "$pid" >/dev/null 2>&1
        "$ana" core --no-symbolize --dump-dir "$tmp/$name.cd" "$tmp/$name.core.$pid" >"$tmp/$name.cout" 2>&1; rc=$?
        ok "$name: its core gives ${core_want:-no} verdict" '[ "$rc" = "$core_rc" ] && [ "$(kinds "$tmp/$name.cd")" = "$core_want" ]'
        rm -f "$tmp/$name.core.$pid"
    fi
    kill -9 "$pid" 2>/dev/null
}

verdict abba "$scen/abba" "all-asleep deadlock"
verdict join_cycle "$here/join_cycle" "all-asleep deadlock"
verdict join_holding "$scen/join_holding" "all-asleep deadlock"
verdict rwlock_upgrade "$scen/rwlock_rd_wr" "all-asleep"
# a core cannot tell what a pipe is, nor who else holds it: no verdict
verdict pipe_nobody "$scen/pipe_nobody" "all-asleep" 0 ""

# a partial deadlock while main computes: a deadlock, not all asleep
"$here/partial_busy" & pid=$!; pids+=("$pid")
for _ in $(seq 1 100); do [ "$(grep -l '^State:.*S' /proc/"$pid"/task/*/status 2>/dev/null | wc -l)" -ge 2 ] && break; sleep 0.05; done
"$ana" attach --no-symbolize --dump-dir "$tmp/partial.d" "$pid" >/dev/null 2>&1; rc=$?
ok "partial deadlock: exit 2, a deadlock and no all-asleep" '[ "$rc" = 2 ] && [ "$(kinds "$tmp/partial.d")" = deadlock ]'
ok "partial deadlock: main still computes afterwards" 'grep -q "^State:.*R" /proc/"$pid"/status || grep -q "^State:.*R" /proc/"$pid"/task/"$pid"/status'
kill -9 "$pid" 2>/dev/null

# traps: nothing to report, and the program ends as it would have
trap_run() { # NAME PROG OUTPUT
    local name=$1 prog=$2 want=$3
    "$prog" "$tmp/$name.go" >"$tmp/$name.out" 2>&1 &
    local pid=$!
    pids+=("$pid")
    sleep 0.3
    "$ana" attach --no-symbolize --dump-dir "$tmp/$name.d" "$pid" >/dev/null 2>&1; local rc=$?
    ok "$name: attach finds nothing (exit 0)" '[ "$rc" = 0 ] && [ -z "$(kinds "$tmp/$name.d")" ]'
    : >"$tmp/$name.go"
    wait "$pid"; local status=$?
    ok "$name: the program finishes as it would have" '[ "$status" = 0 ] && [ "$(cat "$tmp/$name.out")" = "$want" ]'
}
trap_run busy "$here/trap_busy" "done 2"
trap_run timed "$here/trap_timed" "done"

# a server idle in epoll_wait on a socket another process holds, a blocked
# SIGUSR1 pending: no verdict; afterwards the wait goes on, the signal is
# still delivered once
"$here/trap_epoll" >"$tmp/epoll.out" 2>&1 & pid=$!; pids+=("$pid")
for _ in $(seq 1 100); do grep -q '^child' "$tmp/epoll.out" && break; sleep 0.05; done
settle "$pid"
child=$(awk '/^child/ {print $2}' "$tmp/epoll.out")
kill -USR1 "$pid"
"$ana" attach --no-symbolize --dump-dir "$tmp/epoll.d" "$pid" >/dev/null 2>&1; rc=$?
ok "epoll server: attach finds nothing (exit 0)" '[ "$rc" = 0 ] && [ -z "$(kinds "$tmp/epoll.d")" ]'
kill -USR2 "$child"
wait "$pid"; status=$?
ok "epoll server: it reads the message, the pending signal arrives once, exit 0" \
    '[ "$status" = 0 ] && [ "$(tail -n 1 "$tmp/epoll.out")" = "got hello, usr1 1" ]'

# usage
"$ana" attach 999999999 >/dev/null 2>"$tmp/err"; rc=$?
ok "attach to no process: exit 3, one line" '[ "$rc" = 3 ] && [ "$(wc -l <"$tmp/err")" = 1 ]'
"$ana" core /etc/passwd >/dev/null 2>"$tmp/err"; rc=$?
ok "core of a file that is no core: exit 3, one line" '[ "$rc" = 3 ] && [ "$(wc -l <"$tmp/err")" = 1 ]'
echo "1..$n"
exit "$bad"
