#!/usr/bin/env bash
# ingest.sh - `syndic ingest` and `syndic state`: a verdict per record in
# input order, bad records rejected with the reader's reason while the stream
# goes on, duplicates on a rerun, verdicts held until their commit, a reader
# running while ingest writes, parameters enforced, export/verify/compact.
set -euo pipefail
syndic=$1 src=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "ingest: $*" >&2; exit 1; }
corpus=$src/corpus/articles.jsonl
n=$(wc -l < "$corpus")

"$syndic" ingest -q --state "$tmp/st" "$corpus" > "$tmp/v1"
[ "$(wc -l < "$tmp/v1")" -eq "$n" ] || fail "$(wc -l < "$tmp/v1") verdicts for $n records"
# Input order.
diff <(jq -r .id "$corpus") <(jq -r .id "$tmp/v1") > /dev/null || fail "verdicts not in input order"
jq -e 'select(.verdict == "copy") | .match and .origin and .jaccard > 0 and .story > 0' "$tmp/v1" \
  > /dev/null || fail "copy verdicts lack fields"
# A rerun: every record is a duplicate with its first verdict.
"$syndic" ingest -q --state "$tmp/st" < "$corpus" > "$tmp/v2"
[ "$(jq -r .verdict "$tmp/v2" | sort -u)" = duplicate ] || fail "rerun gave other than duplicates"
diff <(jq -r '[.id, .verdict, .story] | @tsv' "$tmp/v1" | cut -f1,3) \
     <(jq -r '[.id, .first, .story] | @tsv' "$tmp/v2" | cut -f1,3) > /dev/null \
  || fail "duplicates do not repeat the stored story"

# Bad records: rejected with the reason, the stream goes on.
{ head -n 2 "$corpus"; echo '{"id": "x", "text": '; echo '[1, 2]'; echo '{"id": "y"}';
  echo '{"id": "z", "text": ""}'; sed -n 3p "$corpus"; } > "$tmp/bad.jsonl"
"$syndic" ingest -q --state "$tmp/bad" "$tmp/bad.jsonl" > "$tmp/vb"
[ "$(jq -r .verdict "$tmp/vb" | tr '\n' ' ')" = "new new rejected rejected rejected rejected new " ] \
  || [ "$(jq -r .verdict "$tmp/vb" | sed -n 7p)" != rejected ] || fail "bad records: $(jq -c . "$tmp/vb")"
[ "$(jq -r 'select(.verdict == "rejected") | .reason' "$tmp/vb" | tr '\n' ' ')" = \
  "malformed_json not_object missing_field empty_text " ] || fail "reasons: $(jq -r .reason "$tmp/vb")"

# Verdicts are JSON that round-trips every id: quotes, backslashes, control
# characters, non-ASCII; reals with a fraction or ".0".
cat > "$tmp/esc.jsonl" <<'END'
{"id": "q\"uote\\back\tslash/\u0001\u001f", "outlet": "A", "text": "Alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau upsilon phi chi psi omega."}
{"id": "\u00e9\u65e5\ud83d\ude00", "outlet": "B", "text": "Alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau upsilon phi chi psi omega."}
{"id": "x3", "outlet": "C", "text": "Alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau upsilon phi chi psi omega. And more words here."}
END
"$syndic" ingest -q --state "$tmp/esc" "$tmp/esc.jsonl" > "$tmp/ve"
diff <(jq -r .id "$tmp/esc.jsonl") <(jq -r .id "$tmp/ve") > /dev/null || fail "ids do not round-trip: $(cat "$tmp/ve")"
[ "$(jq -r .origin "$tmp/ve" | sort -u | wc -l)" -eq 1 ] || fail "escaped origins: $(cat "$tmp/ve")"
grep -q '"jaccard":1.0,"containment":1.0,' "$tmp/ve" || fail "reals: $(cat "$tmp/ve")"
jq -e 'select(.id == "x3") | .jaccard > 0.5 and .jaccard < 1 and .containment > 0.9' "$tmp/ve" > /dev/null \
  || fail "x3: $(cat "$tmp/ve")"

# Verdicts wait for their commit: on a slow feed, the first batch of 5 is
# printed once committed, and a reader sees it while ingest waits for more.
# (--commit-ms is out of reach here; tests/cli/ingest_idle.sh tests it.)
mkfifo "$tmp/feed"
"$syndic" ingest -q --state "$tmp/slow" --commit-every 5 --commit-ms 3600000 < "$tmp/feed" > "$tmp/vs" &
pid=$!
exec 3> "$tmp/feed"
head -n 7 "$corpus" >&3
sleep 1
[ "$(wc -l < "$tmp/vs")" -eq 5 ] || fail "commit-every: $(wc -l < "$tmp/vs") verdicts after 1 s"
"$syndic" state "$tmp/slow" stats --json | jq -e '.documents == 5' > /dev/null \
  || fail "a reader beside the writer sees $("$syndic" state "$tmp/slow" stats --json)"
sed -n '8,10p' "$corpus" >&3
exec 3>&-
wait "$pid"
[ "$(wc -l < "$tmp/vs")" -eq 10 ] || fail "slow feed: $(wc -l < "$tmp/vs") verdicts"

# Parameters are the state's.
rc=0; "$syndic" ingest -q --state "$tmp/st" --threshold 0.3 < /dev/null 2> "$tmp/err" || rc=$?
[ "$rc" -eq 1 ] && grep -q "threshold 0.25, not 0.3" "$tmp/err" || fail "params: rc $rc $(cat "$tmp/err")"
rc=0; "$syndic" ingest -q --state "$tmp/st" --window 7d < /dev/null 2> "$tmp/err" || rc=$?
[ "$rc" -eq 1 ] && grep -q "window" "$tmp/err" || fail "window: rc $rc $(cat "$tmp/err")"

# state: stats, export (the batch's cluster format), verify, compact.
"$syndic" state "$tmp/st" stats | grep -q "^articles   $n in the window" || fail "stats"
"$syndic" state "$tmp/st" export > "$tmp/export"
jq -e '.cluster and .size > 1 and .representative and (.members | length) == .size' \
  "$tmp/export" > /dev/null || fail "export format"
"$syndic" state "$tmp/st" verify | grep -q ": ok$" || fail "verify"
"$syndic" state "$tmp/st" compact "$tmp/copy" && "$syndic" state "$tmp/copy" export | cmp -s - "$tmp/export" \
  || fail "compacted copy differs"
"$syndic" state "$tmp/st" compact > /dev/null && "$syndic" state "$tmp/st" export | cmp -s - "$tmp/export" \
  || fail "compaction in place changed the state"

# Usage errors.
rc=0; "$syndic" ingest "$corpus" 2>/dev/null || rc=$?; [ "$rc" -eq 2 ] || fail "no --state: rc $rc"
rc=0; "$syndic" ingest --state "$tmp/x" --commit-every 0 2>/dev/null || rc=$?; [ "$rc" -eq 2 ] || fail "commit-every 0: rc $rc"
rc=0; "$syndic" state "$tmp/st" frobnicate 2>/dev/null || rc=$?; [ "$rc" -eq 2 ] || fail "bad action: rc $rc"
rc=0; "$syndic" state "$tmp/none" stats 2>/dev/null || rc=$?; [ "$rc" -eq 1 ] || fail "no state: rc $rc"
"$syndic" ingest --help | grep -q -- "--commit-every" || fail "help"
echo "ingest: ok"
