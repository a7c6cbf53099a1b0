#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Checks the scenario programs themselves, without the shim.
# Usage: check_noshim.sh BINDIR VERDICT_PROGRAM... -- CLEAN_PROGRAM...
#   verdict programs: the deadlocking ones must still be running after 3 s
#   (timeout's 124); leak_* must exit 7; partial_deadlock*, abandoned_cancel and
#   robust_owner_died 0;
#   exit_from_thread 3; crash_SIG dies of SIG (128+N: timeout passes the signal on).
#   clean programs: must exit 0 within 30 s (stdin_late gets "late\n" on a
#   pipe after 1.5 s).
# Every program must print nothing. Prints one line per program; exit 0 when all are right.
set -u
bindir=$1; shift
unset LD_PRELOAD ASLEEP_OPTIONS ASLEEP_TEST_DUMP_DIR
ulimit -c 0 2>/dev/null # crash_* programs: no core files
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
side=verdict
names=()
for p in "$@"; do
  if [ "$p" = -- ]; then side=clean; continue; fi
  case "$side:$p" in
    verdict:leak_*) want=7; limit=3 ;;
    verdict:partial_deadlock*) want=0; limit=15 ;;
    verdict:exit_from_thread) want=3; limit=3 ;;
    verdict:crash_*) s=${p#crash_}; want=$((128 + $(kill -l "${s^^}"))); limit=10 ;;
    verdict:abandoned_cancel|verdict:robust_owner_died) want=0; limit=15 ;;
    verdict:*) want=124; limit=3 ;;
    clean:*) want=0; limit=30 ;;
  esac
  names+=("$p")
  echo "$want" > "$tmp/$p.want"
  if [ "$p" = stdin_late ]; then
    # its stdin is a pipe another process writes late (as run_scenarios does)
    ( cd "$tmp" && { sleep 1.5; printf 'late\n'; } | timeout -k 2 "$limit" "$bindir/$p" >"$tmp/$p.out" 2>"$tmp/$p.err"; echo $? > "$tmp/$p.rc" ) &
  else
    ( cd "$tmp" && timeout -k 2 "$limit" "$bindir/$p" >"$tmp/$p.out" 2>"$tmp/$p.err" </dev/null; echo $? > "$tmp/$p.rc" ) &
  fi
done
wait
bad=0
for p in "${names[@]}"; do
  want=$(cat "$tmp/$p.want"); rc=$(cat "$tmp/$p.rc")
  if [ "$rc" = "$want" ] && [ ! -s "$tmp/$p.out" ] && [ ! -s "$tmp/$p.err" ]; then
    echo "ok    $p (status $rc)"
  else
    bad=$((bad+1))
    echo "FAIL  $p: status $rc (want $want); stdout: $(head -c 200 "$tmp/$p.out"); stderr: $(head -c 300 "$tmp/$p.err")"
  fi
done
echo "noshim: ${#names[@]} programs, $bad wrong"
[ "$bad" = 0 ]
