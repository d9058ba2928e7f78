#!/usr/bin/env bash
# cluster_format.sh - syndic.cluster/1 has one writer (cli_cluster_jsonl in
# src/cli/report.c): `syndic cluster --no-analysis` and `syndic state
# export` write the same bytes for the same stories (export adds the state's
# story id), and both outputs for the bundled corpus are the blessed ones in
# tests/golden/ (blessed before the two writers became one).
# Re-bless after an intended change: BLESS=1 bash tests/cli/cluster_format.sh SYNDIC SRC
set -euo pipefail
syndic=$1 src=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "cluster_format: $*" >&2; exit 1; }
corpus=$src/corpus/articles.jsonl

check() { # golden name, file
  if [[ "${BLESS:-}" == 1 ]]; then
    cp "$2" "$src/tests/golden/$1"
    echo "blessed tests/golden/$1"
  fi
  cmp -s "$2" "$src/tests/golden/$1" || {
    diff "$src/tests/golden/$1" "$2" | head -5 >&2
    fail "$1 differs from tests/golden/$1"
  }
}
"$syndic" cluster -q --no-analysis "$corpus" -o "$tmp/clusters.jsonl"
check corpus-clusters-noanalysis.jsonl "$tmp/clusters.jsonl"
"$syndic" ingest -q --state "$tmp/st" "$corpus" > /dev/null
"$syndic" state "$tmp/st" export --singletons > "$tmp/export.jsonl"
check corpus-export.jsonl "$tmp/export.jsonl"

# Four stories that ingest, fed in date order, groups as the batch does:
# the two commands then write the same lines but for export's "story".
grep -E '"id": ?"(s05|s26|d44|d43)-' "$corpus" > "$tmp/four.jsonl"
"$syndic" cluster -q --no-analysis --singletons "$tmp/four.jsonl" \
  | jq -r '.members[] | [.time, .id] | @tsv' | sort | cut -f2 > "$tmp/order"
while read -r id; do jq -c --arg id "$id" 'select(.id == $id)' "$tmp/four.jsonl"; done \
  < "$tmp/order" > "$tmp/dated.jsonl"
[ "$(wc -l < "$tmp/dated.jsonl")" -eq 21 ] || fail "the four stories have $(wc -l < "$tmp/dated.jsonl") articles"
for tpl in "" --no-templates; do
  rm -rf "$tmp/four"
  "$syndic" ingest -q $tpl --state "$tmp/four" "$tmp/dated.jsonl" > /dev/null
  "$syndic" state "$tmp/four" export --singletons > "$tmp/export"
  grep -q '^{"cluster":1,"story":[0-9]*,"size":9,' "$tmp/export" || fail "export: $(head -c 200 "$tmp/export")"
  sed 's/,"story":[0-9]*,/,/' "$tmp/export" > "$tmp/a"
  "$syndic" cluster -q --no-analysis $tpl --singletons "$tmp/dated.jsonl" > "$tmp/b"
  [ "$(wc -l < "$tmp/b")" -eq 4 ] || fail "cluster found $(wc -l < "$tmp/b") stories, not 4 ($tpl)"
  cmp -s "$tmp/a" "$tmp/b" || {
    diff "$tmp/a" "$tmp/b" | head -4 >&2
    fail "export and cluster --no-analysis write different lines for the same stories ($tpl)"
  }
done
echo "cluster_format: ok"
