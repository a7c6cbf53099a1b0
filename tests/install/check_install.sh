#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `meson install --destdir` into a temporary directory, then the installed
# tool used from there as a user would: the runner on PATH finds its shim,
# a program is built against the installed header through pkg-config and
# run under the installed runner, and every installed part is in place.
# TAP.  Usage: check_install.sh BUILDDIR
set -u
build=$1
tmp=$(mktemp -d) || exit 1
trap 'rm -rf -- "$tmp"' EXIT
n=0 bad=0
ok() { n=$((n + 1)); if eval "$2"; then echo "ok $n - $1"; else echo "not ok $n - $1"; bad=1; fi; }

meson install -C "$build" --destdir "$tmp/root" --no-rebuild --quiet >"$tmp/install.log" 2>&1
ok "meson install --destdir succeeds" '[ $? = 0 ]'
prefix=$(meson introspect "$build" --buildoptions | python3 -c 'import json,sys; print([o["value"] for o in json.load(sys.stdin) if o["name"]=="prefix"][0])')
libdir=$(meson introspect "$build" --buildoptions | python3 -c 'import json,sys; print([o["value"] for o in json.load(sys.stdin) if o["name"]=="libdir"][0])')
root=$tmp/root$prefix
bin=$root/bin
ok "the runner is installed as bin/asleep" '[ -x "$bin/asleep" ]'
ok "asleep-analyze is installed" '[ -x "$bin/asleep-analyze" ]'
ok "the runner says its version" '"$bin/asleep" --version | grep -qxE "asleep [0-9.]+"'
shim=$root/$libdir/asleep/libasleep.so.0
ok "the shim is in the private library directory, with a versioned SONAME" \
    'readelf -d "$shim" | grep -q "SONAME.*\[libasleep.so.0\]"'
ok "the header is installed" '[ -f "$root/include/asleep.h" ]'
# the staged tree as a sysroot, as packagers build against a DESTDIR
export PKG_CONFIG_PATH=$root/$libdir/pkgconfig PKG_CONFIG_SYSROOT_DIR=$tmp/root
ok "pkg-config knows asleep" 'pkg-config --exists asleep'
cflags=$(pkg-config --cflags asleep) libs=$(pkg-config --libs asleep)
# shellcheck disable=SC2086
cc -o "$tmp/leak_check" "$(dirname -- "$0")/leak_check.c" $cflags $libs -pthread 2>"$tmp/cc.err"
ok "a program builds against the installed header through pkg-config" '[ -x "$tmp/leak_check" ]'
ok "without the shim it runs and says so" '[ "$("$tmp/leak_check")" = no-shim ]'
out=$(PATH=$bin:$PATH asleep --dump-dir "$tmp/dumps" -- "$tmp/leak_check" 2>"$tmp/run.err")
ok "under the installed runner the installed shim finds the leak" '[ "$out" = leaked=1 ]'
ok "and its dump is there" 'ls "$tmp/dumps"/asleep.*.json >/dev/null 2>&1'
PATH=$bin:$PATH asleep --gate -- "$tmp/leak_check" >/dev/null 2>"$tmp/gate.err"; gate=$?
ok "the installed runner's gate uses the installed analyzer (exit 3: findings)" '[ "$gate" = 3 ]'
man=$root/share/man
for page in man1/asleep.1 man1/asleep-analyze.1 man7/asleep-options.7; do
    ok "man page $page renders without warnings" \
        '[ -f "$man/$page" ] && [ -z "$(MANWIDTH=80 man --warnings -l "$man/$page" 2>&1 >/dev/null)" ]'
done
ok "asleep-options(7) lists every option help=1 lists" \
    '[ "$(MANWIDTH=200 man -l "$man/man7/asleep-options.7" 2>/dev/null | grep -cE "^ +[a-z_]+=")" = "$(LD_PRELOAD=$shim ASLEEP_OPTIONS=help=1 /bin/true 2>&1 | grep -cE "^  [a-z_]+ \(")" ]'
ok "the schemas are installed" '[ -f "$root/share/asleep/dump.schema.json" ] && [ -f "$root/share/asleep/summary.schema.json" ]'
ok "bash completion for both commands" \
    '[ -f "$root/share/bash-completion/completions/asleep" ] && [ -f "$root/share/bash-completion/completions/asleep-analyze" ]'
ok "the completion offers the runner options" \
    'bash -c ". \"$root/share/bash-completion/completions/asleep\"; COMP_WORDS=(asleep --ga); COMP_CWORD=1; _asleep; echo \"\${COMPREPLY[*]}\"" | grep -qx -- --gate'
ok "the LICENSE is installed" '[ -f "$root/share/doc/asleep/LICENSE" ]'
echo "1..$n"
[ "$bad" = 0 ] || { sed 's/^/# /' "$tmp/install.log" "$tmp/cc.err" "$tmp/run.err" 2>/dev/null | head -20; }
exit "$bad"
