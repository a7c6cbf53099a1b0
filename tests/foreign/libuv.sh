#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# libuv.sh: run libuv's own test suite natively and under the asleep shim, and compare.
#
# libuv's tests are ~500 correct event-loop programs (threads, pipes, epoll, io_uring, child
# processes). Every test that passes natively must pass under the shim, and no run may get an
# `all-asleep` or `deadlock` finding. For each test this runs `uv_run_tests_a NAME` natively and
# then under the shim (back to back, so load hits both alike), one test per process, and records
# pass/skip/fail/timeout for each plus the finding kinds in the shim run's dumps (the test's child
# processes get the shim too, so there may be several dumps). A test that passes natively but not
# under the shim is re-run (both ways) up to 2 more times: if native fails too it is reported as
# FLAKY-NATIVE, otherwise as BROKEN. Any all-asleep/deadlock finding is a FALSE-VERDICT.
#
# Usage: tests/foreign/libuv.sh [--shim PATH] [--tests "name1 name2"] [--jobs N]
#   --shim   the shim to test (default: build/shim/libasleep.so of this checkout); it is copied
#            first, so a rebuild during the run does not change what is tested
#   --tests  only these tests (default: all of `uv_run_tests_a --list`)
#   --jobs   tests run at a time (default 1). Each test runs in its own network namespace
#            (private loopback, so fixed ports such as 9123 do not clash) and working directory.
# Environment: KEEP=1 keeps the temporary directory; TIMEOUT (s, default 150) per run;
#   UV_TEST_TIMEOUT_MULTIPLIER (default 2) stretches libuv's own per-test limits (5..60 s);
#   NETNS=0 runs without the private network namespace (then keep --jobs 1).
# Output: one line per BROKEN / FLAKY-NATIVE / FALSE-VERDICT test (and NOTE for a test that is
#   skipped natively but fails under the shim), then
#   `LIBUV tests=N native_pass=A shim_pass=B broken=C false_verdicts=D`.
#   Exit 0 only when broken=0 and false_verdicts=0 (1 otherwise, 2 on a setup error).
#   Logs (results.tsv, and stdout/stderr/dumps of every reported test) go to /tmp/asleep-libuv-logs.*
# Time: the first run builds libuv (~1 min on 2 cores; cached in /var/tmp/asleep-libuv-build,
#   keyed by the tarball's sha256); the ~500 tests then take ~2 min with --jobs 2, ~4 min with
#   --jobs 1 (longer when many tests break and are re-run, or time out).
# Requires: root (creates the system user `asleep-test`, since libuv's runner refuses root, and
#   network namespaces), cmake and a C compiler (cmake is apt-get installed if missing), jq,
#   timeout, setpriv, unshare and ip (util-linux, iproute2). libuv is built from
#   ../shared/thirdparty/libuv-1.52.1.tar.gz relative to the checkout; its code never enters the repo.
set -u

die() { echo "libuv.sh: $*" >&2; exit 2; }

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
shim=$root/build/shim/libasleep.so
only=""
jobs=1
while [ $# -gt 0 ]; do
  case $1 in
    --shim) shim=${2:?--shim needs a path}; shift 2 ;;
    --tests) only=${2:?--tests needs names}; shift 2 ;;
    --jobs) jobs=${2:?--jobs needs a number}; shift 2 ;;
    -h|--help) sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done
[[ $jobs =~ ^[1-9][0-9]*$ ]] || die "--jobs wants a positive number"
[ "$(id -u)" -eq 0 ] || die "run as root"
shim=$(realpath -e "$shim") || die "no shim at $shim"
tarball=$(realpath -e "$root/../shared/thirdparty/libuv-1.52.1.tar.gz") || die "libuv tarball missing"
limit=${TIMEOUT:-150}
mult=${UV_TEST_TIMEOUT_MULTIPLIER:-2}
user=asleep-test
start=$SECONDS

# --- setup: user, tools, temp dir ------------------------------------------------------------
id -u "$user" >/dev/null 2>&1 || useradd -r -m -s /usr/sbin/nologin "$user" || die "useradd failed"
uid=$(id -u "$user"); gid=$(id -g "$user")
home=$(getent passwd "$user" | cut -d: -f6)
if ! command -v cmake >/dev/null; then
  { apt-get update -qq && apt-get install -y -qq cmake >/dev/null; } || die "cannot install cmake"
fi
for tool in jq timeout setpriv; do command -v "$tool" >/dev/null || die "$tool missing"; done
netns=()
if [ "${NETNS:-1}" != 0 ]; then
  unshare -n ip link set lo up 2>/dev/null || die "unshare -n / ip not usable (NETNS=0 to run without)"
  netns=(unshare -n sh -c 'ip link set lo up && exec "$@"' sh)
fi

tmp=$(mktemp -d /tmp/asleep-libuv.XXXXXX) || die "mktemp failed"
chmod 755 "$tmp"
cleanup() {
  local pids f
  mapfile -t pids < <(jobs -p)  # our own background test pairs, then the runs still going
  [ ${#pids[@]} -gt 0 ] && kill "${pids[@]}" 2>/dev/null
  for f in "$tmp"/run/*/*/pid; do
    [ -e "$f" ] && [ ! -e "${f%pid}rc" ] && kill -TERM -- "-$(cat "$f")" 2>/dev/null
  done
  wait 2>/dev/null
  [ -n "${logs:-}" ] && rmdir "$logs" 2>/dev/null  # only when empty (interrupted early)
  if [ "${KEEP:-0}" = 1 ]; then echo "kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
logs=$(mktemp -d /tmp/asleep-libuv-logs.XXXXXX) || die "mktemp failed"
chmod 755 "$logs"

# --- build (or take from the cache) --------------------------------------------------------------
tar -xzf "$tarball" -C "$tmp" || die "cannot unpack $tarball"
src=$(echo "$tmp"/libuv-*)
sha=$(sha256sum "$tarball" | cut -c1-64)
cache=/var/tmp/asleep-libuv-build/$sha
if [ ! -x "$cache/uv_run_tests_a" ]; then
  echo "building libuv in $tmp/build (cached in $cache) ..."
  gen=(); command -v ninja >/dev/null && gen=(-G Ninja)
  { cmake -S "$src" -B "$tmp/build" "${gen[@]}" -DBUILD_TESTING=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo &&
    cmake --build "$tmp/build" --target uv_run_tests_a -j 2; } >"$tmp/build.log" 2>&1 ||
    { tail -n 30 "$tmp/build.log" >&2; die "libuv build failed"; }
  { mkdir -p "$cache" && cp "$tmp/build/uv_run_tests_a" "$cache/.uv_run_tests_a.$$" &&
    mv "$cache/.uv_run_tests_a.$$" "$cache/uv_run_tests_a"; } || die "cannot fill cache $cache"
fi
bin=$tmp/uv_run_tests_a
{ cp "$cache/uv_run_tests_a" "$bin" && cp "$shim" "$tmp/libasleep.so"; } || die "copy failed"
chmod 755 "$bin" "$tmp/libasleep.so"

# as_user CMD...: run CMD as $user with a clean environment (extra VAR=value words go first)
as_user() {
  setpriv --reuid="$uid" --regid="$gid" --init-groups \
    env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$home" USER="$user" LANG=C.UTF-8 "$@"
}
# A preload the user cannot read is silently ignored by ld.so: make sure it really loads.
as_user LD_PRELOAD="$tmp/libasleep.so" grep -q libasleep /proc/self/maps ||
  die "the shim does not load as $user"

mapfile -t all < <(as_user "$bin" --list | awk '{print $1}')
[ ${#all[@]} -gt 0 ] || die "uv_run_tests_a --list printed nothing"
if [ -n "$only" ]; then
  tests=()
  for t in $only; do
    if printf '%s\n' "${all[@]}" | grep -qx -- "$t"; then tests+=("$t"); else echo "unknown test: $t" >&2; fi
  done
else
  tests=("${all[@]}")
fi

# --- one run ---------------------------------------------------------------------------------------
# run_one NAME MODE TRY: run test NAME (MODE native|shim) in $tmp/run/NAME/MODE.TRY/ (cwd/, out,
# err, rc, dumps/, pid); writes "STATUS KINDS" into its file status (KINDS: the dumps' finding
# kinds, comma-separated, or -).
run_one() {
  local t=$1 mode=$2 d=$tmp/run/$1/$2.$3 rc st kinds pre=()
  mkdir -p "$d/cwd/test" && cp -r "$src/test/fixtures" "$d/cwd/test/" && chown -R "$uid:$gid" "$d"
  [ "$mode" = shim ] && pre=(LD_PRELOAD="$tmp/libasleep.so" ASLEEP_OPTIONS="dump_dir=$d/dumps")
  # timeout leads its own process group (the test and its children): cleanup() kills that by pid
  (cd "$d/cwd" && ulimit -c 0 && exec timeout -k 10 "$limit" "${netns[@]}" \
    setpriv --reuid="$uid" --regid="$gid" --init-groups \
    env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$home" USER="$user" LANG=C.UTF-8 \
      UV_TEST_TIMEOUT_MULTIPLIER="$mult" "${pre[@]}" "$bin" "$t") </dev/null >"$d/out" 2>"$d/err" &
  echo $! >"$d/pid"
  wait $!; rc=$?; echo "$rc" >"$d/rc"
  if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then st=timeout
  elif grep -q "^ok 1 - $t # SKIP" "$d/out"; then st=skip
  elif [ "$rc" = 0 ] && grep -qx "ok 1 - $t" "$d/out"; then st=pass
  elif grep -qx "# timeout" "$d/out"; then st=timeout
  else st=fail
  fi
  kinds=$(cat "$d"/dumps/asleep.*.json 2>/dev/null | jq -r '.findings[]?.kind' 2>/dev/null |
    sort -u | paste -sd, -)
  echo "$st ${kinds:--}" >"$d/status"
}

# pair NAME TRY: native then shim; writes "NAME TRY NATIVE SHIM KINDS" to $tmp/res/NAME.TRY
pair() {
  local r=$tmp/run/$1 n s
  run_one "$1" native "$2" && run_one "$1" shim "$2" &&
    read -r n _ <"$r/native.$2/status" && read -r s <"$r/shim.$2/status" &&
    echo "$1 $2 $n $s" >"$tmp/res/$1.$2"
}

# run_all TRY NAME...: run the pairs, $jobs at a time
run_all() {
  local try=$1 t; shift
  for t in "$@"; do
    while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n; done
    pair "$t" "$try" &
  done
  wait
}

mkdir -p "$tmp/res" "$tmp/run"
echo "running ${#tests[@]} libuv tests natively and under $shim (jobs=$jobs) ..."
run_all 1 "${tests[@]}"

# --- retries, verdicts, report ------------------------------------------------------------------
first() { cat "$tmp"/res/*.1; }
mapfile -t suspects < <(first | awk '$3 == "pass" && $4 != "pass" {print $1}')
for try in 2 3; do
  again=()
  for t in "${suspects[@]}"; do
    # once it has failed natively too it is flaky: no need to run it again
    [ -z "$(awk '$3 != "pass"' "$tmp/res/$t".*)" ] && again+=("$t")
  done
  [ ${#again[@]} -gt 0 ] && echo "re-running ${#again[@]} broken test(s), try $try ..." && run_all "$try" "${again[@]}"
done
cat "$tmp"/res/* | sort -k1,1 -k2,2n >"$logs/results.tsv"

# excerpt FILE...: the first lines that are not the TAP result line, joined, cut to 300 chars
excerpt() { cat "$@" 2>/dev/null | grep -v '^\(not \)\{0,1\}ok 1 - ' | grep -v '^#\{0,1\} *$' | head -n 4 |
  paste -sd'|' - | cut -c1-300; }
keep_logs() { mkdir -p "$logs/$1" && cp -r "$tmp/run/$1/." "$logs/$1/"; }

# a verdict dump in one line: the kinds, the process and the test/helper function it ran (the
# caller of uv_run), and what each thread waits on
# shellcheck disable=SC2016  # $f is jq's
verdict_jq='select(any(.findings[]?; .kind == "all-asleep" or .kind == "deadlock")) |
  ([.findings[].kind | select(. == "all-asleep" or . == "deadlock")] | unique | join(",")) +
  " in pid \(.pid)\([.threads[].stack // [] | map(.function // "?") | . as $f |
  range(length - 1) | select($f[.] | startswith("uv_run+")) | " (" + ($f[. + 1] |
  sub("\\+0x.*"; "")) + ")"][0] // ""): " + ([.threads[] | select(.wait) |
  "tid \(.tid) waits on \(.wait.kind) \(.wait.object)\(if .wait.timed then " (timed)" else "" end)"] |
  join(", "))'
broken=0 flaky=0 verdicts=0
for t in "${tests[@]}"; do
  if [ ! -s "$tmp/res/$t.1" ]; then  # the harness itself failed (disk full?): count it
    echo "BROKEN $t: no result recorded"; broken=$((broken + 1)); continue
  fi
  read -r _ _ nat sh kinds <"$tmp/res/$t.1"
  d=$tmp/run/$t/shim.1
  if [[ " ${suspects[*]} " == *" $t "* ]]; then
    tries=$(cat "$tmp/res/$t".* | wc -l)
    nfail=$(awk '$3 != "pass"' "$tmp/res/$t".* | wc -l)
    sfail=$(awk '$4 != "pass"' "$tmp/res/$t".* | wc -l)
    what=BROKEN; [ "$nfail" -gt 0 ] && what=FLAKY-NATIVE
    if [ $what = BROKEN ]; then broken=$((broken + 1)); else flaky=$((flaky + 1)); fi
    echo "$what $t: native=$nat shim=$sh (rc=$(cat "$d/rc")) kinds=$kinds;" \
      "shim failed $sfail/$tries, native failed $nfail/$tries; output: $(excerpt "$d/err" "$d/out")"
    keep_logs "$t"
  elif [ "$nat" = skip ] && [ "$sh" != pass ] && [ "$sh" != skip ]; then
    echo "NOTE $t: native=skip shim=$sh (rc=$(cat "$d/rc")) kinds=$kinds; output: $(excerpt "$d/err" "$d/out")"
    keep_logs "$t"
  fi
  if awk '{print $5}' "$tmp/res/$t".* | grep -qE '(^|,)(all-asleep|deadlock)(,|$)'; then
    verdicts=$((verdicts + 1))
    keep_logs "$t"
    for r in "$tmp/run/$t"/shim.*; do
      where=$(cat "$r"/dumps/asleep.*.json 2>/dev/null | jq -r "$verdict_jq" 2>/dev/null | head -n 3 |
        paste -sd';' -)
      [ -n "$where" ] && break
    done
    echo "FALSE-VERDICT $t: native=$nat shim=$sh; $where"
  fi
done

[ "$flaky" -gt 0 ] && echo "flaky_native=$flaky (not counted as broken)"
echo "logs: $logs (results.tsv: NAME TRY NATIVE SHIM KINDS); time: $((SECONDS - start)) s"
echo "LIBUV tests=${#tests[@]} native_pass=$(first | awk '$3 == "pass"' | wc -l)" \
  "shim_pass=$(first | awk '$4 == "pass"' | wc -l) broken=$broken false_verdicts=$verdicts"
[ "$broken" -eq 0 ] && [ "$verdicts" -eq 0 ]
