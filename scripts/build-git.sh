#!/usr/bin/env bash
# Builds a git >= 2.45 (reftable support) from Debian trixie's source package into a cache prefix, once.
# Used by `npm run test:reftable` when no such git is on PATH or in $GUARDLOOP_TEST_GIT. Idempotent: a prefix
# that already holds a git >= 2.45 is reused. Needs root for apt (CI and the dev machines run as root).
# Usage: scripts/build-git.sh [prefix]   (default: ~/.cache/guardloop-git)
set -euo pipefail

prefix="${1:-${GUARDLOOP_GIT_PREFIX:-$HOME/.cache/guardloop-git}}"
min_major=2
min_minor=45

git_ok() {
  local v
  v="$("$1" --version 2>/dev/null | sed -n 's/^git version \([0-9]*\)\.\([0-9]*\).*/\1 \2/p')" || return 1
  [ -n "$v" ] || return 1
  set -- $v
  [ "$1" -gt "$min_major" ] || { [ "$1" -eq "$min_major" ] && [ "$2" -ge "$min_minor" ]; }
}

if [ -x "$prefix/bin/git" ] && git_ok "$prefix/bin/git"; then
  echo "build-git: reusing $("$prefix/bin/git" --version) in $prefix"
  exit 0
fi

start=$(date +%s)
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# A deb-src entry for trixie, in the deb822 format the machine's own sources use.
src_list=/etc/apt/sources.list.d/trixie-src.sources
if [ ! -f "$src_list" ]; then
  as_root tee "$src_list" >/dev/null <<'EOF'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
fi
as_root apt-get update -qq
# Build tools and the libraries git links against (curl, expat, gettext, tcl, perl, python are built out).
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
  dpkg-dev make gcc libc6-dev zlib1g-dev libssl-dev >/dev/null

work="$(mktemp -d "${TMPDIR:-/tmp}/guardloop-git-build.XXXXXX")"
trap 'rm -rf "$work"' EXIT
# Writable by apt's sandbox user, so the download needs no unsandboxed fallback.
if [ "$(id -u)" -eq 0 ] && id _apt >/dev/null 2>&1; then chown _apt "$work"; fi
cd "$work"
apt-get source --download-only git/trixie >/dev/null
dpkg-source --no-check -x ./git_*.dsc src >/dev/null
cd src

make_flags=(NO_CURL=1 NO_EXPAT=1 NO_GETTEXT=1 NO_TCLTK=1 NO_PERL=1 NO_PYTHON=1 NO_INSTALL_HARDLINKS=1 "prefix=$prefix")
jobs="$(nproc 2>/dev/null || echo 2)"
make "${make_flags[@]}" -j"$jobs" all >build.log 2>&1 || { tail -50 build.log; exit 1; }
make "${make_flags[@]}" install >>build.log 2>&1 || { tail -50 build.log; exit 1; }

git_ok "$prefix/bin/git" || { echo "build-git: built git is not >= $min_major.$min_minor" >&2; exit 1; }
echo "build-git: built $("$prefix/bin/git" --version) into $prefix in $(( $(date +%s) - start ))s"
