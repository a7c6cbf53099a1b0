#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The HTML report as a person sees it: the demo's deadlock, reported with
# --format html, opened in Debian's chromium (headless) at 1400 and 900
# pixels wide.  Measured from the rendered page (probe.html, put into a copy
# of it): nothing overflows the page horizontally, graph labels are at least
# 10 px tall, every finding card is titled with its kind and summary.  TAP.
# Usage: check_html.sh SHIM DEMO ANALYZER.  Skips (77) without chromium or dot.
set -u
shim=$1 demo=$2 ana=$3
here=$(cd -- "$(dirname -- "$0")" && pwd -P)
command -v chromium >/dev/null && command -v dot >/dev/null || {
    echo "1..0 # SKIP chromium or graphviz not installed"; exit 77; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf -- "$tmp"' EXIT
n=0 bad=0
ok() { n=$((n + 1)); if eval "$2"; then echo "ok $n - $1"; else echo "not ok $n - $1"; bad=1; fi; }

LD_PRELOAD=$shim ASLEEP_OPTIONS=dump_dir=$tmp/dumps timeout 60 "$demo" >/dev/null 2>&1
"$ana" report --format html "$tmp/dumps" >"$tmp/report.html"
ok "the report has a rendered graph" 'grep -q "<svg" "$tmp/report.html"'
python3 - "$tmp/report.html" "$here/probe.html" "$tmp/probed.html" <<'PY'
import sys
page, probe = open(sys.argv[1]).read(), open(sys.argv[2]).read()
open(sys.argv[3], "w").write(page.replace("</body>", probe + "</body>"))
PY
for width in 1400 900; do
    # HOME: chromium wants a profile directory it can write
    HOME=$tmp timeout 120 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
        --window-size="$width,2000" --dump-dom "file://$tmp/probed.html" 2>/dev/null \
        | grep -o 'RESULT.*ENDRES' | head -n 1 | sed 's/^RESULT//; s/ENDRES$//' >"$tmp/m$width.json"
    ok "$width px: the browser laid the page out" '[ -s "$tmp/m$width.json" ]'
    m() { python3 -c "import json,sys,html; d=json.load(open('$tmp/m$width.json')); print(eval(sys.argv[1]))" "$1"; }
    ok "$width px: nothing overflows the page horizontally" \
        '[ "$(m "d[\"scrollWidth\"] <= d[\"clientWidth\"] and not d[\"overflowing\"]")" = True ]'
    ok "$width px: graph labels are at least 10 px tall" \
        '[ "$(m "d[\"svgTexts\"] > 0 and d[\"minTextPx\"] >= 10")" = True ]'
    ok "$width px: every finding card is titled with its kind" \
        '[ "$(m "len(d[\"titles\"]) >= 2 and all(t.split(\":\")[0] in (\"deadlock\", \"all-asleep\") for t in d[\"titles\"])")" = True ]'
done
echo "1..$n"
[ "$bad" = 0 ] || cat "$tmp"/m*.json | sed 's/^/# /'
exit "$bad"
