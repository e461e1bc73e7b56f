#!/usr/bin/env bash
# Builds the Debian packages: `shandian` (the app, with cargo-deb, installed once under
# ~/.cache) and `shandian-lab` (the Lab's bitcoind, bitcoin-cli and electrs as
# scripts/regtest-tools.sh builds them, under /usr/lib/shandian/lab, with their licences).
# Prints the Lab's package's path, then the app's, on the last two lines.
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
app_deb="$(ls -t "$out"/shandian_*.deb | head -n 1)"

# The Lab's package.
tools_bin="$(scripts/regtest-tools.sh | tail -n 1)"
licences="$tools_bin/../licences"
version="$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"name":"shandian","version":"\([^"]*\)".*/\1/p')"
arch="$(dpkg --print-architecture)"
root="$out/shandian-lab"
rm -rf "$root"
mkdir -p "$root/DEBIAN" "$root/usr/lib/shandian/lab" "$root/usr/share/doc/shandian-lab"
install -m 0755 "$tools_bin/bitcoind" "$tools_bin/bitcoin-cli" "$tools_bin/electrs" \
  "$root/usr/lib/shandian/lab/"
{
  echo "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/"
  echo "Upstream-Name: shandian-lab"
  echo "Comment: bitcoind and bitcoin-cli are built from the Bitcoin Core source shipped in the"
  echo " libbitcoinkernel-sys crate; electrs from its crate. Both are MIT-licensed."
  echo
  echo "Files: usr/lib/shandian/lab/bitcoind usr/lib/shandian/lab/bitcoin-cli"
  echo "License: MIT"
  sed 's/^$/./; s/^/ /' "$licences/bitcoin-core"
  echo
  echo "Files: usr/lib/shandian/lab/electrs"
  echo "License: MIT"
  sed 's/^$/./; s/^/ /' "$licences/electrs"
} >"$root/usr/share/doc/shandian-lab/copyright"
# The libraries the tools link (libevent, RocksDB, …), as dpkg-shlibdeps finds them.
shlibs="$(mktemp -d)"
mkdir -p "$shlibs/debian"
printf 'Source: shandian-lab\n\nPackage: shandian-lab\nArchitecture: any\n' >"$shlibs/debian/control"
depends="$(cd "$shlibs" && dpkg-shlibdeps -O \
  -e"$root/usr/lib/shandian/lab/bitcoind" -e"$root/usr/lib/shandian/lab/bitcoin-cli" \
  -e"$root/usr/lib/shandian/lab/electrs" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')"
rm -rf "$shlibs"
cat >"$root/DEBIAN/control" <<CONTROL
Package: shandian-lab
Version: $version
Architecture: $arch
Maintainer: The Shandian developers
Section: utils
Priority: optional
Depends: $depends
Description: Shandian's Lab: a local regtest chain for testers
 bitcoind, bitcoin-cli and electrs, which Shandian starts as a private test chain on this
 computer (the Lab: lab nodes to open channels with, breaches, HTLC timeouts, scenarios).
 Installed under /usr/lib/shandian/lab, where Shandian looks for them.
CONTROL
lab_deb="$out/shandian-lab_${version}_${arch}.deb"
dpkg-deb --root-owner-group --build "$root" "$lab_deb" >&2
rm -rf "$root"
echo "$lab_deb"
echo "$app_deb"
