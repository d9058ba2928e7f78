#!/usr/bin/env bash
# bench/peer/compare.sh - syndic and a Go peer built on github.com/ekzhu/minhash-lsh,
# side by side on one corpus. From the repository root:
#
#   bench/peer/compare.sh [IN.jsonl TRUTH.tsv]
#
# Default corpus: bench/data/syn-100000-s20260304.{jsonl,tsv} (made by bench/run, or
# here with syndgen if missing). Builds syndic (Release, build-bench/, as bench/run
# does) and the peer (bench/peer/main.go, GOPATH mode against the Debian package
# golang-github-ekzhu-minhash-lsh-dev), then runs them alternately (syndic, syndic --no-analysis, peer), RUNS (3) times each,
# under /usr/bin/time -f '%e %M', prints the medians of wall time and peak RSS, their
# ratios (peer / syndic), and both tools' quality against the truth, scored the same
# way by bench/syndic_score. Appends a section to bench/RESULTS.md.
# Needs: golang-go, golang-github-ekzhu-minhash-lsh-dev, jq, time (apt-get install).
# Environment: RUNS, BUILD_DIR (build-bench), SEED (20260304), RESULTS (bench/RESULTS.md),
# NO_BUILD=1 to use the binaries already in BUILD_DIR as they are (e.g. the ones bench/run
# just measured) instead of rebuilding from the working tree.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
RUNS=${RUNS:-3}
BUILD_DIR=${BUILD_DIR:-build-bench}
SEED=${SEED:-20260304}
RESULTS=${RESULTS:-bench/RESULTS.md}
in=${1:-bench/data/syn-100000-s$SEED.jsonl}
truth=${2:-${in%.jsonl}.tsv}
say() { echo "compare: $*" >&2; }
for t in go jq cmake; do
  command -v $t >/dev/null || { say "$t not found (apt-get install golang-go jq cmake)"; exit 1; }
done
[ -x /usr/bin/time ] || { say "/usr/bin/time not found (apt-get install time)"; exit 1; }
lib=/usr/share/gocode/src/github.com/ekzhu/minhash-lsh
[ -d $lib ] || { say "$lib missing (apt-get install golang-github-ekzhu-minhash-lsh-dev)"; exit 1; }

# ---- build ---------------------------------------------------------------
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
changed=$(git status --porcelain 2>/dev/null | grep -vc '^??' || true)
[ "${changed:-0}" -gt 0 ] && commit="$commit plus uncommitted changes to $changed tracked files"
SYNDIC=$BUILD_DIR/src/syndic
SCORE=$BUILD_DIR/bench/syndic_score
if [ "${NO_BUILD:-0}" = 1 ] && [ -x "$SYNDIC" ]; then
  say "NO_BUILD=1: using $SYNDIC as it is (built $(date -u -r "$SYNDIC" '+%Y-%m-%d %H:%M UTC'))"
  commit="$commit (but $SYNDIC was built $(date -u -r "$SYNDIC" '+%H:%M UTC'), NO_BUILD=1)"
else
  say "building syndic (Release) into $BUILD_DIR"
  cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release -DSYNDIC_TESTS=OFF >/dev/null
  cmake --build "$BUILD_DIR" -j "$(nproc)" >/dev/null
fi
[ -x "$BUILD_DIR/bench-score/syndic_score" ] && [ ! -x "$SCORE" ] && SCORE=$BUILD_DIR/bench-score/syndic_score
if [ ! -x "$SCORE" ]; then
  SCORE=$BUILD_DIR/bench-score/syndic_score
  mkdir -p "$(dirname "$SCORE")"
  ${CC:-cc} -std=c11 -O2 -Wall -Wextra -Iinclude bench/score.c "$BUILD_DIR/src/libsyndic.a" \
    $(pkg-config --cflags --libs libutf8proc jansson zlib) -lm -lpthread -o "$SCORE"
fi
PEER=$root/$BUILD_DIR/peer/syndic-peer
say "building the Go peer into $PEER"
mkdir -p "$BUILD_DIR/peer/gopath"
(cd bench/peer && GO111MODULE=off GOPATH="$root/$BUILD_DIR/peer/gopath:/usr/share/gocode" \
  GOCACHE="$root/$BUILD_DIR/peer/gocache" GOFLAGS="" go build -o "$PEER" .)

if [ ! -s "$in" ]; then
  case $in in
    bench/data/syn-*-s"$SEED".jsonl)
      n=${in#bench/data/syn-}; n=${n%%-*}
      say "generating $in"; mkdir -p bench/data
      "$BUILD_DIR/bench/gen/syndgen" --docs "$n" --seed "$SEED" --out "$in.tmp" --truth "$truth.tmp" --quiet
      mv "$truth.tmp" "$truth"; mv "$in.tmp" "$in" ;;
    *) say "$in not found"; exit 1 ;;
  esac
fi

# ---- alternate runs ------------------------------------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/syndic-compare.XXXXXX"); trap 'rm -rf "$work"' EXIT
syndic_cmd=("$SYNDIC" cluster "$in" -q -o "$work/syndic.jsonl" --stats "$work/syndic.stats.json")
# The peer's job alone (clusters, no story analysis): syndic --no-analysis.
plain_cmd=("$SYNDIC" cluster "$in" -q --no-analysis -o "$work/plain.jsonl")
peer_cmd=("$PEER" -threshold 0.25 -k 4 -hashes 128 -o "$work/peer.jsonl" "$in")
for i in $(seq 1 "$RUNS"); do
  say "run $i of $RUNS: syndic"
  /usr/bin/time -f '%e %M' -o "$work/syndic.time.$i" "${syndic_cmd[@]}" 2> "$work/syndic.err.$i"
  mv "$work/syndic.stats.json" "$work/syndic.stats.$i.json"
  say "run $i of $RUNS: syndic --no-analysis"
  /usr/bin/time -f '%e %M' -o "$work/plain.time.$i" "${plain_cmd[@]}" 2> "$work/plain.err.$i"
  say "run $i of $RUNS: peer"
  /usr/bin/time -f '%e %M' -o "$work/peer.time.$i" "${peer_cmd[@]}" 2> "$work/peer.err.$i"
done
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) exit; if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
col() { for i in $(seq 1 "$RUNS"); do cut -d' ' -f"$2" "$work/$1.time.$i"; done; }
s_wall=$(col syndic 1 | median); s_rss=$(col syndic 2 | median)
p_wall=$(col peer 1 | median); p_rss=$(col peer 2 | median)
s_walls=$(col syndic 1 | paste -sd/); p_walls=$(col peer 1 | paste -sd/)
n_wall=$(col plain 1 | median); n_rss=$(col plain 2 | median); n_walls=$(col plain 1 | paste -sd/)
"$SCORE" --json "$work/syndic.jsonl" "$truth" > "$work/syndic.score"
"$SCORE" --json "$work/peer.jsonl" "$truth" > "$work/peer.score"
"$SCORE" --json "$work/plain.jsonl" "$truth" > "$work/plain.score"
q() { jq -r '"\(.precision) \(.recall) \(.f1) \(.ari) \(.bcubed_f1)"' "$1" |
  awk '{ printf "%.4f | %.4f | %.4f | %.4f | %.4f", $1, $2, $3, $4, $5 }'; }
cl() { jq -r '"\(.clusters) | \(.clustered_documents)"' "$1"; }
largest() { jq -r '.size' "$1" | sort -n | tail -1; }
docs=$(jq .documents "$work/syndic.score")
peer_line=$(sed -n 's/^read .*shingles, \(.*\)$/\1/p' "$work/peer.err.1")
peer_counts=$(sed -n 's/^candidates \([0-9]*\), verified edges \([0-9]*\);.*/\1 candidates, \2 edges/p' "$work/peer.err.1")
peer_stages=$(sed -n 's/^time: //p' "$work/peer.err.$RUNS")
syndic_stages=$(for s in read_and_sketch templates sketch candidates verify_and_link cluster analysis write; do
  v=$(for i in $(seq 1 "$RUNS"); do jq ".seconds.$s // empty" "$work/syndic.stats.$i.json"; done | median)
  if [ -n "$v" ]; then printf '%s %.2f s, ' "${s//_/ }" "$v"; fi
done | sed 's/, $//')

section=$(
  echo
  echo "## Side by side: syndic and a Go peer (ekzhu/minhash-lsh)"
  echo
  echo "Written by \`bench/peer/compare.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC'), commit $commit."
  echo "Corpus: \`$in\` ($docs documents, $(awk -v b="$(stat -c %s "$in")" 'BEGIN { printf "%.1f MB", b / 1e6 }')); $RUNS runs each, alternating, medians of"
  echo "/usr/bin/time's elapsed time and maximum RSS. Both scored by bench/syndic_score against \`$truth\`."
  echo
  echo "- syndic: \`${syndic_cmd[*]//$work/\$TMP}\` (the default: stories with origin, copy tree and"
  echo "  edits); and the peer's job alone, clusters without the story analysis:"
  echo "  \`${plain_cmd[*]//$work/\$TMP}\`."
  echo "- peer: \`${peer_cmd[*]//$work/\$TMP}\` (bench/peer/main.go, Go $(go env GOVERSION), library: Debian golang-github-ekzhu-minhash-lsh-dev $(dpkg-query -W -f '${Version}' golang-github-ekzhu-minhash-lsh-dev 2>/dev/null))."
  echo "  Lowercase, split on non-letters/digits, word 4-shingles, minhashlsh.NewMinhash(1, 128) (128 hash"
  echo "  functions over FNV-1a), minhashlsh.NewMinhashLSH(128, 0.25) ($peer_line chosen by the library), Add +"
  echo "  Index + Query for every document, candidates kept when estimated Jaccard >= 0.25, plain union-find."
  echo "  No time, shared-text or figures checks and no chaining guard: the library has none. Peer run 1: $peer_counts."
  echo "  Peer stages (last run): $peer_stages."
  echo "- syndic stages (medians; templates and sketch are parts of read and sketch): $syndic_stages."
  echo
  echo "| tool | wall s (median; runs) | peak RSS MiB | clusters | clustered docs | largest | P | R | F1 | ARI | B-cubed F1 |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  awk -v w="$s_wall" -v ws="$s_walls" -v r="$s_rss" 'BEGIN { printf "| syndic | %.2f (%s) | %.1f ", w, ws, r / 1024 }'
  echo "| $(cl "$work/syndic.score") | $(largest "$work/syndic.jsonl") | $(q "$work/syndic.score") |"
  awk -v w="$n_wall" -v ws="$n_walls" -v r="$n_rss" 'BEGIN { printf "| syndic --no-analysis | %.2f (%s) | %.1f ", w, ws, r / 1024 }'
  echo "| $(cl "$work/plain.score") | $(largest "$work/plain.jsonl") | $(q "$work/plain.score") |"
  awk -v w="$p_wall" -v ws="$p_walls" -v r="$p_rss" 'BEGIN { printf "| peer (Go) | %.2f (%s) | %.1f ", w, ws, r / 1024 }'
  echo "| $(cl "$work/peer.score") | $(largest "$work/peer.jsonl") | $(q "$work/peer.score") |"
  awk -v sw="$s_wall" -v pw="$p_wall" -v sr="$s_rss" -v pr="$p_rss" \
    'BEGIN { printf "| ratio peer / syndic | %.2fx | %.2fx | | | | | | | | |\n", pw / sw, pr / sr }'
  awk -v sw="$n_wall" -v pw="$p_wall" -v sr="$n_rss" -v pr="$p_rss" \
    'BEGIN { printf "| ratio peer / syndic --no-analysis | %.2fx | %.2fx | | | | | | | | |\n", pw / sw, pr / sr }'
  echo
  awk -v sw="$s_wall" -v nw="$n_wall" -v pw="$p_wall" -v sf="$(jq .f1 "$work/syndic.score")" \
      -v nf="$(jq .f1 "$work/plain.score")" -v pf="$(jq .f1 "$work/peer.score")" 'BEGIN {
    printf "Issue 4 asks for 30 times the peer'"'"'s documents per second with an F1 at least as good: measured\n"
    printf "%.1fx with the story analysis (F1 %.4f against %.4f) and %.1fx for the peer'"'"'s job alone (F1 %.4f):\n", pw / sw, sf, pf, pw / nw, nf
    printf "%s.\n", (pw / nw >= 30 && nf >= pf) ? "met" : "not met" }'
)
echo "$section"
if [ -f "$RESULTS" ]; then echo "$section" >> "$RESULTS"; say "appended to $RESULTS"
else { echo "# Benchmark results"; echo "$section"; } > "$RESULTS"; say "wrote $RESULTS"; fi
