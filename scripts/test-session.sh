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
# Each regtest test runs its own bitcoind, electrs and two or three LDK nodes; one at a time
# keeps a 2-core machine from starving electrs (ldk-node's Electrum calls time out then).
export RUST_TEST_THREADS="${RUST_TEST_THREADS:-1}"
# A hung test (for example a node left running by a failed assertion) must fail the run, not
# eat CI's time: the whole test run gets 35 minutes.
timeout --signal=KILL 2100 cargo test --all-targets "$@"

echo "== Debian package"
deb="$(scripts/package-deb.sh --dev | tail -n 1)"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO dpkg -i "$deb"
dpkg -L shandian | grep -E 'bin/shandian$|applications/|metainfo/|hicolor/(16x16|512x512|scalable)/'

echo "== window smoke test (the installed binary)"
SHANDIAN_BIN=/usr/bin/shandian scripts/screenshot.sh "${SHANDIAN_SCREENSHOTS:-target/screenshots}"
