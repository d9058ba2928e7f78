#!/usr/bin/env bash
# ingest.sh - feed ingest against issue 5's targets: sustained rate, submit
# and verdict latency, state size, open (rebuild) time and memory.
#
#   bench/ingest.sh [--markdown] [DOCS] [BUILD]   (defaults: 1000000 build-bench)
#
# On the syndgen corpus of DOCS articles (bench/data/syn-DOCS-s20260304.jsonl,
# generated when missing), each into a fresh state:
#   1. batched durable commits (the defaults: every 1000 articles or 200 ms,
#      fsync in each commit), on all DOCS articles;
#   2. a durable commit per article (--commit-every 1: each article its own
#      LMDB transaction, group-committed by a sync thread), on the first
#      PER_ARTICLE articles (default: all DOCS);
# each RUNS times (default 3; the median run by rate is reported). Then, on
# the state of run 1: the time to open it for writing (the in-memory index
# rebuilt from the stored articles), `state verify`, and its size.
#
# Latencies are the tool's: submit = one syndic_state_submit_prepared (id
# lookup, candidates, verification, writes) on the writing thread; verdict =
# from the record read to its verdict printed, commit and sync included.
# With --markdown, prints a self-contained "## Feed ingest" section for
# bench/RESULTS.md on stdout (progress goes to stderr).
set -euo pipefail
markdown=0
if [ "${1:-}" = --markdown ]; then markdown=1; shift; fi
docs=${1:-1000000}
build=${2:-build-bench}
per_article=${PER_ARTICLE:-$docs}
runs=${RUNS:-3}
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
say() { if [ "$markdown" = 1 ]; then echo "$@" >&2; else echo "$@"; fi; }
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
say "corpus: $data ($docs articles, $(du -m "$data" | cut -f1) MB); $runs runs each"
input_per=$data
if [ "$per_article" != "$docs" ]; then
  head -n "$per_article" "$data" > "$tmp/head.jsonl"
  input_per=$tmp/head.jsonl
fi

# One run: name, state, input, extra args. Appends "rate p50 p99 v50 v99 rss
# seconds main_cpu_us reader_cpu_us commit_s" (CPU per article of each
# thread) to $tmp/name.runs.
one() {
  local name=$1 state=$2 input=$3; shift 3
  rm -rf "$state"
  local t0 t1
  t0=$(date +%s.%N)
  /usr/bin/time -f '%M' -o "$tmp/$name.rss" "$syndic" ingest --state "$state" "$@" "$input" \
    > "$tmp/$name.verdicts" 2> "$tmp/$name.err"
  t1=$(date +%s.%N)
  local n secs
  n=$(wc -l < "$tmp/$name.verdicts")
  secs=$(echo "$t1 - $t0" | bc -l)
  local sub ver
  sub=$(grep -o '^submit latency: p50 [0-9]* us, p99 [0-9]*' "$tmp/$name.err" | awk '{print $4, $7}')
  ver=$(grep -o '^verdict latency.*: p50 [0-9]* us, p99 [0-9]*' "$tmp/$name.err" | awk '{print $(NF-3), $NF}')
  local cpu
  cpu=$(grep -o 'commits [0-9.]* s.*CPU: main [0-9.]* s, reader [0-9.]*' "$tmp/$name.err" |
    awk -v n="$n" '{printf "%.1f %.1f %s", $(NF-3) * 1e6 / n, $NF * 1e6 / n, $2}')
  echo "$(echo "$n / $secs" | bc -l) $sub $ver $(tail -n 1 "$tmp/$name.rss") $secs $cpu" >> "$tmp/$name.runs"
  say "$(printf '  %-12s %8d articles %7.1f s %8.0f/s  submit p50/p99 %s us  verdict p50/p99 %s us  CPU/article main/reader %s us; load %s' \
    "$name" "$n" "$secs" "$(echo "$n / $secs" | bc -l)" "${sub/ //}" "${ver/ //}" \
    "$(echo "$cpu" | awk '{print $1 "/" $2}')" "$(cut -d' ' -f1 /proc/loadavg)")"
}

# The median run (by rate) of name: prints its line of $tmp/name.runs.
median() { sort -g "$tmp/$1.runs" | sed -n "$(( ($(wc -l < "$tmp/$1.runs") + 1) / 2 ))p"; }

for i in $(seq 1 "$runs"); do
  one batched "$tmp/batched.$i" "$data"
  one per-article "$tmp/per.$i" "$input_per" --commit-every 1
done
state=$tmp/batched.1
# Open for writing: the rebuild of the in-memory index (no input).
: > "$tmp/open.runs"
for i in $(seq 1 "$runs"); do
  "$syndic" ingest --state "$state" < /dev/null 2> "$tmp/open.err" > /dev/null
  grep -o '^open: [0-9.]*' "$tmp/open.err" | awk '{print $2}' >> "$tmp/open.runs"
done
open_s=$(sort -g "$tmp/open.runs" | sed -n "$(( (runs + 1) / 2 ))p")
t0=$(date +%s.%N); "$syndic" state "$state" verify > /dev/null; t1=$(date +%s.%N)
verify_s=$(echo "$t1 - $t0" | bc -l)
bytes=$("$syndic" state "$state" stats --json | jq -r .file_bytes)
stories=$("$syndic" state "$state" stats --json | jq -r .stories)
say "open for writing (index rebuild): ${open_s} s (median); state verify: $(printf '%.1f' "$verify_s") s"
say "state: $(( bytes / 1048576 )) MiB for $docs articles ($(( bytes / docs )) bytes per article), $stories stories"

read -r b_rate b_p50 b_p99 b_v50 b_v99 b_rss _ b_main b_reader b_commit <<< "$(median batched)"
read -r p_rate p_p50 p_p99 p_v50 p_v99 p_rss _ p_main p_reader p_commit <<< "$(median per-article)"
say "median batched:     $(printf '%.0f' "$b_rate") articles/s (target 20000), peak RSS $(( b_rss / 1024 )) MiB"
say "median per-article: $(printf '%.0f' "$p_rate") articles/s (target 5000), peak RSS $(( p_rss / 1024 )) MiB"

if [ "$markdown" = 1 ]; then
  n_per=$(wc -l < "$input_per")
  cat <<EOF
## Feed ingest

\`bench/ingest.sh\` (issue 5's targets). A fresh state per run; median of $runs runs by rate.
Corpus: \`bench/data/syn-$docs-s20260304.jsonl\` (syndgen, $docs articles).

\`\`\`sh
syndic ingest --state S bench/data/syn-$docs-s20260304.jsonl                   # batched: every 1000 articles or 200 ms, fsync'd
syndic ingest --state S --commit-every 1 bench/data/syn-$docs-s20260304.jsonl  # a transaction per article, group-committed
syndic ingest --state S < /dev/null                                          # open: rebuild the in-memory index
\`\`\`

| run | articles | articles/s | target | submit p50 | submit p99 | verdict p50 | verdict p99 | CPU/article main, reader | commits | peak RSS |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
| batched durable commits | $docs | $(printf '%.0f' "$b_rate") | 20,000 | ${b_p50} us | ${b_p99} us | ${b_v50} us | ${b_v99} us | ${b_main}, ${b_reader} us | ${b_commit} s | $(( b_rss / 1024 )) MiB |
| a durable commit per article | $n_per | $(printf '%.0f' "$p_rate") | 5,000 | ${p_p50} us | ${p_p99} us | ${p_v50} us | ${p_v99} us | ${p_main}, ${p_reader} us | ${p_commit} s | $(( p_rss / 1024 )) MiB |

State after the batched run: $(( bytes / docs )) bytes per article ($(( bytes / 1048576 )) MiB for $docs articles, $stories stories);
opening it for writing (rebuilding the in-memory LSH index, id index and template counts) takes
${open_s} s; \`state verify\` $(printf '%.1f' "$verify_s") s. Submit latency is the writing thread's part (lookup,
verification, writes); verdict latency runs from reading the record to printing its verdict,
commit and fsync included (on a saturated run it is mostly the wait in the 1024-record queue).
CPU/article is each thread's CPU time over the articles: the rate two idle cores would allow
is about 1 / (main CPU + commit time per article) when the reader keeps up. Load average when
the table was made: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores.
Design and guarantees: [docs/ingest.md](../docs/ingest.md).
EOF
fi
