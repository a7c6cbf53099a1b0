#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# check_layers.sh ROOT: the house rules the compiler cannot see.
#  - shim/: a file includes headers of its own layer or the layers below
#    (hooks -> runtime -> output -> judge -> state -> base -> common);
#    the build's include paths enforce it too, this names the offender;
#  - only hooks/ (and runtime/asl_api.c, the documented entry points)
#    export symbols (ASL_EXPORT);
#  - shim/, common/, analyzer/: `extern` declarations only in headers;
#  - every source file starts with an SPDX license line.
# Prints one line per violation; exit 0 when there is none.
set -u
root=$1
cd "$root" || exit 2
layers=(common base state judge output runtime hooks)
rank() { local i; for i in "${!layers[@]}"; do [ "${layers[$i]}" = "$1" ] && echo "$i" && return; done; echo -1; }
bad=0
declare -A header_layer
for h in common/*.h shim/*/*.h; do
    l=$(basename "$(dirname "$h")")
    [ "$l" = common ] || [ -d "shim/$l" ] || continue
    header_layer[$(basename "$h")]=$l
done
for f in shim/*/*.[ch]; do
    own=$(basename "$(dirname "$f")")
    r=$(rank "$own")
    while read -r inc; do
        l=${header_layer[$inc]:-}
        [ -n "$l" ] || continue
        if [ "$(rank "$l")" -gt "$r" ]; then
            echo "$f: includes $inc from $l/, a layer above $own/"
            bad=$((bad + 1))
        fi
    done < <(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$f")
done
for f in shim/*/*.c; do
    case $f in shim/hooks/*|shim/runtime/asl_api.c) continue ;; esac
    if grep -q '^ASL_EXPORT' "$f"; then
        echo "$f: exports a symbol outside hooks/"
        bad=$((bad + 1))
    fi
done
for f in shim/*/*.c common/*.c analyzer/*.c; do
    if grep -nE '^[[:space:]]*extern[[:space:]]' "$f" | grep -v '"C"' | head -1 | grep -q .; then
        echo "$f: an extern declaration outside a header: $(grep -nE '^[[:space:]]*extern[[:space:]]' "$f" | head -1)"
        bad=$((bad + 1))
    fi
done
for f in shim/*/*.[ch] common/*.[ch] analyzer/*.[ch]; do
    if ! head -1 "$f" | grep -q 'SPDX-License-Identifier:'; then
        echo "$f: no SPDX-License-Identifier line first"
        bad=$((bad + 1))
    fi
done
[ "$bad" = 0 ] && echo "layers: ok"
[ "$bad" = 0 ]
