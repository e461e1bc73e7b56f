#!/usr/bin/env bash
# Builds the Debian package of Shandian with cargo-deb (installed once under ~/.cache) and
# prints its path on the last line.
#   scripts/package-deb.sh            release build (what a person installs)
#   scripts/package-deb.sh --dev      the dev build the tests ran (CI packages it to check the
#                                     package installs and starts, without a second full build)
set -euo pipefail
cd "$(dirname "$0")/.."
profile=release
[ "${1:-}" = "--dev" ] && profile=dev
tools="$HOME/.cache/shandian/cargo-deb"
if ! [ -x "$tools/bin/cargo-deb" ]; then
  echo "[package-deb] installing cargo-deb into $tools (once)" >&2
  cargo install --quiet cargo-deb --version 3.8.0 --locked --root "$tools" >&2
fi
cargo build --quiet --profile "$profile" --bin shandian >&2
target_dir="$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')"
out="$target_dir/debian"
mkdir -p "$out"
args=(--no-build --profile "$profile" --output "$out/")
# A dev build keeps its line tables; stripping it gains nothing for a check.
[ "$profile" = dev ] && args+=(--no-strip)
"$tools/bin/cargo-deb" "${args[@]}" >&2
ls -t "$out"/shandian_*.deb | head -n 1
