#!/usr/bin/env bash
# Builds (once per machine) LDK's VSS server (the `vss-server` crate, with its own lock file) for
# the backup drills and the payments benchmark's `--backup vss`: it lands in
# ~/.cache/shandian/vss-server-<version>/bin. It runs on Debian's PostgreSQL (scripts/install-deps.sh).
# Prints the binary's path as its last line. Progress goes to stderr.
set -euo pipefail

VSS_SERVER_VERSION=0.1.0-alpha.0   # the same as lab::vss::VSS_SERVER_VERSION
PREFIX="${XDG_CACHE_HOME:-$HOME/.cache}/shandian/vss-server-$VSS_SERVER_VERSION"
EXE="$PREFIX/bin/vss-server"

if [ ! -x "$EXE" ]; then
  printf '[vss-server] building vss-server %s; about a minute once\n' "$VSS_SERVER_VERSION" >&2
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  cargo install --quiet --locked vss-server --version "$VSS_SERVER_VERSION" \
    --root "$PREFIX" --target-dir "$work" >&2
fi
echo "$EXE"
