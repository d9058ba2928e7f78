#!/usr/bin/env bash
# json-read.sh - how fast the JSON Lines reader goes, alone.
#
#   bench/json-read.sh [FILE] [BUILD]      (defaults: the 100,000-article
#                                           syndgen corpus, build-bench)
#   bench/json-read.sh --parsers [FILE]    the JSON parsers alone, for choosing
#
# Reader mode compiles a small driver against BUILD's libsyndic.a that opens
# FILE with syndic_reader_open and calls syndic_reader_next to the end
# (documents and rejects counted, nothing else done: no normalizing, no
# sketching), runs it 3 times and prints the median in MB/s of input bytes.
# The file is read once first so that every run reads from the page cache.
#
# --parsers times, on the same lines cut the same way, jansson's json_loadb
# (with the reader's flags), jsmn's tokenizer (libjsmn-dev, header-only) and
# yajl's parser with no callbacks (libyajl-dev, skipped when not installed):
# the parsing alone, without the reader's UTF-8 check or field extraction.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
mode=reader
if [ "${1:-}" = "--parsers" ]; then mode=parsers; shift; fi
data=${1:-bench/data/syn-100000-s20260304.jsonl}
build=${2:-build-bench}
runs=3
tmp=$(mktemp -d "${TMPDIR:-/tmp}/syndic-json-read.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

if [ ! -s "$data" ]; then
  if [[ "$data" =~ syn-([0-9]+)-s([0-9]+)\.jsonl$ ]]; then
    [ -x "$build/bench/gen/syndgen" ] || {
      cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
      cmake --build "$build" -j 2 >/dev/null
    }
    mkdir -p "$(dirname "$data")"
    "$build/bench/gen/syndgen" --docs "${BASH_REMATCH[1]}" --seed "${BASH_REMATCH[2]}" \
      --out "$data" --truth "${data%.jsonl}.tsv" --quiet
  else
    echo "json-read.sh: no such file: $data" >&2
    exit 1
  fi
fi
cat "$data" >/dev/null # into the page cache
mb=$(awk -v b="$(stat -c %s "$data")" 'BEGIN { printf "%.1f", b / 1e6 }')
echo "input: $data ($mb MB)"

# "$@" prints "WALL CPU" seconds on its last line: the medians over $runs
# runs, as MB/s (CPU time, the process's own, shows less of what other
# processes on the machine do to the wall time)
median_mbs() {
  local out=()
  for _ in $(seq "$runs"); do out+=("$("$@" | tail -n 1)"); done
  local mid=$(((runs + 1) / 2))
  local wall cpu
  wall=$(printf '%s\n' "${out[@]}" | awk '{ print $1 }' | sort -g | sed -n "${mid}p")
  cpu=$(printf '%s\n' "${out[@]}" | awk '{ print $2 }' | sort -g | sed -n "${mid}p")
  awk -v mb="$mb" -v w="$wall" -v c="$cpu" -v n="$runs" 'BEGIN {
    printf "%8.1f MB/s  (median wall %.3f s of %d; by CPU time %.1f MB/s)\n", mb / w, w, n, mb / c }'
}

if [ "$mode" = reader ]; then
  if [ ! -f "$build/src/libsyndic.a" ]; then
    cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
    cmake --build "$build" -j 2 --target syndic >/dev/null
  fi
  cat >"$tmp/drive.c" <<'EOF'
#define _POSIX_C_SOURCE 200809L
#include "syndic.h"
#include <stdio.h>
#include <time.h>
int main(int argc, char **argv)
{
    (void)argc;
    struct timespec t0, t1, c0, c1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
    syndic_reader *r;
    if (syndic_reader_open(&r, argv[1], NULL) < 0) { fprintf(stderr, "%s\n", syndic_last_error()); return 1; }
    unsigned long long docs = 0, bad = 0, chars = 0;
    for (;;) {
        syndic_doc d;
        syndic_reject why;
        int rc = syndic_reader_next(r, &d, &why);
        if (rc == 1) { docs++; chars += d.text_len + d.id_len + d.title_len; continue; }
        if (rc == SYNDIC_EBADREC) { bad++; continue; }
        if (rc < 0) { fprintf(stderr, "%s\n", syndic_last_error()); return 1; }
        break;
    }
    syndic_reader_free(r);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
    fprintf(stderr, "%llu documents, %llu rejected, %llu bytes of strings\n", docs, bad, chars);
    printf("%.6f %.6f\n", (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
           (double)(c1.tv_sec - c0.tv_sec) + (double)(c1.tv_nsec - c0.tv_nsec) / 1e9);
    return 0;
}
EOF
  # The library's own link dependencies (jsmn is header-only).
  ${CC:-cc} -O2 -o "$tmp/drive" "$tmp/drive.c" -Iinclude "$build/src/libsyndic.a" \
    $(pkg-config --libs libutf8proc jansson zlib lmdb) -lpthread -lm
  echo "reader ($build): syndic_reader_next to the end"
  "$tmp/drive" "$data" 2>&1 >/dev/null | sed 's/^/  /'
  median_mbs "$tmp/drive" "$data" 2>/dev/null
  exit 0
fi

# --parsers
cat >"$tmp/parsers.c" <<'EOF'
#define _POSIX_C_SOURCE 200809L
#include <jansson.h>
#define JSMN_STATIC
#define JSMN_STRICT
#define JSMN_PARENT_LINKS
#include <jsmn.h>
#ifdef HAVE_YAJL
#include <yajl/yajl_parse.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
static double now(clockid_t id)
{
    struct timespec t;
    clock_gettime(id, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}
int main(int argc, char **argv)
{
    FILE *f = fopen(argv[2], "rb");
    if (!f) return 1;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *data = malloc((size_t)n + 1);
    if (fread(data, 1, (size_t)n, f) != (size_t)n) return 1;
    fclose(f);
    static jsmntok_t tok[4096];
    long bad = 0;
    double t0 = now(CLOCK_MONOTONIC), c0 = now(CLOCK_PROCESS_CPUTIME_ID);
    for (char *p = data, *end = data + n; p < end;) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
        if (strcmp(argv[1], "jansson") == 0) {
            json_error_t err;
            json_t *j = json_loadb(p, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL | JSON_DECODE_ANY, &err);
            if (!j) bad++;
            json_decref(j);
        } else if (strcmp(argv[1], "jsmn") == 0) {
            jsmn_parser ps;
            jsmn_init(&ps);
            if (jsmn_parse(&ps, p, len, tok, 4096) < 1) bad++;
#ifdef HAVE_YAJL
        } else if (strcmp(argv[1], "yajl") == 0) {
            yajl_handle h = yajl_alloc(NULL, NULL, NULL);
            if (yajl_parse(h, (const unsigned char *)p, len) != yajl_status_ok ||
                yajl_complete_parse(h) != yajl_status_ok)
                bad++;
            yajl_free(h);
#endif
        }
        p += len + 1;
    }
    double t1 = now(CLOCK_MONOTONIC), c1 = now(CLOCK_PROCESS_CPUTIME_ID);
    fprintf(stderr, "%s: %ld lines failed\n", argv[1], bad);
    printf("%.6f %.6f\n", t1 - t0, c1 - c0);
    free(data);
    return 0;
}
EOF
parsers="jansson jsmn"
yajl=()
if [ -f /usr/include/yajl/yajl_parse.h ]; then parsers+=" yajl"; yajl=(-DHAVE_YAJL -lyajl); fi
${CC:-cc} -O2 -o "$tmp/parsers" "$tmp/parsers.c" $(pkg-config --libs jansson) "${yajl[@]}"
echo "parsers alone (file in memory, split at newlines; load time not counted)"
for p in $parsers; do
  printf '%-8s' "$p"
  median_mbs "$tmp/parsers" "$p" "$data" 2>/dev/null
done
