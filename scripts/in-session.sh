#!/usr/bin/env bash
# Runs a command inside `dbus-run-session` with a real Secret Service — GNOME Keyring, unlocked
# with a throwaway password, in a throwaway home so no real keyring is touched — and a virtual
# X display:  dbus-run-session -- scripts/in-session.sh COMMAND [ARGS...]
set -euo pipefail

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

"$@"
