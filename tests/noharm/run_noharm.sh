#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# No harm: programs that must behave under the shim exactly as without it
# (same exit status and stdout; stderr too unless the shim has a finding to
# report), plus the checks that need more than one run: reports never land in
# a file the program put on fd 2, log_path, dump files that refuse planted
# names, and a set-user-ID program run with a hostile ASLEEP_OPTIONS.
# Usage: run_noharm.sh SHIM BINDIR   (TAP on stdout)
set -u
shim=$1
bin=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fails=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $*"; }
check() { if eval "$2"; then ok "$1"; else notok "$1"; fi; }

# same NAME STDERR_TOO CMD...: status and stdout identical natively and under the shim
same() {
    local name=$1 err_too=$2
    shift 2
    timeout 60 "$@" >"$tmp/n.out" 2>"$tmp/n.err"
    local nrc=$?
    timeout 60 env LD_PRELOAD="$shim" "$@" >"$tmp/s.out" 2>"$tmp/s.err"
    local src=$?
    if [ "$nrc" = "$src" ] && cmp -s "$tmp/n.out" "$tmp/s.out" &&
        { [ "$err_too" = 0 ] || cmp -s "$tmp/n.err" "$tmp/s.err"; }; then
        ok "$name (status $nrc)"
    else
        notok "$name: native status $nrc, shim $src$([ "$src" = 124 ] && echo " (hung)")"
        diff "$tmp/n.out" "$tmp/s.out" | head -5 | sed 's/^/# /'
        head -5 "$tmp/s.err" | sed 's/^/# shim stderr: /'
    fi
}

same "C program, dlopened C++ library throws from 4 threads" 1 "$bin/dlopen_throw" "$bin/libthrower.so"
for round in 1 2 3; do
    same "4 threads fork 200 times each, at once (round $round)" 1 "$bin/fork_race"
done
same "descriptors after contended and nested locks" 0 "$bin/fd_numbering"
for round in 1 2 3 4 5; do
    same "_exit from a signal handler that interrupted malloc (round $round)" 1 "$bin/exit_in_handler"
done
same "read() of a file at the number of a pipe closed behind the shim (fclose, close_range, closefrom)" 1 \
    "$bin/stale_fd_read" "$tmp"

# A report never lands in the file the program opened on fd 2.
env LD_PRELOAD="$shim" "$bin/stderr_reopened" "$tmp/data" >/dev/null 2>&1
check "a report is not written into the program's own file on fd 2" \
    '[ "$(cat "$tmp/data")" = "the program'"'"'s own data" ]'
# ... and goes to log_path.<pid> when one is given.
env LD_PRELOAD="$shim" ASLEEP_OPTIONS="log_path=$tmp/log" "$bin/stderr_reopened" "$tmp/data2" >/dev/null 2>&1
check "with log_path the report goes to PATH.<pid>" \
    'grep -q "lock-order-inversion" "$tmp"/log.* 2>/dev/null && [ "$(cat "$tmp/data2")" = "the program'"'"'s own data" ]'
env LD_PRELOAD="$shim" ASLEEP_OPTIONS="log_path=$tmp/log3" "$bin/fd_numbering" >/dev/null 2>"$tmp/log3.err"
check "with log_path nothing is printed on stderr" '[ ! -s "$tmp/log3.err" ] && grep -q "lock-order-inversion" "$tmp"/log3.*'

# A name planted where the dump's temporary file goes is never followed.
mkdir -p "$tmp/dumps"
echo "precious" >"$tmp/victim"
sh -c 'for a in 0 1 2; do ln -s "$1" "$2/.asleep.$$.0.$a.tmp"; done; exec env LD_PRELOAD="$3" ASLEEP_OPTIONS="dump_dir=$2" "$4"' \
    sh "$tmp/victim" "$tmp/dumps" "$shim" "$bin/fd_numbering" >/dev/null 2>&1
check "a planted symlink at the dump's temporary name is not followed" \
    '[ "$(cat "$tmp/victim")" = precious ] && ls "$tmp"/dumps/asleep.*.json >/dev/null 2>&1 && [ ! -L "$(ls "$tmp"/dumps/asleep.*.json | head -1)" ]'
mode=$(stat -c %a "$(ls "$tmp"/dumps/asleep.*.json | head -1)" 2>/dev/null)
check "dump files are private (mode 0600)" '[ "$mode" = 600 ]'

# A set-user-ID root program, run by nobody with a hostile environment.
# glibc preloads in secure-execution mode only set-user-ID libraries from
# the system directories, by bare name: the shim is installed as one for
# the length of the test.
libdir=$(dirname "$(ldd "$bin/secure_prog" | awk '/libc.so/ {print $3}')")
if [ "$(id -u)" != 0 ] || ! command -v setpriv >/dev/null; then
    echo "ok $((n = n + 1)) # SKIP secure execution: needs root and setpriv"
else
    name=libasleep-noharm-$$.so
    install -m 4755 "$shim" "$libdir/$name"
    install -m 4755 -o root "$bin/secure_prog" "$tmp/secure_prog"
    chmod 755 "$tmp"
    mkdir -p "$tmp/rootonly" && chmod 700 "$tmp/rootonly"
    echo "secret-line-1" >"$tmp/rootonly/secret" && chmod 600 "$tmp/rootonly/secret"
    setpriv --reuid=65534 --regid=65534 --clear-groups env LD_PRELOAD="$name" \
        ASLEEP_OPTIONS="help=1:dump_dir=$tmp/rootonly/dumps:suppressions=$tmp/rootonly/secret:log_path=$tmp/rootonly/log" \
        "$tmp/secure_prog" >"$tmp/sec.out" 2>"$tmp/sec.err"
    rc=$?
    rm -f "$libdir/$name"
    check "secure execution: the program ran as set-user-ID root" '[ $rc = 0 ] && grep -q "uid 65534 euid 0" "$tmp/sec.out"'
    check "secure execution: the shim was loaded (help=1 printed)" 'grep -q "asleep: options" "$tmp/sec.err"'
    check "secure execution: options naming files refused, once" \
        '[ "$(grep -c "secure-execution" "$tmp/sec.err")" = 1 ]'
    check "secure execution: nothing written, nothing read for the caller" \
        '[ ! -e "$tmp/rootonly/dumps" ] && ! ls "$tmp"/rootonly/log* >/dev/null 2>&1 && ! grep -q secret-line "$tmp/sec.err"'
fi
echo "1..$n"
[ "$fails" = 0 ]
