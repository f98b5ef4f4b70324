#!/usr/bin/env bash
# Installs Debian's chromium for `npm run test:browser` (the report opened in a real headless browser,
# driven by playwright-core through its executablePath: playwright's own browser downloads are never
# used). Idempotent: a chromium that runs is reused. Needs root (or sudo) and apt-get; otherwise it says
# why and exits 1, and the suite is skipped with that reason.
# Usage: scripts/install-chromium.sh   (prints the chromium binary's path on its last line)
set -euo pipefail

for c in "${GUARDLOOP_CHROMIUM:-}" /usr/bin/chromium /usr/bin/chromium-browser; do
  if [ -n "$c" ] && [ -x "$c" ] && "$c" --version >/dev/null 2>&1; then
    echo "install-chromium: reusing $("$c" --version 2>/dev/null | head -1) ($c)"
    echo "$c"
    exit 0
  fi
done

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-chromium: no chromium and no apt-get on this machine: install Chromium and set GUARDLOOP_CHROMIUM=/path/to/chromium" >&2
  exit 1
fi
if [ "$(id -u)" -eq 0 ]; then
  as_root() { "$@"; }
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root() { sudo -n "$@"; }
else
  echo "install-chromium: no chromium, and apt-get needs root (not root, no passwordless sudo): run 'sudo apt-get install chromium' or set GUARDLOOP_CHROMIUM" >&2
  exit 1
fi

start=$(date +%s)
export DEBIAN_FRONTEND=noninteractive
as_root apt-get update -qq
as_root apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
if ! /usr/bin/chromium --version >/dev/null 2>&1; then
  echo "install-chromium: apt-get installed chromium, but /usr/bin/chromium --version fails" >&2
  exit 1
fi
echo "install-chromium: installed $(/usr/bin/chromium --version 2>/dev/null | head -1) in $(( $(date +%s) - start ))s"
echo /usr/bin/chromium
