#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# metrics_file end to end, with Debian's own Prometheus tools: a program
# under the shim with 4 threads blocked on a mutex writes its metrics file;
# promtool check metrics accepts it; prometheus-node-exporter's textfile
# collector serves the values over HTTP; the file's last write (at exit)
# says the threads are gone.  TAP.  Usage: check_metrics.sh SHIM PROG
# Skips (77) when promtool or prometheus-node-exporter is missing.
set -u
shim=$1 prog=$2
command -v promtool >/dev/null && command -v prometheus-node-exporter >/dev/null || {
    echo "1..0 # SKIP promtool or prometheus-node-exporter not installed"; exit 77; }
tmp=$(mktemp -d) || exit 1
exporter=
cleanup() { [ -z "$exporter" ] || kill "$exporter" 2>/dev/null; rm -rf -- "$tmp"; }
trap cleanup EXIT
n=0 bad=0
ok() { n=$((n + 1)); if eval "$2"; then echo "ok $n - $1"; else echo "not ok $n - $1"; bad=1; fi; }
value() { # FILE METRIC-REGEX: the value of the first matching sample
    grep -E "^$2" "$1" | head -n 1 | awk '{print $NF}'
}

mkdir -p "$tmp/collector"
file=$tmp/collector/asleep.prom
LD_PRELOAD=$shim ASLEEP_OPTIONS="metrics_file=$file:metrics_interval_ms=100" "$prog" "$tmp/go" \
    >"$tmp/out" 2>"$tmp/err" &
pid=$!
for _ in $(seq 1 300); do
    [ "$(value "$file" 'asleep_threads_blocked\{.*kind="mutex"\}' 2>/dev/null)" = 4 ] && break
    sleep 0.05
done
cp "$file" "$tmp/while.prom" 2>/dev/null
ok "the file shows the 4 blocked threads" '[ "$(value "$tmp/while.prom" "asleep_threads_blocked\\{.*kind=\"mutex\"\\}")" = 4 ]'
ok "live threads: 5" '[ "$(value "$tmp/while.prom" "asleep_threads\\{")" = 5 ]'
ok "threads by creation site names start_blockers" \
    '[ "$(value "$tmp/while.prom" "asleep_threads_by_site\\{.*site=\"start_blockers\"\\}")" = 4 ]'
ok "every series carries program and pid" \
    '! grep -v "^#" "$tmp/while.prom" | grep -vq "program=\"metrics_prog\",pid=\"$pid\""'
ok "promtool check metrics accepts it" 'promtool check metrics <"$tmp/while.prom" >"$tmp/promtool" 2>&1'

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
prometheus-node-exporter --web.listen-address="127.0.0.1:$port" --collector.disable-defaults \
    --collector.textfile --collector.textfile.directory="$tmp/collector" >"$tmp/exporter.log" 2>&1 &
exporter=$!
scraped=
for _ in $(seq 1 100); do
    scraped=$(python3 -c "import urllib.request; print(urllib.request.urlopen('http://127.0.0.1:$port/metrics', timeout=2).read().decode())" 2>/dev/null) && break
    sleep 0.1
done
printf '%s\n' "$scraped" >"$tmp/scraped"
ok "node_exporter serves asleep_threads over HTTP" \
    'grep -Eq "^asleep_threads\\{pid=\"$pid\",program=\"metrics_prog\"\\} 5$" "$tmp/scraped"'
ok "node_exporter read the file without errors" \
    'grep -Eq "^node_textfile_scrape_error 0$" "$tmp/scraped"'

: >"$tmp/go"
wait "$pid"; status=$?
ok "the program exits 0, its output untouched" '[ "$status" = 0 ] && [ ! -s "$tmp/out" ] && [ ! -s "$tmp/err" ]'
ok "the last write, at exit: one thread left" '[ "$(value "$file" "asleep_threads\\{")" = 1 ]'
ok "no temporary file left behind" '[ "$(ls "$tmp/collector")" = asleep.prom ]'
echo "1..$n"
[ "$bad" = 1 ] && { echo "# promtool:"; sed 's/^/# /' "$tmp/promtool" 2>/dev/null; echo "# exporter:"; tail -5 "$tmp/exporter.log" | sed 's/^/# /'; }
exit "$bad"
