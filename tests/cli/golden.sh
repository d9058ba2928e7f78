#!/usr/bin/env bash
# golden.sh - the report for the bundled corpus is byte-identical to the
# blessed copy in tests/golden/, in every format, and does not depend on the
# order of the input lines.
# Re-bless after an intended change: BLESS=1 bash tests/cli/golden.sh SYNDIC SRC
set -euo pipefail
syndic=$1 src=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "golden: $*" >&2; exit 1; }

for fmt in jsonl csv text; do
  "$syndic" cluster -q --format "$fmt" "$src/corpus/articles.jsonl" -o "$tmp/out.$fmt"
  if [[ "${BLESS:-}" == 1 ]]; then
    cp "$tmp/out.$fmt" "$src/tests/golden/corpus-clusters.$fmt"
    echo "blessed tests/golden/corpus-clusters.$fmt"
  fi
  cmp -s "$tmp/out.$fmt" "$src/tests/golden/corpus-clusters.$fmt" || {
    diff "$src/tests/golden/corpus-clusters.$fmt" "$tmp/out.$fmt" | head -20 >&2
    fail "$fmt report differs from tests/golden/corpus-clusters.$fmt"
  }
done

# Reversed and shuffled input (fixed random source) give the same bytes.
tac "$src/corpus/articles.jsonl" > "$tmp/rev.jsonl"
shuf --random-source=<(yes 42) "$src/corpus/articles.jsonl" > "$tmp/shuf.jsonl"
for f in rev shuf; do
  "$syndic" cluster -q "$tmp/$f.jsonl" -o "$tmp/$f.out"
  cmp -s "$tmp/$f.out" "$src/tests/golden/corpus-clusters.jsonl" || fail "$f input changed the report"
done
# Split across two inputs, gzip for one of them: still the same report.
head -n 100 "$src/corpus/articles.jsonl" | gzip -c > "$tmp/a.jsonl.gz"
tail -n +101 "$src/corpus/articles.jsonl" > "$tmp/b.jsonl"
"$syndic" cluster -q "$tmp/b.jsonl" "$tmp/a.jsonl.gz" -o "$tmp/split.out"
cmp -s "$tmp/split.out" "$src/tests/golden/corpus-clusters.jsonl" || fail "split input changed the report"
echo "golden: ok"
