#!/usr/bin/env bash
# threads.sh - `syndic cluster --threads N`: the report is the same, byte for
# byte, on 1, 2 and 4 threads, in every format, for the bundled corpus and a
# few thousand synthetic documents; the number shows in the summary and the
# stats; bad values are usage errors.
# Usage: bash threads.sh /path/to/syndic /path/to/source-root
set -euo pipefail
SYNDIC=${1:?usage: $0 SYNDIC SOURCE_ROOT}
SRC=${2:?usage: $0 SYNDIC SOURCE_ROOT}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/syndic-cli-threads.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# Synthetic documents: stories of three paragraphs over a small vocabulary
# with figures, each run by one to six outlets (copies trimmed or with a
# word changed), every outlet wrapping its copies in its own template lines.
awk 'BEGIN {
    srand(20260304);
    nw = split("harbour council budget river school minister storm vote factory union court judge bridge train police market price farmers drought wheat hospital nurses strike airport pilots museum painting festival mayor election ballot rail tunnel engineers fire forest village mountain snow road bank rate inflation export port ship cargo fishing quota treaty border talks summit leaders climate energy solar wind grid outage water pipe repair contract the a of and said on in after before with", w, " ");
    no = split("Harbor Daily|Ridge Courier|Valley Post|Coast Ledger|Metro Sun|Wire Agency", o, "|");
    n = 0;
    for (st = 0; n < 3000; st++) {
        story = "";
        for (p = 0; p < 3; p++) {
            para = "";
            for (i = 0; i < 40; i++) {
                word = (rand() < 0.08) ? sprintf("%d.%d", int(rand() * 1000), int(rand() * 10)) : w[1 + int(rand() * nw)];
                para = para (i ? " " : "") word;
            }
            story = story para ".\\n";
        }
        copies = 1 + int(rand() * 6); day = 1 + st % 27; hour = int(rand() * 18);
        for (c = 0; c < copies && n < 3000; c++) {
            outlet = o[1 + (st + c) % no];
            text = story;
            if (c && rand() < 0.3) text = substr(text, 1, int(length(text) * (1 + int(rand() * 3)) / 4));
            if (c && rand() < 0.5) { k = 20 + int(rand() * 200); text = substr(text, 1, k - 1) "x" substr(text, k + 1); }
            text = "Advertisement\\n" text "Follow " outlet " for the latest news\\nCopyright 2026 " outlet;
            date = (c == 3) ? "" : sprintf(",\"date\":\"2026-03-%02dT%02d:%02d:00Z\"", day, hour + c, int(rand() * 60));
            title = (rand() < 0.75) ? sprintf(",\"title\":\"%s %s %d\"", w[1 + st % nw], w[1 + (st * 7) % nw], st) : "";
            printf "{\"id\":\"syn-%d-%d\",\"outlet\":\"%s\"%s%s,\"text\":\"%s\"}\n", st, c, outlet, date, title, text;
            n++;
        }
    }
}' >"$tmp/syn.jsonl"
[ "$(wc -l <"$tmp/syn.jsonl")" -eq 3000 ] || fail "the generator made $(wc -l <"$tmp/syn.jsonl") documents"

# same LABEL ARGS...: the output of `syndic cluster ARGS` on 1, 2 and 4
# threads (and 0, the online CPUs) is identical and not empty.
same() {
    local label=$1; shift
    "$SYNDIC" cluster -q --threads 1 "$@" -o "$tmp/one" || fail "$label: --threads 1 failed"
    [ -s "$tmp/one" ] || fail "$label: empty output"
    for t in 2 4 0; do
        "$SYNDIC" cluster -q --threads $t "$@" -o "$tmp/many" || fail "$label: --threads $t failed"
        cmp -s "$tmp/one" "$tmp/many" || {
            diff "$tmp/one" "$tmp/many" | head -10 >&2
            fail "$label: --threads $t differs from --threads 1"
        }
    done
}

for input in "$SRC/corpus/articles.jsonl" "$tmp/syn.jsonl"; do
    name=$(basename "$input")
    for fmt in jsonl csv text html; do
        same "$name $fmt" --format $fmt "$input"
    done
    # The default report is analysed (on the batch's threads too): sources,
    # edits and sentence examples, compared above.
    same "$name default" "$input"
    grep -q '"source":"' "$tmp/one" || fail "$name: no copy sources in the default report"
    grep -q '"sentences":' "$tmp/one" || fail "$name: no sentence examples in the default report"
    same "$name --singletons" --singletons "$input"
    same "$name --no-analysis" --no-analysis "$input"
    same "$name --no-templates" --no-templates --format csv "$input"
done
# The synthetic corpus has copies to cluster and templates to learn.
"$SYNDIC" cluster --threads 2 --stats "$tmp/stats.json" "$tmp/syn.jsonl" -o "$tmp/out" 2>"$tmp/err"
[ "$(wc -l <"$tmp/out")" -ge 300 ] || fail "synthetic: only $(wc -l <"$tmp/out") clusters"
grep -q '^templates: [1-9]' "$tmp/err" || fail "synthetic: no templates learned: $(cat "$tmp/err")"
# The bundled corpus still gives its blessed report on several threads.
"$SYNDIC" cluster -q --threads 4 "$SRC/corpus/articles.jsonl" -o "$tmp/out"
cmp -s "$tmp/out" "$SRC/tests/golden/corpus-clusters.jsonl" || fail "--threads 4 changed the golden report"
# Standard input (spooled for the two passes) on threads.
"$SYNDIC" cluster -q --threads 2 - <"$tmp/syn.jsonl" >"$tmp/stdin.out"
"$SYNDIC" cluster -q --threads 1 "$tmp/syn.jsonl" -o "$tmp/file.out"
cmp -s "$tmp/stdin.out" "$tmp/file.out" || fail "stdin on 2 threads differs from the file on 1"

# The number is in the summary and in the stats' params.
grep -q '^time on 2 threads:' "$tmp/err" || fail "summary: no thread count: $(cat "$tmp/err")"
grep -q '"threads":2' "$tmp/stats.json" || fail "stats: no \"threads\":2: $(head -c 400 "$tmp/stats.json")"
"$SYNDIC" cluster --threads 1 "$SRC/corpus/articles.jsonl" -o /dev/null 2>"$tmp/err"
grep -q '^time on 1 thread:' "$tmp/err" || fail "summary: no thread count: $(cat "$tmp/err")"
# Default: the online CPUs.
cpus=$(getconf _NPROCESSORS_ONLN 2>/dev/null || nproc)
"$SYNDIC" cluster -q --stats "$tmp/stats.json" "$SRC/corpus/articles.jsonl" -o /dev/null
grep -q "\"threads\":$cpus[,}]" "$tmp/stats.json" || fail "default is not $cpus threads: $(head -c 400 "$tmp/stats.json")"

# Bad values are usage errors (exit 2).
for bad in -1 abc 257 2x ""; do
    set +e
    "$SYNDIC" cluster -q --threads "$bad" "$SRC/corpus/articles.jsonl" -o /dev/null 2>"$tmp/err"
    rc=$?
    set -e
    [ "$rc" -eq 2 ] || fail "--threads '$bad': exit $rc, expected 2"
    grep -q -- "--threads" "$tmp/err" || fail "--threads '$bad': message: $(cat "$tmp/err")"
done
echo "threads: ok"
