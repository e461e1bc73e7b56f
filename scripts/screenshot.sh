#!/usr/bin/env bash
# Prepares a regtest wallet with channels in different states (examples/demo_wallet.rs), opens
# the real app window on it on $DISPLAY, and saves screenshots of the channel list, the home
# screen, the network neighbourhood and counter mode, then prepares a second wallet whose Lab
# has a diamond of lab nodes and a breach (examples/demo_lab.rs running scripts/lab-demo.toml),
# and saves the Lab with its penalty claim: channels.png, home.png, network.png, counter.png,
# their dark twins (home-dark.png, channels-dark.png, counter-dark.png), home-zh-CN.png,
# home-hidpi.png (at twice the scale) and lab.png in the folder $1. Each time it waits until the screen has its
# data and the frame is stable, then asks the app to quit (SIGTERM stops the node cleanly).
# Needs the regtest tools and an unlocked keyring (scripts/test.sh provides both).
# SHANDIAN_BIN names the app binary to run (CI: the one the Debian package installed).
set -euo pipefail
out="${1:-target/screenshots}"
mkdir -p "$out"
data="$(mktemp -d)"
cargo build --quiet --bin shandian --example demo_wallet --example demo_lab
target_dir="$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')"
app="${SHANDIAN_BIN:-$target_dir/debug/shandian}"
echo "screenshots of $app" >&2
# The demo drives two LDK nodes on a loaded machine; one failed attempt (a timed-out Electrum
# call inside ldk-node) gets one fresh retry, said aloud.
# Each attempt gets ten minutes.
if ! timeout 600 "$target_dir/debug/examples/demo_wallet" "$data/shandian"; then
  echo "demo wallet failed once; retrying in a fresh folder" >&2
  rm -rf "$data/shandian"
  timeout 600 "$target_dir/debug/examples/demo_wallet" "$data/shandian"
fi

pid=""
log=""
hidpi_xvfb=""
finish() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  if [ -n "$hidpi_xvfb" ]; then kill "$hidpi_xvfb" 2>/dev/null || true; fi
  rm -rf "$data"
}
trap finish EXIT
fail() { echo "$1; app log:" >&2; cat "$log" >&2; exit 1; }

# shot <file> <log pattern that says the screen has its data> [app options...]
shot() {
  local file="$1" ready="$2"
  shift 2
  log="$data/app-$(basename "$file" .png).log"
  RUST_LOG=info "$app" --data-dir "$data/shandian" "$@" >"$log" 2>&1 &
  pid=$!
  local deadline=$((SECONDS + 120))
  until grep -Eq "$ready" "$log"; do
    kill -0 "$pid" 2>/dev/null || fail "the app exited"
    [ $SECONDS -gt $deadline ] && fail "the screen did not get its data in time"
    sleep 0.2
  done
  # The title is "Shandian · regtest" (translated in other languages; the network stays).
  local wid
  wid="$(xwininfo -root -tree | awk '/ · regtest"/ {print $1; exit}')"
  [ -n "$wid" ] || fail "no Shandian window"
  # Wait until two pictures in a row are the same: the frame is drawn and stable.
  local prev="" cur
  while :; do
    import -window "$wid" "$file"
    cur="$(md5sum < "$file")"
    [ "$cur" = "$prev" ] && break
    prev="$cur"
    [ $SECONDS -gt $deadline ] && fail "the window never settled"
    sleep 0.5
  done
  echo "screenshot: $file"
  kill -TERM "$pid"
  # Stopping the node and the chain takes a few seconds; a hang must fail, not stall CI.
  local quit_deadline=$((SECONDS + 60))
  while kill -0 "$pid" 2>/dev/null; do
    [ $SECONDS -gt $quit_deadline ] && fail "the app did not quit within a minute of SIGTERM"
    sleep 0.2
  done
  wait "$pid" || fail "the app did not quit cleanly"
  grep -q "asked to quit" "$log" || fail "the app did not see the request to quit"
  pid=""
}

# The channel list once the peer is connected again (one channel active).
shot "$out/channels.png" 'channels: [0-9]+ \([1-9][0-9]* active\)' --show channels
shot "$out/home.png" "home screen ready"
# Our neighbourhood once the peer is connected; the merchant's keypad.
shot "$out/network.png" 'network view: .*\([1-9][0-9]* connected\)' --show network
shot "$out/counter.png" "home screen ready" --show counter

# The same wallet as a person who chose the dark theme, then Chinese, sees it (Settings writes
# these two keys; they sit at the top of settings.toml, before any table).
set_setting() {
  local file="$data/shandian/regtest/settings.toml" key="$1" value="$2"
  touch "$file"
  if grep -q "^$key = " "$file"; then
    sed -i "s/^$key = .*/$key = \"$value\"/" "$file"
  else
    { printf '%s = "%s"\n' "$key" "$value"; cat "$file"; } > "$file.new"
    mv "$file.new" "$file"
  fi
}
set_setting theme dark
shot "$out/home-dark.png" "home screen ready"
shot "$out/channels-dark.png" 'channels: [0-9]+ \([1-9][0-9]* active\)' --show channels
shot "$out/counter-dark.png" "home screen ready" --show counter
set_setting theme light
set_setting language zh-CN
shot "$out/home-zh-CN.png" "home screen ready"
set_setting language en

# Home on a HiDPI screen: twice the scale on a display big enough for the doubled window, to see
# that text and icons are drawn at the screen's resolution, not scaled up.
Xvfb :72 -screen 0 2400x1600x24 -nolisten tcp >/dev/null 2>&1 &
hidpi_xvfb=$!
# The display answers once it is up (it starts in the background).
xvfb_deadline=$((SECONDS + 30))
until xwininfo -root -display :72 >/dev/null 2>&1; do
  kill -0 "$hidpi_xvfb" 2>/dev/null || fail "the second virtual display did not start"
  [ $SECONDS -gt $xvfb_deadline ] && fail "the second virtual display did not answer"
  sleep 0.1
done
DISPLAY=:72 WINIT_X11_SCALE_FACTOR=2 shot "$out/home-hidpi.png" "home screen ready"
kill "$hidpi_xvfb"
hidpi_xvfb=""

# The Lab of a second wallet, built by a scenario: the diamond, and Alice's breach with the
# wallet's penalty on its way (once the four nodes are read).
mv "$data/shandian" "$data/shandian-channels"
timeout 600 "$target_dir/debug/examples/demo_lab" "$data/shandian" scripts/lab-demo.toml
shot "$out/lab.png" 'lab nodes: 4 \(4 online\)' --show lab
