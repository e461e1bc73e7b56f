#!/usr/bin/env bash
# The test command: installs what is missing, builds the regtest tools once, then runs every
# check and test inside a private D-Bus session with a real, unlocked GNOME Keyring and a
# virtual X display. Extra arguments go to `cargo test`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
SHANDIAN_TOOLS_DIR="$(scripts/regtest-tools.sh | tail -n 1)"
export SHANDIAN_TOOLS_DIR
SHANDIAN_VSS_SERVER="$(scripts/vss-server.sh | tail -n 1)"
export SHANDIAN_VSS_SERVER
SHANDIAN_OLD_PEER="$(scripts/old-peer.sh | tail -n 1)"
export SHANDIAN_OLD_PEER
exec dbus-run-session -- scripts/in-session.sh scripts/test-session.sh "$@"
