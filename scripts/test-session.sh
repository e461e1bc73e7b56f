#!/usr/bin/env bash
# Runs inside `dbus-run-session` (see scripts/test.sh).
set -euo pipefail

# A real Secret Service: GNOME Keyring, unlocked with a throwaway password, in a throwaway home
# so no real keyring is touched.
TEST_HOME="$(mktemp -d)"
export XDG_DATA_HOME="$TEST_HOME/data" XDG_RUNTIME_DIR="$TEST_HOME/run"
mkdir -p "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
eval "$(printf 'shandian-test' | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL
eval "$(gnome-keyring-daemon --start --components=secrets)"

# A virtual display for the window smoke test.
Xvfb :71 -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
XVFB_PID=$!
export DISPLAY=:71
cleanup() { kill "$XVFB_PID" 2>/dev/null || true; rm -rf "$TEST_HOME"; }
trap cleanup EXIT

echo "== style"
cargo fmt --check
if grep -rnE '^\s*use\s+iced|iced::' src/core; then
  echo "src/core must not import iced" >&2
  exit 1
fi
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
# eat CI's time: the whole test run gets 25 minutes.
timeout --signal=KILL 1500 cargo test --all-targets "$@"

echo "== window smoke test"
scripts/screenshot.sh "${SHANDIAN_SCREENSHOTS:-target/screenshots}"
