#!/usr/bin/env bash
# Builds (once per machine, again when its sources change) the old peer for
# `regtest_splice_refused_by_peer`: a Lightning node on LDK Node 0.6 (LDK 0.1, which does not
# offer splicing), in tools/old-peer with its own lock file. It lands in
# ~/.cache/shandian/old-peer-<hash of its sources>/bin. Prints the binary's path as its last line.
# Progress goes to stderr.
set -euo pipefail
cd "$(dirname "$0")/.."

SRC=tools/old-peer
HASH="$(cat "$SRC/Cargo.toml" "$SRC/Cargo.lock" "$SRC/src/main.rs" | sha256sum | cut -c1-12)"
PREFIX="${XDG_CACHE_HOME:-$HOME/.cache}/shandian/old-peer-$HASH"
EXE="$PREFIX/bin/shandian-old-peer"

if [ ! -x "$EXE" ]; then
  printf '[old-peer] building the old peer (LDK Node 0.6); a few minutes once\n' >&2
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  cargo install --quiet --locked --path "$SRC" --root "$PREFIX" --target-dir "$work" >&2
fi
echo "$EXE"
