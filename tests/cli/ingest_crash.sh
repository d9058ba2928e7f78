#!/usr/bin/env bash
# ingest_crash.sh - kill `syndic ingest` with SIGKILL at random moments, many
# times, restarting it on the same input each time; then check that
#  - every article whose verdict was printed (by any run) is in the state,
#  - no article is in the state twice, the state passes `state verify`,
#  - the final stories equal those of one uninterrupted run (byte-identical
#    export: same story ids too, since verdicts depend only on the state).
# Input: the bundled corpus repeated with fresh ids (copies of copies, so
# stories grow across repetitions), a bad line in each repetition.
set -euo pipefail
syndic=$1 src=$2
kills=${INGEST_CRASH_KILLS:-30}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "ingest_crash: $*" >&2; exit 1; }

for r in 1 2 3 4 5 6; do
  sed "s/\"id\": *\"\\([^\"]*\\)\"/\"id\":\"\\1-r$r\"/" "$src/corpus/articles.jsonl"
  echo '{"id": "broken-'$r'", "text": '
done > "$tmp/input.jsonl"
total=$(grep -c '"text": "' "$tmp/input.jsonl" || true)

# The reference: one uninterrupted run.
"$syndic" ingest -q --state "$tmp/ref" --no-sync "$tmp/input.jsonl" > "$tmp/ref.verdicts"
"$syndic" state "$tmp/ref" export --singletons > "$tmp/ref.export"

# Crash and restart. Small batches and fsync'd commits make the runs long
# enough for the kills to land anywhere: before, inside and after commits.
crash_runs() { # mode, ingest args...
mode=$1; shift
rm -rf "$tmp/st"
: > "$tmp/printed"
killed=0
for i in $(seq 1 "$kills"); do
  "$syndic" ingest -q --state "$tmp/st" "$@" "$tmp/input.jsonl" >> "$tmp/printed" 2>/dev/null &
  pid=$!
  sleep "0.$(printf '%03d' $((RANDOM % 150)))"
  if kill -9 "$pid" 2>/dev/null; then killed=$((killed + 1)); fi
  wait "$pid" 2>/dev/null || true
done
# And a last run to the end.
"$syndic" ingest -q --state "$tmp/st" "$@" "$tmp/input.jsonl" >> "$tmp/printed"
"$syndic" state "$tmp/st" verify > /dev/null || fail "state verify failed"
"$syndic" state "$tmp/st" export --singletons > "$tmp/st.export"

# Every printed verdict (complete lines only) names a stored article.
grep -o '"id":"[^"]*","verdict":"\(new\|copy\|duplicate\)"' "$tmp/printed" \
  | sed 's/"id":"\([^"]*\)".*/\1/' | sort -u > "$tmp/printed.ids"
grep -o '"id":"[^"]*","outlet"' "$tmp/st.export" | sed 's/"id":"\([^"]*\)".*/\1/' \
  | sort > "$tmp/stored.ids"
[ "$(sort -u "$tmp/stored.ids" | wc -l)" -eq "$(wc -l < "$tmp/stored.ids")" ] \
  || fail "an article is stored twice"
[ "$(wc -l < "$tmp/stored.ids")" -eq "$total" ] \
  || fail "$(wc -l < "$tmp/stored.ids") articles stored, expected $total"
missing=$(comm -23 "$tmp/printed.ids" "$tmp/stored.ids" | wc -l)
[ "$missing" -eq 0 ] || fail "$missing printed verdicts name articles not in the state"
cmp -s "$tmp/ref.export" "$tmp/st.export" || {
  diff "$tmp/ref.export" "$tmp/st.export" | head -5 >&2
  fail "stories differ from the uninterrupted run"
}
# The first verdict printed for each id agrees with the reference run's.
grep -o '"id":"[^"]*","verdict":"\(new\|copy\)","story":[0-9]*' "$tmp/printed" | sort -u \
  > "$tmp/printed.first"
grep -o '"id":"[^"]*","verdict":"\(new\|copy\)","story":[0-9]*' "$tmp/ref.verdicts" | sort -u \
  > "$tmp/ref.first"
extra=$(comm -23 "$tmp/printed.first" "$tmp/ref.first" | wc -l)
[ "$extra" -eq 0 ] || fail "$extra verdicts differ from the uninterrupted run"
echo "ingest_crash: $mode ok ($killed kills of $kills runs, $total articles, $(wc -l < "$tmp/printed.ids") printed ids)"
}

crash_runs batched --commit-every 7 --commit-ms 5
# A transaction per article, made durable by the sync thread (group commit).
crash_runs group-commit --commit-every 1
