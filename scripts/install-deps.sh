#!/usr/bin/env bash
# install-deps.sh - install the Debian packages syndic needs to build and test.
#
# Installs only what is missing. As root it runs apt-get itself; otherwise it
# uses sudo when that works without a password prompt; otherwise it prints the
# exact command to run and exits 1.
#   scripts/install-deps.sh          build + test dependencies
#   scripts/install-deps.sh --browser  also what the tests need beyond the build:
#                                      chromium (HTML report test) and jq (CLI tests)
set -euo pipefail

packages=(gcc make cmake pkg-config libxxhash-dev zlib1g-dev libutf8proc-dev
          libjansson-dev libjsmn-dev check libsubunit-dev liblmdb-dev)
if [[ "${1:-}" == "--browser" ]]; then packages+=(chromium jq); fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "install-deps: installing ${missing[*]}" >&2
cmd=(apt-get install -y --no-install-recommends "${missing[@]}")
if [[ $(id -u) -eq 0 ]]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  "${cmd[@]}" -qq >/dev/null
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  sudo DEBIAN_FRONTEND=noninteractive apt-get update -qq
  sudo DEBIAN_FRONTEND=noninteractive "${cmd[@]}" -qq >/dev/null
else
  echo "install-deps: missing packages; run as root:" >&2
  echo "  apt-get update && ${cmd[*]}" >&2
  exit 1
fi
