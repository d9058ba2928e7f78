#!/usr/bin/env bash
# usage.sh - exit codes and messages of the command line's usage errors.
# Usage: bash usage.sh /path/to/syndic /path/to/source-root
# Exit codes (src/cli/cli.h): 0 ok, 1 runtime error, 2 usage error. A usage
# error is reported as one "syndic: ..." line on stderr.
set -euo pipefail
SYNDIC=${1:?usage: $0 SYNDIC SOURCE_ROOT}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/syndic-cli-usage.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
# run CMD... : captures the exit status in $rc, stdout and stderr in files.
run() { set +e; "$@" >"$tmp/out" 2>"$tmp/err"; rc=$?; set -e; }
expect_rc() {
    [ "$rc" -eq "$1" ] || fail "$2: exit status $rc, expected $1; stderr: $(head -c 600 "$tmp/err")"
}
# The error is one line: exactly one stderr line starts with "syndic:".
expect_one_error_line() {
    local n
    n=$(grep -c '^syndic:' "$tmp/err" || true)
    [ "$n" -eq 1 ] || fail "$1: $n 'syndic:' lines on stderr, expected 1: $(cat "$tmp/err")"
    if [ -n "${2:-}" ]; then
        grep '^syndic:' "$tmp/err" | grep -q -- "$2" || fail "$1: error does not mention '$2': $(cat "$tmp/err")"
    fi
}

printf '{"id":"x","text":"some words here for a test"}\n' >"$tmp/in.jsonl"

# Help and version.
for args in "--help" "-h" "help" "cluster --help" "compare --help"; do
    # shellcheck disable=SC2086
    run "$SYNDIC" $args
    expect_rc 0 "syndic $args"
    grep -q 'Usage' "$tmp/out" || fail "syndic $args: no usage on stdout"
    [ ! -s "$tmp/err" ] || fail "syndic $args: wrote to stderr: $(cat "$tmp/err")"
done
for args in "--version" "-V"; do
    run "$SYNDIC" $args
    expect_rc 0 "syndic $args"
    grep -Eq '^syndic [0-9]+\.[0-9]+\.[0-9]+$' "$tmp/out" || fail "syndic $args: printed '$(cat "$tmp/out")'"
done

# No command at all, an unknown command.
run "$SYNDIC"
expect_rc 2 "syndic without arguments"
run "$SYNDIC" frobnicate
expect_rc 2 "unknown command"
expect_one_error_line "unknown command" "frobnicate"
[ ! -s "$tmp/out" ] || fail "unknown command: wrote to stdout"

# Bad option values: exit 2, one error line naming the option, nothing run.
bad_values=(
    "--threshold 1.5|threshold"
    "--threshold abc|threshold"
    "--threshold 0|threshold"
    "--threshold -0.5|threshold"
    "--threshold 0.5x|threshold"
    "--num-hashes 3|num-hashes"
    "--num-hashes 2000|num-hashes"
    "--num-hashes -8|num-hashes"
    "--shingle 0|shingle"
    "--shingle 17|shingle"
    "--bands 5|bands"
    "--rows 5|rows"
    "--bands 40 --rows 4|bands"
    "--max-bucket 1|max-bucket"
    "--seed pi|seed"
    "--max-gap 3x|max-gap"
    "--same-outlet-gap -1|same-outlet-gap"
    "--guard 1.5|guard"
    "--numbers nan|numbers"
    "--containment -0.1|containment"
    "--lsh-threshold 2|lsh-threshold"
    "--min-shared 2000000000|min-shared"
    "--format xml|format"
    "--field nonsense|field"
    "--field colour=c|field"
    "--max-line 3|max-line"
)
for entry in "${bad_values[@]}"; do
    args=${entry%%|*}
    word=${entry##*|}
    # shellcheck disable=SC2086
    run "$SYNDIC" cluster $args "$tmp/in.jsonl"
    expect_rc 2 "cluster $args"
    expect_one_error_line "cluster $args" "$word"
    [ ! -s "$tmp/out" ] || fail "cluster $args: wrote to stdout: $(head -c 300 "$tmp/out")"
done
# Every matching parameter is in the help (it is built from the library's
# table), and the message gives the range from the same table.
run "$SYNDIC" cluster --help
for opt in shingle num-hashes bands rows threshold seed max-bucket min-shared max-gap \
           same-outlet-gap guard numbers containment lsh-threshold; do
    grep -q -- "^  --$opt " "$tmp/out" || fail "cluster --help does not list --$opt"
done
run "$SYNDIC" cluster --shingle 17 "$tmp/in.jsonl"
expect_one_error_line "cluster --shingle 17" "in 1\.\.16, got '17'"
run "$SYNDIC" cluster --threshold 0 "$tmp/in.jsonl"
expect_one_error_line "cluster --threshold 0" "in (0, 1\], got '0'"
# The same parameters are checked by compare.
for args in "--threshold 1.5" "--num-hashes 3" "--bands 5" "--max-gap 1y"; do
    # shellcheck disable=SC2086
    run "$SYNDIC" compare $args "$tmp/in.jsonl" "$tmp/in.jsonl"
    expect_rc 2 "compare $args"
    expect_one_error_line "compare $args"
done
run "$SYNDIC" cluster --no-such-option "$tmp/in.jsonl"
expect_rc 2 "unknown option"

# cluster without input.
run "$SYNDIC" cluster
expect_rc 2 "cluster without input"
expect_one_error_line "cluster without input" "input"
run "$SYNDIC" cluster --threshold 0.5
expect_rc 2 "cluster with options but no input"

# compare needs exactly two documents.
run "$SYNDIC" compare "$tmp/in.jsonl"
expect_rc 2 "compare with one argument"
expect_one_error_line "compare with one argument"

# A missing input is a runtime error naming the file.
missing="$tmp/no-such-file.jsonl"
run "$SYNDIC" cluster "$missing"
expect_rc 1 "missing input"
grep -qF "$missing" "$tmp/err" || fail "missing input: stderr does not name the file: $(cat "$tmp/err")"
# ... also after a good input.
run "$SYNDIC" cluster -q "$tmp/in.jsonl" "$missing"
expect_rc 1 "missing second input"
grep -qF "$missing" "$tmp/err" || fail "missing second input: stderr does not name the file"
run "$SYNDIC" compare "$missing" "$tmp/in.jsonl"
expect_rc 1 "compare with a missing file"
grep -qF "$missing" "$tmp/err" || fail "compare: stderr does not name the missing file"

echo "usage.sh: all checks passed"
