#!/usr/bin/env bash
# show.sh - `syndic show` lists the stories of a report and draws one.
set -euo pipefail
syndic=$1 src=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "show: $*" >&2; exit 1; }

"$syndic" cluster -q "$src/corpus/articles.jsonl" -o "$tmp/report.jsonl"
stories=$(wc -l < "$tmp/report.jsonl")
"$syndic" show "$tmp/report.jsonl" > "$tmp/list"
[ "$(wc -l < "$tmp/list")" -eq "$stories" ] || fail "list has $(wc -l < "$tmp/list") lines, report $stories"

"$syndic" show "$tmp/report.jsonl" 1 > "$tmp/one"
origin=$(head -n 1 "$tmp/report.jsonl" | sed 's/.*"origin":"\([^"]*\)".*/\1/')
grep -q "^story 1: " "$tmp/one" || fail "no story header"
grep -q "copy tree" "$tmp/one" || fail "no copy tree"
grep -q "^  $origin  (.*origin)" "$tmp/one" || fail "the tree does not start at the origin $origin"
size=$(head -n 1 "$tmp/report.jsonl" | sed 's/.*"size":\([0-9]*\).*/\1/')
[ "$(grep -c -- '-- ' "$tmp/one")" -eq $((size - 1)) ] || fail "the tree does not hold all $size copies"
# The same from stdin.
"$syndic" show - 1 < "$tmp/report.jsonl" | cmp -s - "$tmp/one" || fail "stdin differs"

# A story that is not there, a plain cluster report, bad arguments.
if "$syndic" show "$tmp/report.jsonl" 9999 2> "$tmp/err"; then fail "story 9999 exists?"; fi
grep -q "no story 9999" "$tmp/err" || fail "message for a missing story: $(cat "$tmp/err")"
"$syndic" cluster -q --no-analysis "$src/corpus/articles.jsonl" -o "$tmp/plain.jsonl"
rc=0; "$syndic" show "$tmp/plain.jsonl" 1 2> "$tmp/err" || rc=$?
[ "$rc" -eq 1 ] && grep -q "not a story report" "$tmp/err" || fail "plain report: rc $rc, $(cat "$tmp/err")"
rc=0; "$syndic" show "$tmp/report.jsonl" zero 2>/dev/null || rc=$?
[ "$rc" -eq 2 ] || fail "bad story number: rc $rc"
echo "show: ok"
