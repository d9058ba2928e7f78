#!/usr/bin/env bash
# ingest.sh - sustained feed-ingest rate, state size and submit latency.
#
#   bench/ingest.sh [DOCS] [BUILD]     (defaults: 100000 build-bench)
#
# On a syndgen corpus of DOCS articles (bench/data/syn-DOCS-s20260304.jsonl,
# generated when missing), runs `syndic ingest` into a fresh state:
#   1. batched durable commits (the defaults: every 1000 articles or 200 ms,
#      fsync on each commit);
#   2. a durable commit per article (--commit-every 1) on the first
#      PER_ARTICLE articles (default 20000: at fsync speed that is the slow
#      run);
# and prints articles/s, the submit latency percentiles (the time of one
# syndic_state_submit: candidate lookup, verification and the writes, as the
# tool measures it), the state size per article, and the time of a
# `syndic state stats` and a full `export` on the result.
set -euo pipefail
docs=${1:-100000}
build=${2:-build-bench}
per_article=${PER_ARTICLE:-20000}
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
if [ ! -x "$build/src/syndic" ]; then
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$build" -j 2 >/dev/null
fi
syndic=$build/src/syndic
data=bench/data/syn-$docs-s20260304.jsonl
if [ ! -s "$data" ]; then
  mkdir -p bench/data
  "$build/bench/gen/syndgen" --docs "$docs" --seed 20260304 --out "$data" \
    --truth "${data%.jsonl}.tsv" --quiet
fi
tmp=${TMPDIR:-/tmp}/syndic-ingest-bench.$$
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
echo "corpus: $data ($docs articles, $(du -m "$data" | cut -f1) MB)"

run() { # name, state, extra args...
  local name=$1 state=$2; shift 2
  local t0 t1
  t0=$(date +%s.%N)
  "$syndic" ingest --state "$state" "$@" > "$tmp/$name.verdicts" 2> "$tmp/$name.err"
  t1=$(date +%s.%N)
  local n
  n=$(wc -l < "$tmp/$name.verdicts")
  printf '%-22s %8d articles %7.1f s %8.0f articles/s   ' "$name" "$n" \
    "$(echo "$t1 - $t0" | bc)" "$(echo "$n / ($t1 - $t0)" | bc -l)"
  grep -o 'p50 [0-9]* us, p99 [0-9]* us' "$tmp/$name.err" | tr '\n' ' '
  echo
}

run batched "$tmp/batched" "$data"
head -n "$per_article" "$data" > "$tmp/head.jsonl"
run per-article "$tmp/per" --commit-every 1 "$tmp/head.jsonl"
run batched-same-input "$tmp/batched2" "$tmp/head.jsonl"

"$syndic" state "$tmp/batched" stats
t0=$(date +%s.%N); "$syndic" state "$tmp/batched" stats --json > "$tmp/stats.json"; t1=$(date +%s.%N)
printf 'state stats: %.3f s\n' "$(echo "$t1 - $t0" | bc)"
t0=$(date +%s.%N); "$syndic" state "$tmp/batched" export > "$tmp/export.jsonl"; t1=$(date +%s.%N)
printf 'state export: %.2f s (%d stories)\n' "$(echo "$t1 - $t0" | bc)" "$(wc -l < "$tmp/export.jsonl")"
"$syndic" state "$tmp/batched" compact "$tmp/compact" >/dev/null
printf 'compacted copy: %.1f MiB (%.0f bytes per article)\n' \
  "$(echo "$(stat -c %s "$tmp/compact/data.mdb") / 1048576" | bc -l)" \
  "$(echo "$(stat -c %s "$tmp/compact/data.mdb") / $docs" | bc -l)"
