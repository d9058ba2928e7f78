#!/usr/bin/env bash
# cluster.sh - `syndic cluster` end to end: JSON Lines, CSV, --stats, stdin,
# gzip, a directory of .txt files, duplicate ids.
# Usage: bash cluster.sh /path/to/syndic /path/to/source-root
# The documents are invented: a1 and a2 are two versions of one story (a few
# words reworded, exact Jaccard of 4-word shingles about 0.75), b1 is an
# unrelated story. Every output must hold exactly one cluster: {a1, a2},
# with a1 (the earlier) as origin.
set -euo pipefail
SYNDIC=${1:?usage: $0 SYNDIC SOURCE_ROOT}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/syndic-cli-cluster.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
run() { set +e; "$@" >"$tmp/out" 2>"$tmp/err"; rc=$?; set -e; }
expect_rc() {
    [ "$rc" -eq "$1" ] || fail "$2: exit status $rc, expected $1; stderr: $(head -c 600 "$tmp/err")"
}
have_python() { command -v python3 >/dev/null 2>&1; }

A="Officials in the coastal town of Marlow Bay confirmed on Tuesday that the old harbour bridge will close for six months starting in April while engineers replace its rusting steel supports. The town council voted unanimously for the repairs after an inspection found deep corrosion in several beams below the waterline. Mayor Helen Strand said the closure would be painful for local shops but that safety had to come first. A temporary ferry service will carry pedestrians and cyclists across the estuary every twenty minutes during the day, and drivers will be directed to a longer route through the hills to the north. The council expects the work to cost about four million pounds, most of it paid by a regional infrastructure grant announced last year."
A2="Officials in the coastal town of Marlow Bay said on Tuesday that the old harbour bridge will close for six months from April while engineers replace its rusting steel supports. The town council voted unanimously for the repairs after an inspection found deep corrosion in several beams below the waterline. Mayor Helen Strand said the closure would be hard for local shops but that safety had to come first. A temporary ferry service will carry pedestrians and cyclists across the estuary every twenty minutes during the day, and drivers will be sent on a longer route through the hills to the north. The council expects the work to cost about four million pounds, most of it paid by a regional infrastructure grant announced last year."
B="A small bakery in the mountain village of Oberfeld has won a national prize for its rye bread, beating more than three hundred entries from across the country. The family business, founded by the grandparents of the current owner, still bakes every loaf in a wood fired oven built in the nineteen thirties. Judges praised the dark crust and the sour, slightly sweet taste of the winning bread, which uses flour from fields just outside the village. The owner, Marta Keller, said she started baking at five in the morning as a child and never imagined the shop would become famous. Since the prize was announced, customers have driven for hours to buy bread, and the bakery has hired two extra helpers to keep up with demand."

# b1 comes first and a2 before a1: the output order must not depend on it.
cat >"$tmp/docs.jsonl" <<JSON
{"id":"b1","outlet":"Mountain Post","date":"2026-03-04T10:00:00Z","title":"Village bakery wins bread prize","text":"$B"}
{"id":"a2","outlet":"Daily Wire","date":"2026-03-04T11:00:00Z","title":"Marlow Bay bridge to shut for repairs","text":"$A2"}
{"id":"a1","outlet":"Coast News","date":"2026-03-04T09:15:00Z","title":"Bridge closes, \"safety first\"","url":"https://example.com/a1","text":"$A"}
JSON

# check_clusters FILE LABEL: exactly one cluster line, {a1, a2}, rep a1.
check_clusters() {
    local file=$1 label=$2
    [ "$(wc -l <"$file")" -eq 1 ] || fail "$label: expected one cluster line, got: $(cat "$file")"
    grep -q '"size":2' "$file" || fail "$label: cluster size is not 2: $(cat "$file")"
    grep -q '"origin":"a1"' "$file" || fail "$label: origin is not a1: $(cat "$file")"
    grep -q '"id":"a2"' "$file" || fail "$label: a2 is not in the cluster"
    if grep -q '"id":"b1"' "$file"; then fail "$label: unrelated b1 was clustered"; fi
    if have_python; then
        python3 - "$file" <<'PY' || fail "$label: JSON check failed"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert len(rows) == 1, rows
c = rows[0]
assert c["cluster"] == 1 and c["size"] == 2, c
ids = [m["id"] for m in c["members"]]
assert ids == ["a1", "a2"], ids
assert c["origin"] == "a1"
assert c["members"][0]["edit"] == "origin" and c["members"][0]["source"] is None
assert c["members"][1]["source"] == "a1", c["members"][1]
assert c["members"][1]["delay_seconds"] == 6300, c["members"][1]
assert 0.5 <= c["members"][1]["jaccard_with_origin"] < 1.0, c["members"][1]
PY
    fi
}

# --- JSON Lines (the default) ---
run "$SYNDIC" cluster "$tmp/docs.jsonl"
expect_rc 0 "cluster docs.jsonl"
cp "$tmp/out" "$tmp/plain.out"
check_clusters "$tmp/plain.out" "jsonl output"
grep -q '"outlet":"Coast News"' "$tmp/plain.out" || fail "jsonl: outlet missing"
grep -q '"title":"Bridge closes, \\"safety first\\""' "$tmp/plain.out" || fail "jsonl: title not escaped: $(cat "$tmp/plain.out")"
grep -q '"url":"https://example.com/a1"' "$tmp/plain.out" || fail "jsonl: url missing"
grep -q '"url":null' "$tmp/plain.out" || fail "jsonl: absent url of a2 is not null"
grep -q 'read 3 documents' "$tmp/err" || fail "summary on stderr missing: $(cat "$tmp/err")"
if have_python; then
    python3 -c 'import json,sys; [json.loads(l) for l in sys.stdin]' <"$tmp/plain.out" || fail "jsonl output does not parse"
fi

# -q: nothing on stderr; -o FILE: same output in the file.
run "$SYNDIC" cluster -q -o "$tmp/o.jsonl" "$tmp/docs.jsonl"
expect_rc 0 "cluster -q -o"
[ ! -s "$tmp/err" ] || fail "-q: stderr not empty: $(cat "$tmp/err")"
[ ! -s "$tmp/out" ] || fail "-o: stdout not empty"
cmp -s "$tmp/o.jsonl" "$tmp/plain.out" || fail "-o output differs from stdout output"

# --singletons adds b1 as a cluster of one, after the pair.
run "$SYNDIC" cluster -q --singletons "$tmp/docs.jsonl"
expect_rc 0 "cluster --singletons"
[ "$(wc -l <"$tmp/out")" -eq 2 ] || fail "--singletons: expected 2 lines: $(cat "$tmp/out")"
sed -n 2p "$tmp/out" | grep -q '"size":1,"origin":"b1"' || fail "--singletons: second line is not b1: $(cat "$tmp/out")"

# --- CSV: a header, one row per member, RFC 4180 quoting ---
run "$SYNDIC" cluster -q --format csv "$tmp/docs.jsonl"
expect_rc 0 "cluster --format csv"
tr -d '\r' <"$tmp/out" >"$tmp/csv"
[ "$(wc -l <"$tmp/csv")" -eq 3 ] || fail "csv: expected header + 2 rows: $(cat "$tmp/csv")"
head -n 1 "$tmp/csv" | grep -q '^cluster,size,origin,id,' || fail "csv: bad header: $(head -n 1 "$tmp/csv")"
grep -qF ',"Bridge closes, ""safety first""",' "$tmp/csv" || fail "csv: title not quoted per RFC 4180: $(cat "$tmp/csv")"
grep -q '^1,2,a1,a1,Coast News,' "$tmp/csv" || fail "csv: row of a1: $(cat "$tmp/csv")"
grep -q '^1,2,a1,a2,Daily Wire,' "$tmp/csv" || fail "csv: row of a2: $(cat "$tmp/csv")"
if grep -q 'b1' "$tmp/csv"; then fail "csv: b1 listed"; fi
if have_python; then
    python3 - "$tmp/out" <<'PY' || fail "csv does not parse as RFC 4180 with the expected fields"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
head = rows[0]
assert head[:4] == ["cluster", "size", "origin", "id"], head
t = head.index("title")
assert [r[3] for r in rows[1:]] == ["a1", "a2"], rows
assert rows[2][head.index("source")] == "a1", rows
assert rows[1][t] == 'Bridge closes, "safety first"', rows[1][t]
assert all(len(r) == len(head) for r in rows), rows
PY
fi

# --- text format ---
run "$SYNDIC" cluster -q --format text "$tmp/docs.jsonl"
expect_rc 0 "cluster --format text"
grep -q 'story 1: 2 copies in 2 outlets' "$tmp/out" || fail "text: header line missing: $(cat "$tmp/out")"

# --- --no-analysis: plain clusters with the estimated Jaccard ---
run "$SYNDIC" cluster -q --no-analysis "$tmp/docs.jsonl"
expect_rc 0 "cluster --no-analysis"
grep -q '"representative":"a1"' "$tmp/out" || fail "--no-analysis: representative is not a1: $(cat "$tmp/out")"
grep -q '"jaccard":1.0' "$tmp/out" || fail "--no-analysis: no estimated Jaccard: $(cat "$tmp/out")"

# --- --stats FILE: params and counts as JSON ---
run "$SYNDIC" cluster -q --stats "$tmp/stats.json" --threshold 0.4 --num-hashes 64 "$tmp/docs.jsonl"
expect_rc 0 "cluster --stats"
[ -s "$tmp/stats.json" ] || fail "--stats: file empty or missing"
for key in '"params"' '"num_hashes":64' '"shingle_words":4' '"threshold":0.4' '"counts"' '"documents":3' '"clusters":1' '"clustered_documents":2' '"skipped_total":0'; do
    grep -qF "$key" "$tmp/stats.json" || fail "--stats: $key missing: $(cat "$tmp/stats.json")"
done
if have_python; then
    python3 - "$tmp/stats.json" <<'PY' || fail "--stats: JSON check failed: $(cat "$tmp/stats.json")"
import json, sys
s = json.load(open(sys.argv[1]))
p, c = s["params"], s["counts"]
assert p["num_hashes"] == 64 and p["threshold"] == 0.4 and p["shingle_words"] == 4, p
assert p["bands"] * p["rows"] <= 64, p
assert c["records"] == 3 and c["documents"] == 3, c
assert c["clusters"] == 1 and c["clustered_documents"] == 2 and c["largest_cluster"] == 2, c
assert c["skipped_total"] == 0 and all(v == 0 for v in c["skipped"].values()), c
PY
fi
run "$SYNDIC" cluster -q --stats - "$tmp/docs.jsonl"
expect_rc 0 "cluster --stats -"
grep -q '"documents":3' "$tmp/err" || fail "--stats -: not on stderr: $(cat "$tmp/err")"

# --- stdin ---
set +e; "$SYNDIC" cluster -q - <"$tmp/docs.jsonl" >"$tmp/stdin.out" 2>"$tmp/err"; rc=$?; set -e
expect_rc 0 "cluster - (stdin)"
cmp -s "$tmp/stdin.out" "$tmp/plain.out" || fail "stdin output differs: $(cat "$tmp/stdin.out")"

# --- gzip, by file and through stdin ---
gzip -c "$tmp/docs.jsonl" >"$tmp/docs.jsonl.gz"
run "$SYNDIC" cluster -q "$tmp/docs.jsonl.gz"
expect_rc 0 "cluster docs.jsonl.gz"
cmp -s "$tmp/out" "$tmp/plain.out" || fail "gzip output differs: $(cat "$tmp/out")"
set +e; gzip -c "$tmp/docs.jsonl" | "$SYNDIC" cluster -q - >"$tmp/out" 2>"$tmp/err"; rc=$?; set -e
expect_rc 0 "gzip through stdin"
cmp -s "$tmp/out" "$tmp/plain.out" || fail "gzip via stdin output differs"
cp "$tmp/docs.jsonl.gz" "$tmp/disguised.jsonl"
run "$SYNDIC" cluster -q "$tmp/disguised.jsonl"
expect_rc 0 "gzip named .jsonl"
cmp -s "$tmp/out" "$tmp/plain.out" || fail "gzip named .jsonl: output differs"

# --- the same documents split over two inputs ---
head -n 2 "$tmp/docs.jsonl" >"$tmp/part1.jsonl"
tail -n 1 "$tmp/docs.jsonl" >"$tmp/part2.jsonl"
run "$SYNDIC" cluster "$tmp/part1.jsonl" "$tmp/part2.jsonl"
expect_rc 0 "two inputs"
check_clusters "$tmp/out" "two inputs"
grep -q 'from 2 inputs' "$tmp/err" || fail "two inputs: summary: $(cat "$tmp/err")"

# --- a directory of .txt files with --outlet-from-dir ---
mkdir -p "$tmp/tree/coast" "$tmp/tree/wire" "$tmp/tree/mountain"
printf '%s\n' "$A" >"$tmp/tree/coast/bridge.txt"
printf '%s\n' "$A2" >"$tmp/tree/wire/bridge-copy.txt"
printf '%s\n' "$B" >"$tmp/tree/mountain/bakery.txt"
printf 'not an article\n' >"$tmp/tree/coast/README.md"
run "$SYNDIC" cluster --outlet-from-dir "$tmp/tree"
expect_rc 0 "cluster directory"
[ "$(wc -l <"$tmp/out")" -eq 1 ] || fail "directory: expected one cluster: $(cat "$tmp/out")"
grep -q '"id":"coast/bridge.txt","outlet":"coast"' "$tmp/out" || fail "directory: coast/bridge.txt with outlet coast: $(cat "$tmp/out")"
grep -q '"id":"wire/bridge-copy.txt","outlet":"wire"' "$tmp/out" || fail "directory: wire/bridge-copy.txt with outlet wire: $(cat "$tmp/out")"
if grep -q 'bakery' "$tmp/out"; then fail "directory: bakery clustered"; fi
grep -q 'read 3 documents' "$tmp/err" || fail "directory: README.md was read? $(cat "$tmp/err")"
run "$SYNDIC" cluster -q "$tmp/tree"
grep -q '"outlet":null' "$tmp/out" || fail "directory without --outlet-from-dir: outlet set: $(cat "$tmp/out")"

# --- duplicate ids: the first is kept, the others skipped and counted ---
{
    cat "$tmp/docs.jsonl"
    printf '{"id":"a1","text":"%s"}\n' "$B"
    printf '{"id":"b1","text":"another text with the same id as before"}\n'
} >"$tmp/dups.jsonl"
run "$SYNDIC" cluster --stats "$tmp/dup-stats.json" "$tmp/dups.jsonl"
expect_rc 0 "duplicate ids"
check_clusters "$tmp/out" "duplicate ids"
grep -q 'dups.jsonl:4: .*duplicate id' "$tmp/err" || fail "duplicate ids: no warning for line 4: $(cat "$tmp/err")"
grep -q 'dups.jsonl:5: .*duplicate id' "$tmp/err" || fail "duplicate ids: no warning for line 5: $(cat "$tmp/err")"
grep -q 'skipped 2 (duplicate_id 2)' "$tmp/err" || fail "duplicate ids: summary: $(cat "$tmp/err")"
grep -q '"duplicate_id":2' "$tmp/dup-stats.json" || fail "duplicate ids: stats: $(cat "$tmp/dup-stats.json")"
run "$SYNDIC" cluster -q --strict "$tmp/dups.jsonl"
expect_rc 1 "duplicate ids with --strict"
grep -q 'dups.jsonl:4:' "$tmp/err" || fail "--strict duplicate: stderr: $(cat "$tmp/err")"

echo "cluster.sh: all checks passed"
