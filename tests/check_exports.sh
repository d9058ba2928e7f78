#!/usr/bin/env bash
# check_exports.sh - a shared libsyndic exports its API and nothing else.
#
#   check_exports.sh LIBSYNDIC.so INCLUDE/syndic.h CC
#
# The library is compiled with hidden visibility and the header marks its
# functions SYNDIC_API, so the dynamic symbols of libsyndic.so must be
# exactly the functions include/syndic.h declares: all of them (a
# declaration without SYNDIC_API is hidden, hence missing here), every name
# starting with syndic_, none with syndic__ (the cross-module internals).
# The declarations are read from the preprocessed header (comments and
# macros gone): every statement outside a typedef that names syndic_x(.
# Exit 77 (skipped) when there is no shared library or no nm.
set -euo pipefail
lib=$1 header=$2 cc=$3

if [ ! -f "$lib" ]; then
    echo "SKIP: no shared library at $lib (build the syndic_shared target)"
    exit 77
fi
if ! command -v nm >/dev/null; then
    echo "SKIP: nm not found"
    exit 77
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

nm -D --defined-only "$lib" | awk '{ print $NF }' | LC_ALL=C sort -u > "$tmp/exported"

# One statement per line; drop typedefs (function pointer types, structs),
# keep the first syndic_name( of each of the others.
"$cc" -E -P -DSYNDIC_API= -I "$(dirname "$header")" "$header" |
    tr '\n' ' ' | tr ';{}' '\n\n\n' |
    grep -v '^[[:space:]]*typedef' |
    grep -o '\bsyndic_[a-z0-9_]*[[:space:]]*(' | sed 's/[[:space:]]*($//' |
    LC_ALL=C sort -u > "$tmp/declared"

fail=0
declared=$(wc -l < "$tmp/declared")
exported=$(wc -l < "$tmp/exported")
echo "$declared functions declared in $(basename "$header"), $exported symbols exported by $(basename "$lib")"
if [ "$declared" -lt 50 ]; then
    echo "FAIL: only $declared declarations read from $header: the parsing is broken"
    fail=1
fi

internal=$(grep '^syndic__' "$tmp/exported" || true)
if [ -n "$internal" ]; then
    echo "FAIL: internal syndic__ functions exported ($(echo "$internal" | wc -l)):"
    echo "$internal" | sed 's/^/  /'
    fail=1
fi
foreign=$(grep -v '^syndic_' "$tmp/exported" || true)
if [ -n "$foreign" ]; then
    echo "FAIL: symbols exported without the syndic_ prefix:"
    echo "$foreign" | sed 's/^/  /'
    fail=1
fi
missing=$(LC_ALL=C comm -23 "$tmp/declared" "$tmp/exported")
if [ -n "$missing" ]; then
    echo "FAIL: declared in the header but not exported (SYNDIC_API missing, or not defined):"
    echo "$missing" | sed 's/^/  /'
    fail=1
fi
extra=$(LC_ALL=C comm -13 "$tmp/declared" "$tmp/exported" | grep -v '^syndic__' | grep '^syndic_' || true)
if [ -n "$extra" ]; then
    echo "FAIL: exported but not declared in the header:"
    echo "$extra" | sed 's/^/  /'
    fail=1
fi
[ "$fail" -eq 0 ] && echo "ok: the exports are the header's functions"
exit "$fail"
