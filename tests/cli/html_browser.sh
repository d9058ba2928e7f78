#!/usr/bin/env bash
# html_browser.sh - `syndic cluster --format html` opened in a real browser.
# Usage: bash html_browser.sh /path/to/syndic /path/to/source-root
#
# The input is the sample corpus plus a pair of copies of an invented story
# whose id, outlet, title, url and text carry script and markup payloads.
# Chromium (headless) loads the report and dumps its DOM, which must show:
#  - the overview table, and one section per story of 2+ copies: as many as
#    the JSON Lines output of the same input has lines;
#  - in every story section an svg.timeline with at least one circle.copy,
#    and one details.sidebyside per copy that is not an origin;
#  - the payloads as text (escaped in the dump), no element made from them,
#    no data-pwned attribute, the title still "syndic report", no link other
#    than the page's own #anchors.
# The raw HTML is also checked without the browser: no script, no external
# resource. A screenshot goes to BUILD_DIR/report.png (BUILD_DIR = the
# parent of the directory of the syndic binary).
#
# Chromium is required (CI installs it): without it the test fails, unless
# SYNDIC_SKIP_BROWSER=1, which runs the checks on the raw HTML only.
# CHROMIUM=/path/to/binary overrides the browser.
set -euo pipefail
SYNDIC=${1:?usage: $0 SYNDIC SOURCE_ROOT}
ROOT=${2:?usage: $0 SYNDIC SOURCE_ROOT}
BUILD_DIR=$(cd "$(dirname "$SYNDIC")/.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/syndic-cli-html.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
# count / countall PATTERN FILE: distinct / all matches of an extended regex.
count() { { grep -oE -- "$1" "$2" || true; } | sort -u | wc -l; }
countall() { { grep -oE -- "$1" "$2" || true; } | wc -l; }

# --- input: the corpus plus a copy pair carrying payloads ---
SCRIPT_PAYLOAD="<script>document.title='pwned'</script>"
IMG_PAYLOAD="<img src=x onerror=\\\"document.body.setAttribute('data-pwned','1')\\\">"
BODY="The lighthouse keepers of Granholm Point $SCRIPT_PAYLOAD voted on Monday to keep the old lamp burning through the winter, after the regional maritime office agreed to pay for a new generator and two extra months of fuel. $IMG_PAYLOAD The keepers had warned that the lamp, first lit in eighteen ninety, could fail during the storm season when supply boats cannot reach the island for weeks at a time. Fishermen from three nearby harbours signed a letter in support, saying the light still guides small boats that carry no satellite receivers. The maritime office said the money would come from a fund set aside for historic buildings, and that engineers would visit the island in October to install the generator before the first autumn gales arrive."
cp "$ROOT/corpus/articles.jsonl" "$tmp/in.jsonl"
cat >>"$tmp/in.jsonl" <<JSON
{"id":"pwn-1<b>x</b>","outlet":"Evil <i>Outlet</i> $SCRIPT_PAYLOAD","date":"2026-03-20T08:00:00Z","title":"Keepers vote $SCRIPT_PAYLOAD $IMG_PAYLOAD","url":"javascript:document.body.setAttribute('data-pwned','1')","text":"$BODY"}
{"id":"pwn-2","outlet":"Copycat \"Daily\" & Co","date":"2026-03-20T09:30:00Z","title":"Lighthouse stays lit $IMG_PAYLOAD","url":"https://example.com/?a=1&b=<2>","text":"$BODY Local councillors welcomed the decision."}
JSON

# --- the report and the reference counts ---
"$SYNDIC" cluster -q "$tmp/in.jsonl" >"$tmp/clusters.jsonl" 2>"$tmp/err" ||
    fail "syndic cluster (jsonl) failed: $(head -c 600 "$tmp/err")"
stories=$(wc -l <"$tmp/clusters.jsonl")
members=$({ grep -o '"size":[0-9]*' "$tmp/clusters.jsonl" || true; } | awk -F: '{ s += $2 } END { print s + 0 }')
[ "$stories" -ge 2 ] || fail "expected several stories in the JSON Lines output, got $stories"
grep -q '"id":"pwn-1<b>x</b>"' "$tmp/clusters.jsonl" && grep -q '"id":"pwn-2"' "$tmp/clusters.jsonl" ||
    fail "the payload pair did not form a story"
"$SYNDIC" cluster -q --format html -o "$tmp/report.html" "$tmp/in.jsonl" 2>"$tmp/err" ||
    fail "syndic cluster --format html failed: $(head -c 600 "$tmp/err")"
[ -s "$tmp/report.html" ] || fail "empty report"

# --- the raw HTML: self-contained, no script, payloads escaped ---
html=$tmp/report.html
if grep -Eiq '<(script|link|img|iframe|object|embed|base|form|audio|video)[ />]' "$html"; then
    fail "raw HTML has an element it must not have: $(grep -Eio '<(script|link|img|iframe|object|embed|base|form|audio|video)[ />][^>]{0,80}' "$html" | head -3)"
fi
if grep -Eiq '(src|href|xlink:href|action)="(https?:|javascript:|data:|//)' "$html"; then
    fail "raw HTML refers to an external resource or a script URL"
fi
if grep -Eiq 'url\((https?:|//|data:)|@import' "$html"; then fail "CSS loads something"; fi
grep -q "&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;" "$html" ||
    fail "the script payload is not escaped in the raw HTML"
grep -q "&lt;img src=x onerror=&quot;" "$html" || fail "the img payload is not escaped in the raw HTML"
grep -q 'Copycat &quot;Daily&quot; &amp; Co' "$html" || fail "the outlet with quotes is not escaped"
[ "$(head -c 15 "$html")" = "<!DOCTYPE html>" ] || fail "no doctype"

# --- the browser ---
browser=${CHROMIUM:-}
if [ -z "$browser" ]; then
    for b in chromium chromium-browser; do
        if command -v "$b" >/dev/null 2>&1; then browser=$(command -v "$b"); break; fi
    done
fi
if [ -z "$browser" ]; then
    if [ "${SYNDIC_SKIP_BROWSER:-0}" = 1 ]; then
        echo "SKIP: chromium is not installed (SYNDIC_SKIP_BROWSER=1): raw HTML checks only"
        exit 0
    fi
    fail "chromium is not installed: this test opens the HTML report in a headless browser." \
         "Install it (Debian: apt-get install chromium) or set SYNDIC_SKIP_BROWSER=1 to skip."
fi
limit=()
command -v timeout >/dev/null 2>&1 && limit=(timeout 180)
chrome() {
    local profile
    profile=$(mktemp -d "$tmp/profile.XXXXXX")
    "${limit[@]}" "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$profile" "$@"
}
chrome --dump-dom "file://$html" >"$tmp/dom.html" 2>"$tmp/chrome.err" ||
    fail "chromium --dump-dom failed: $(tail -c 800 "$tmp/chrome.err")"
dom=$tmp/dom.html
[ -s "$dom" ] || fail "chromium dumped an empty DOM: $(tail -c 800 "$tmp/chrome.err")"

# Structure: the overview, one section per story, a timeline with copies in
# each, a side-by-side view per copy that is not an origin.
grep -q '<table class="overview">' "$dom" || fail "no overview table in the DOM"
sections=$(count '<section class="story" id="story-[0-9]+"' "$dom")
[ "$sections" -eq "$stories" ] ||
    fail "the DOM has $sections story sections, the JSON Lines output $stories stories"
overview_links=$(count '<td class="n"><a href="#story-[0-9]+">' "$dom")
[ "$overview_links" -eq "$stories" ] ||
    fail "the overview lists $overview_links stories, expected $stories"
sidebyside=$(countall '<details class="sidebyside"' "$dom")
[ "$sidebyside" -eq $((members - stories)) ] ||
    fail "$sidebyside side-by-side views, expected $((members - stories)) (one per copy)"
# Per section, in document order: a timeline, then at least one copy circle.
grep -oE '<section class="story" id="story-[0-9]+"|<svg class="timeline"|<circle class="copy( origin)?"' "$dom" |
    awk '
        /^<section/ { if (n && (!svg || !circles)) { print id; bad = 1 } n++; id = $0; svg = 0; circles = 0; next }
        /^<svg/     { svg++; next }
        /^<circle/  { if (svg) circles++ }
        END         { if (n && (!svg || !circles)) { print id; bad = 1 } exit bad }
    ' >"$tmp/bad_sections" ||
    fail "story sections without an svg.timeline holding a circle.copy: $(head -3 "$tmp/bad_sections")"
origins=$(countall '<circle class="copy origin"' "$dom")
[ "$origins" -eq "$stories" ] || fail "$origins origin circles for $stories stories"

# Payloads: present as text, inert.
grep -q "&lt;script&gt;document.title='pwned'&lt;/script&gt;" "$dom" ||
    fail "the script payload is not shown as text in the DOM"
grep -q '&lt;img src=x onerror="document.body.setAttribute' "$dom" ||
    fail "the img payload is not shown as text in the DOM"
grep -q '<h2><span class="num">Story [0-9]*</span>Keepers vote &lt;script&gt;' "$dom" ||
    fail "the payload story has no section of its own"
if grep -q 'data-pwned="' "$dom"; then fail "a payload ran: data-pwned attribute set"; fi
if grep -Eiq '<(script|img)[ >]' "$dom"; then fail "a payload became an element in the DOM"; fi
grep -q '<title>syndic report</title>' "$dom" || fail "the page title is not 'syndic report'"
if grep -q '<title>pwned</title>' "$dom"; then fail "a payload ran: title is 'pwned'"; fi
if grep -Eo 'href="[^"]*"' "$dom" | grep -vq '^href="#'; then
    fail "a link other than an anchor: $(grep -Eo 'href="[^"]*"' "$dom" | grep -v '^href="#' | head -3)"
fi

# --- a screenshot for people ---
shot=$BUILD_DIR/report.png
chrome --screenshot="$shot" --window-size=1400,2400 "file://$html" >"$tmp/shot.out" 2>"$tmp/chrome.err" ||
    fail "chromium --screenshot failed: $(tail -c 800 "$tmp/chrome.err")"
[ -s "$shot" ] || fail "no screenshot written to $shot"
echo "html_browser: $stories stories, $sections sections, $sidebyside side-by-side views checked"
echo "screenshot: $shot"
