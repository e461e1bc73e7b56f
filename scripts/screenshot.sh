#!/usr/bin/env bash
# Opens the real app window on $DISPLAY with a fresh data folder, waits for it to draw, and saves
# a screenshot to $1. Exits non-zero if no window appears.
set -euo pipefail
out="${1:-target/screenshots/shandian.png}"
mkdir -p "$(dirname "$out")"
data="$(mktemp -d)"
cargo build --quiet --bin shandian
target_dir="$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')"
"$target_dir/debug/shandian" --data-dir "$data" --network signet >"$data/app.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -rf "$data"' EXIT

# Wait (up to 60 s) for the window, then until it shows more than one colour.
deadline=$((SECONDS + 60))
until xwininfo -root -tree 2>/dev/null | grep -q 'Shandian'; do
  if ! kill -0 $pid 2>/dev/null || [ $SECONDS -gt $deadline ]; then
    echo "no Shandian window appeared; app log:" >&2
    cat "$data/app.log" >&2
    exit 1
  fi
  sleep 0.2
done
until import -window root "$out" 2>/dev/null && \
      [ "$(convert "$out" -format '%k' info:)" -gt 8 ]; do
  [ $SECONDS -gt $deadline ] && { echo "the window stayed blank" >&2; exit 1; }
  sleep 0.2
done
echo "screenshot: $out"
