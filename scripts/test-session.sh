#!/usr/bin/env bash
# Every check and test, inside the keyring and display of scripts/in-session.sh (see
# scripts/test.sh). Extra arguments go to `cargo test`.
set -euo pipefail

echo "== style"
cargo fmt --check
# No import cycle between modules; core imports neither iced (nor any iced_* crate) nor the lab.
python3 scripts/check-modules.py
cargo clippy --all-targets --quiet -- -D warnings

echo "== packaging"
desktop-file-validate packaging/linux/org.shandian.Shandian.desktop
appstreamcli validate --no-net --pedantic packaging/linux/org.shandian.Shandian.metainfo.xml || \
  appstreamcli validate --no-net packaging/linux/org.shandian.Shandian.metainfo.xml

echo "== tests"
# cargo builds every test target first, outside any time limit; then each unit-test binary and
# each test of tests/*.rs runs as its own process under its own limit, a few side by side, and
# the run ends with a table of times, slowest first (see scripts/run-tests.py).
python3 scripts/run-tests.py -- "$@"

echo "== Debian packages"
mapfile -t debs < <(scripts/package-deb.sh --dev | tail -n 2)
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO dpkg -i "${debs[@]}"
dpkg -L shandian | grep -E 'bin/shandian$|applications/|metainfo/|hicolor/(16x16|512x512|scalable)/'
dpkg -L shandian-lab | grep -E 'lab/(bitcoind|bitcoin-cli|electrs)$|copyright$'

echo "== window smoke test (the installed binary, the Lab from the installed shandian-lab)"
# Nothing points at the tools the tests used: no SHANDIAN_TOOLS_DIR, an empty cache folder.
env -u SHANDIAN_TOOLS_DIR XDG_CACHE_HOME="$(mktemp -d)" SHANDIAN_BIN=/usr/bin/shandian \
  scripts/screenshot.sh "${SHANDIAN_SCREENSHOTS:-target/screenshots}"
