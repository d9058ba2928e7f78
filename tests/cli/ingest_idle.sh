#!/usr/bin/env bash
# ingest_idle.sh - an idle feed gets its verdicts: with --commit-ms, held
# verdicts are committed and printed while ingest waits for the next record
# (the input stays open); with --commit-every 1 (a transaction per article,
# group-committed by a sync thread) each verdict is printed once durable,
# without waiting for more input. Generous timeouts: never flaky on a loaded
# machine, never hanging (every ingest runs under `timeout`).
set -euo pipefail
syndic=$1 src=$2
tmp=$(mktemp -d)
pids=()
cleanup() { exec 3>&- 2>/dev/null || true; for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$tmp"; }
trap cleanup EXIT
fail() { echo "ingest_idle: $*" >&2; exit 1; }
corpus=$src/corpus/articles.jsonl

# Waits (up to 60 s) until file $1 has $2 lines.
wait_lines() {
  for _ in $(seq 1 600); do
    [ "$(wc -l < "$1")" -ge "$2" ] && return 0
    sleep 0.1
  done
  return 1
}

# mode: extra ingest arguments; records are written, the feed stays open.
check_idle() {
  local name=$1; shift
  mkfifo "$tmp/$name.feed"
  : > "$tmp/$name.v"
  timeout 120 "$syndic" ingest -q --state "$tmp/$name" "$@" < "$tmp/$name.feed" > "$tmp/$name.v" &
  local pid=$!
  pids+=("$pid")
  exec 3> "$tmp/$name.feed"
  head -n 3 "$corpus" >&3
  wait_lines "$tmp/$name.v" 3 || fail "$name: $(wc -l < "$tmp/$name.v") verdicts of 3 after 60 s with the feed open"
  # The feed is still open: the process is waiting for input, and the
  # articles are in the state.
  kill -0 "$pid" 2>/dev/null || fail "$name: ingest ended before its input"
  "$syndic" state "$tmp/$name" stats --json | jq -e '.documents == 3' > /dev/null \
    || fail "$name: the state does not hold the 3 printed articles"
  diff <(head -n 3 "$corpus" | jq -r .id) <(jq -r .id "$tmp/$name.v") > /dev/null \
    || fail "$name: verdicts not in input order"
  # More input after the pause, then the end.
  sed -n '4,6p' "$corpus" >&3
  exec 3>&-
  wait "$pid" || fail "$name: ingest failed"
  [ "$(wc -l < "$tmp/$name.v")" -eq 6 ] || fail "$name: $(wc -l < "$tmp/$name.v") verdicts of 6"
}

# Batched commits, far from --commit-every: --commit-ms commits while idle.
check_idle batched --commit-every 1000 --commit-ms 200
# A transaction per article, group commit.
check_idle group --commit-every 1
# The same verdicts as one uninterrupted batched run.
head -n 6 "$corpus" | "$syndic" ingest -q --state "$tmp/ref" > "$tmp/ref.v"
cmp -s "$tmp/ref.v" "$tmp/batched.v" || fail "batched verdicts differ from a plain run"
cmp -s "$tmp/ref.v" "$tmp/group.v" || fail "group-commit verdicts differ from a plain run"
echo "ingest_idle: ok"
