#!/usr/bin/env bash
# sweep-params.sh - how the default shingle size and threshold were chosen.
#
# Clusters the bundled corpus and a synthetic corpus (bench/gen/syndgen) for
# each shingle size k and threshold t, and prints pairwise precision, recall
# and F1 against their truth as a table. Usage (after building into build/):
#   bench/sweep-params.sh [BUILD_DIR] [SYNTHETIC_DOCS]
set -euo pipefail
build=${1:-build}
docs=${2:-10000}
here=$(cd "$(dirname "$0")/.." && pwd)
syndic=$build/src/syndic
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
"$build/bench/gen/syndgen" --docs "$docs" --out "$tmp/syn.jsonl" --truth "$tmp/syn.tsv" --quiet

score() { # corpus truth k t -> "P R F1"
  "$syndic" cluster "$1" --truth "$2" --shingle "$3" --threshold "$4" -o /dev/null 2>&1 |
    sed -n 's/.*precision \([0-9.]*\) recall \([0-9.]*\) F1 \([0-9.]*\).*/\1 \2 \3/p'
}

echo "machine: $(nproc) cores, $(uname -sr); syndic $("$syndic" --version)"
echo
echo "| k | t | bundled P | bundled R | bundled F1 | synthetic ${docs} P | R | F1 |"
echo "|---|---|---|---|---|---|---|---|"
for k in 3 4 5 6; do
  for t in 0.2 0.25 0.3 0.35; do
    read -r p1 r1 f1 <<<"$(score "$here/corpus/articles.jsonl" "$here/corpus/truth.tsv" $k $t)"
    read -r p2 r2 f2 <<<"$(score "$tmp/syn.jsonl" "$tmp/syn.tsv" $k $t)"
    echo "| $k | $t | $p1 | $r1 | $f1 | $p2 | $r2 | $f2 |"
  done
done
