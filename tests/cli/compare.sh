#!/usr/bin/env bash
# compare.sh - `syndic compare`: two text files, or two ids with --in.
# Usage: bash compare.sh /path/to/syndic /path/to/source-root
set -euo pipefail
SYNDIC=${1:?usage: $0 SYNDIC SOURCE_ROOT}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/syndic-cli-compare.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
run() { set +e; "$@" >"$tmp/out" 2>"$tmp/err"; rc=$?; set -e; }
expect_rc() {
    [ "$rc" -eq "$1" ] || fail "$2: exit status $rc, expected $1; stderr: $(head -c 600 "$tmp/err")"
}
# value LABEL: the first number on the stdout line starting with LABEL.
value() { grep "^$1" "$tmp/out" | head -n 1 | sed -E "s/^$1 *([0-9.]+).*/\1/"; }
# in_range X LO HI
in_range() { awk -v x="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(x >= lo && x <= hi) }'; }
# The decision line: "verdict  match" (or, in older output, "match  yes").
is_match() { grep -Eq '^(verdict +match|match +yes)( |$)' "$tmp/out"; }
is_no_match() {
    grep -Eq '^(verdict|match) +' "$tmp/out" || return 1
    ! is_match
}

A="Officials in the coastal town of Marlow Bay confirmed on Tuesday that the old harbour bridge will close for six months starting in April while engineers replace its rusting steel supports. The town council voted unanimously for the repairs after an inspection found deep corrosion in several beams below the waterline. Mayor Helen Strand said the closure would be painful for local shops but that safety had to come first. A temporary ferry service will carry pedestrians and cyclists across the estuary every twenty minutes during the day, and drivers will be directed to a longer route through the hills to the north. The council expects the work to cost about four million pounds, most of it paid by a regional infrastructure grant announced last year."
A2="Officials in the coastal town of Marlow Bay said on Tuesday that the old harbour bridge will close for six months from April while engineers replace its rusting steel supports. The town council voted unanimously for the repairs after an inspection found deep corrosion in several beams below the waterline. Mayor Helen Strand said the closure would be hard for local shops but that safety had to come first. A temporary ferry service will carry pedestrians and cyclists across the estuary every twenty minutes during the day, and drivers will be sent on a longer route through the hills to the north. The council expects the work to cost about four million pounds, most of it paid by a regional infrastructure grant announced last year."
B="A small bakery in the mountain village of Oberfeld has won a national prize for its rye bread, beating more than three hundred entries from across the country. The family business, founded by the grandparents of the current owner, still bakes every loaf in a wood fired oven built in the nineteen thirties. Judges praised the dark crust and the sour, slightly sweet taste of the winning bread, which uses flour from fields just outside the village. The owner, Marta Keller, said she started baking at five in the morning as a child and never imagined the shop would become famous. Since the prize was announced, customers have driven for hours to buy bread, and the bakery has hired two extra helpers to keep up with demand."

printf '%s\n' "$A" >"$tmp/a.txt"
printf '%s\n' "$A2" >"$tmp/a2.txt"
printf '%s\n' "$B" >"$tmp/b.txt"
{
    printf '{"id":"a1","text":"%s"}\n' "$A"
    printf 'not json at all\n'
    printf '{"id":"b1","text":"%s"}\n' "$B"
    printf '{"id":"a2","text":"%s"}\n' "$A2"
} >"$tmp/docs.jsonl"

# Two text files of one story. Shingle sets (checked independently with a
# few lines of Python: 123 and 122 distinct 4-word shingles, 105 shared),
# so the exact Jaccard is 105 / 140 = 0.75.
run "$SYNDIC" compare "$tmp/a.txt" "$tmp/a2.txt"
expect_rc 0 "compare a a2"
exact=$(value "exact Jaccard")
est=$(value "estimated Jaccard")
[ "$exact" = "0.7500" ] || fail "exact Jaccard $exact, expected 0.7500: $(cat "$tmp/out")"
in_range "$est" 0.60 0.90 || fail "estimated Jaccard $est far from 0.75: $(cat "$tmp/out")"
grep -q '^shared shingles *105' "$tmp/out" || fail "shared shingles: $(cat "$tmp/out")"
is_match || fail "a and a2 do not match: $(cat "$tmp/out")"

# Identical files: exactly 1.
run "$SYNDIC" compare "$tmp/a.txt" "$tmp/a.txt"
expect_rc 0 "compare a a"
[ "$(value "exact Jaccard")" = "1.0000" ] || fail "self exact Jaccard: $(cat "$tmp/out")"
[ "$(value "estimated Jaccard")" = "1.0000" ] || fail "self estimated Jaccard: $(cat "$tmp/out")"

# Unrelated stories.
run "$SYNDIC" compare "$tmp/a.txt" "$tmp/b.txt"
expect_rc 0 "compare a b"
in_range "$(value "exact Jaccard")" 0 0.02 || fail "unrelated exact Jaccard: $(cat "$tmp/out")"
is_no_match || fail "a and b match: $(cat "$tmp/out")"

# --json: one object with the same numbers.
run "$SYNDIC" compare --json "$tmp/a.txt" "$tmp/a2.txt"
expect_rc 0 "compare --json"
grep -q '"jaccard":0.75' "$tmp/out" || fail "--json: jaccard: $(cat "$tmp/out")"
grep -Eq '"(match":true|verdict":"match")' "$tmp/out" || fail "--json: match: $(cat "$tmp/out")"
if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import json,sys; [json.loads(l) for l in sys.stdin]' <"$tmp/out" || fail "--json does not parse"
fi

# --in FILE id1 id2 (skipping the bad record on line 2).
run "$SYNDIC" compare --in "$tmp/docs.jsonl" a1 a2
expect_rc 0 "compare --in a1 a2"
[ "$(value "exact Jaccard")" = "0.7500" ] || fail "--in: exact Jaccard: $(cat "$tmp/out")"
is_match || fail "--in a1 a2: $(cat "$tmp/out")"
run "$SYNDIC" compare --in "$tmp/docs.jsonl" a2 b1
expect_rc 0 "compare --in a2 b1"
is_no_match || fail "--in a2 b1: $(cat "$tmp/out")"
gzip -c "$tmp/docs.jsonl" >"$tmp/docs.jsonl.gz"
run "$SYNDIC" compare --in "$tmp/docs.jsonl.gz" a1 a2
expect_rc 0 "compare --in gzip"
[ "$(value "exact Jaccard")" = "0.7500" ] || fail "--in gzip: $(cat "$tmp/out")"

# A missing id: exit 1 naming it.
run "$SYNDIC" compare --in "$tmp/docs.jsonl" a1 nosuchid
expect_rc 1 "compare --in with a missing id"
grep -q 'nosuchid' "$tmp/err" || fail "missing id not named: $(cat "$tmp/err")"
run "$SYNDIC" compare --in "$tmp/docs.jsonl" nosuchid a1
expect_rc 1 "compare --in with a missing first id"

echo "compare.sh: all checks passed"
