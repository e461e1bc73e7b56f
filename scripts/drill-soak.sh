#!/usr/bin/env bash
# A longer crash soak than CI's, outside CI: runs the kill -9 payment drill ROUNDS times (20 kill
# points each, 3 of them at random moments; default 10 rounds = 200 kill points), each on a fresh
# regtest chain, inside the same private D-Bus session and unlocked GNOME Keyring as the tests.
# Stops at the first failure and says which round; prints each round's summary line.
#   scripts/drill-soak.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-10}"
scripts/install-deps.sh
SHANDIAN_TOOLS_DIR="$(scripts/regtest-tools.sh | tail -n 1)"
export SHANDIAN_TOOLS_DIR
cargo build --quiet --tests
for round in $(seq 1 "$rounds"); do
  echo "== soak round $round of $rounds"
  log="$(mktemp)"
  if ! dbus-run-session -- scripts/in-session.sh cargo test --quiet --test drill_kill9 \
      drill_kill9_payments -- --nocapture >"$log" 2>&1; then
    cat "$log" >&2
    echo "soak round $round failed" >&2
    exit 1
  fi
  grep "kill points survived" "$log"
  rm -f "$log"
done
echo "soak: $rounds rounds, $((rounds * 20)) kill points"
