#!/usr/bin/env bash
# bad_records.sh - bad input records: warned about and counted by default,
# fatal with --strict; damaged gzip input.
# Usage: bash bad_records.sh /path/to/syndic /path/to/source-root
set -euo pipefail
SYNDIC=${1:?usage: $0 SYNDIC SOURCE_ROOT}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/syndic-cli-bad.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
run() { set +e; "$@" >"$tmp/out" 2>"$tmp/err"; rc=$?; set -e; }
expect_rc() {
    [ "$rc" -eq "$1" ] || fail "$2: exit status $rc, expected $1; stderr: $(head -c 600 "$tmp/err")"
}

A="Officials in the coastal town of Marlow Bay confirmed on Tuesday that the old harbour bridge will close for six months starting in April while engineers replace its rusting steel supports. The town council voted unanimously for the repairs after an inspection found deep corrosion in several beams below the waterline. Mayor Helen Strand said the closure would be painful for local shops but that safety had to come first. A temporary ferry service will carry pedestrians and cyclists across the estuary every twenty minutes during the day, and drivers will be directed to a longer route through the hills to the north."
A2="Officials in the coastal town of Marlow Bay said on Tuesday that the old harbour bridge will close for six months from April while engineers replace its rusting steel supports. The town council voted unanimously for the repairs after an inspection found deep corrosion in several beams below the waterline. Mayor Helen Strand said the closure would be hard for local shops but that safety had to come first. A temporary ferry service will carry pedestrians and cyclists across the estuary every twenty minutes during the day, and drivers will be sent on a longer route through the hills to the north."

# Line: content (reason)
#  1 good a1
#  2 {"id":"x","text":       malformed_json
#  3 [1,2]                   not_object
#  4 {"id":"m"}              missing_field
#  5 {"id":"n","text":5}     not_string
#  6 invalid UTF-8           invalid_utf8
#  7 {"id":"e","text":""}    empty_text
#  8 good a2
#  9 {"text":"no id"}        missing_field
{
    printf '{"id":"a1","date":"2026-03-04T09:00:00Z","text":"%s"}\n' "$A"
    printf '{"id":"x","text":\n'
    printf '[1,2]\n'
    printf '{"id":"m"}\n'
    printf '{"id":"n","text":5}\n'
    printf '{"id":"u","text":"bad \xff byte"}\n'
    printf '{"id":"e","text":""}\n'
    printf '{"id":"a2","date":"2026-03-04T10:00:00Z","text":"%s"}\n' "$A2"
    printf '{"text":"no id"}\n'
} >"$tmp/bad.jsonl"

# Default: exit 0, one warning per bad record naming file:line and reason,
# the summary counts them by reason, and the good records still cluster.
run "$SYNDIC" cluster "$tmp/bad.jsonl"
expect_rc 0 "default mode"
expect_warning() {
    grep -q "^syndic: warning: .*bad.jsonl:$1: .*$2" "$tmp/err" ||
        fail "no warning for line $1 ($2): $(cat "$tmp/err")"
}
expect_warning 2 "malformed JSON"
expect_warning 3 "not a JSON object"
expect_warning 4 "missing field \"text\""
expect_warning 5 "not a string"
expect_warning 6 "invalid UTF-8"
expect_warning 7 "empty text"
expect_warning 9 "missing field \"id\""
[ "$(grep -c '^syndic: warning:' "$tmp/err")" -eq 7 ] || fail "expected 7 warnings: $(cat "$tmp/err")"
for good in 1 8; do
    if grep -q "bad.jsonl:$good:" "$tmp/err"; then fail "warning for good line $good"; fi
done
summary='skipped 7 (malformed_json 1, not_object 1, missing_field 2, not_string 1, invalid_utf8 1, empty_text 1)'
grep -qF "$summary" "$tmp/err" || fail "summary does not count by reason: $(grep 'skipped' "$tmp/err")"
grep -q 'read 2 documents' "$tmp/err" || fail "summary: documents read: $(cat "$tmp/err")"
grep -q '"origin":"a1"' "$tmp/out" || fail "good records did not cluster: $(cat "$tmp/out")"

# --max-warnings caps the warnings, not the counts.
run "$SYNDIC" cluster --max-warnings 2 "$tmp/bad.jsonl"
expect_rc 0 "--max-warnings 2"
[ "$(grep -c '^syndic: warning:' "$tmp/err")" -eq 2 ] || fail "--max-warnings 2: $(cat "$tmp/err")"
grep -qF "$summary" "$tmp/err" || fail "--max-warnings: summary changed: $(cat "$tmp/err")"

# --strict: exit 1 at the first bad record (line 2), nothing written.
run "$SYNDIC" cluster --strict "$tmp/bad.jsonl"
expect_rc 1 "--strict"
grep -q 'bad.jsonl:2:' "$tmp/err" || fail "--strict: first bad record not named: $(cat "$tmp/err")"
if grep -q 'bad.jsonl:3:' "$tmp/err"; then fail "--strict: went on after the first bad record"; fi
[ ! -s "$tmp/out" ] || fail "--strict: clusters written: $(cat "$tmp/out")"

# A file of good records passes --strict.
grep -E '"id":"a[12]"' "$tmp/bad.jsonl" >"$tmp/good.jsonl"
run "$SYNDIC" cluster -q --strict "$tmp/good.jsonl"
expect_rc 0 "--strict on good input"

# A line over --max-line is skipped and counted; the next line is read.
{
    printf '{"id":"a1","text":"%s"}\n' "$A"
    printf '{"id":"long","text":"%s %s %s"}\n' "$A" "$A" "$A"
    printf '{"id":"a2","text":"%s"}\n' "$A2"
} >"$tmp/long.jsonl"
run "$SYNDIC" cluster --max-line 1000 "$tmp/long.jsonl"
expect_rc 0 "--max-line"
grep -q 'long.jsonl:2: .*longer than 1000' "$tmp/err" || fail "--max-line: warning: $(cat "$tmp/err")"
grep -qF 'line_too_long 1' "$tmp/err" || fail "--max-line: summary: $(cat "$tmp/err")"
grep -q '"id":"a2"' "$tmp/out" || fail "--max-line: line after the long one lost: $(cat "$tmp/out")"

# A truncated gzip: a warning, the records before the damage are kept.
for i in $(seq 1 400); do
    printf '{"id":"r%d","text":"record %d of a longer file with words %d %d %d"}\n' "$i" "$i" "$((i * 7))" "$((i * 13))" "$((i * 31))"
done >"$tmp/many.jsonl"
gzip -c "$tmp/many.jsonl" >"$tmp/many.jsonl.gz"
size=$(wc -c <"$tmp/many.jsonl.gz")
head -c "$((size - 12))" "$tmp/many.jsonl.gz" >"$tmp/cut.jsonl.gz"
run "$SYNDIC" cluster --singletons "$tmp/cut.jsonl.gz"
expect_rc 0 "truncated gzip"
grep -Eq 'warning: .*cut.jsonl.gz.*(truncated|corrupt)' "$tmp/err" || fail "truncated gzip: no warning: $(cat "$tmp/err")"
n=$(wc -l <"$tmp/out")
[ "$n" -ge 390 ] && [ "$n" -lt 400 ] || fail "truncated gzip: $n documents kept, expected 390..399"
run "$SYNDIC" cluster --strict "$tmp/cut.jsonl.gz"
expect_rc 1 "truncated gzip with --strict"

echo "bad_records.sh: all checks passed"
