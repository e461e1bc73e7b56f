#!/usr/bin/env bash
# Prepares a funded regtest wallet (examples/demo_wallet.rs), opens the real app window on it on
# $DISPLAY, waits until the home screen is drawn, and saves a screenshot of the window to $1.
# Needs the regtest tools and an unlocked keyring (scripts/test.sh provides both).
set -euo pipefail
out="${1:-target/screenshots/home.png}"
mkdir -p "$(dirname "$out")"
data="$(mktemp -d)"
log="$data/app.log"
cargo build --quiet --bin shandian --example demo_wallet
target_dir="$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')"
"$target_dir/debug/examples/demo_wallet" "$data/shandian"

RUST_LOG=info "$target_dir/debug/shandian" --data-dir "$data/shandian" >"$log" 2>&1 &
pid=$!
finish() {
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -rf "$data"
}
trap finish EXIT

fail() { echo "$1; app log:" >&2; cat "$log" >&2; exit 1; }
deadline=$((SECONDS + 120))
# The app logs this once the home screen has its first balances.
until grep -q "home screen ready" "$log"; do
  kill -0 "$pid" 2>/dev/null || fail "the app exited"
  [ $SECONDS -gt $deadline ] && fail "the home screen did not appear in time"
  sleep 0.2
done
# The title is "Shandian · regtest" (translated in other languages; the network stays).
wid="$(xwininfo -root -tree | awk '/ · regtest"/ {print $1; exit}')"
[ -n "$wid" ] || fail "no Shandian window"
# Wait until two pictures in a row are the same: the frame is drawn and stable.
prev=""
while :; do
  import -window "$wid" "$out"
  cur="$(md5sum < "$out")"
  [ "$cur" = "$prev" ] && break
  prev="$cur"
  [ $SECONDS -gt $deadline ] && fail "the window never settled"
  sleep 0.5
done
echo "screenshot: $out"
