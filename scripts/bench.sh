#!/usr/bin/env bash
# Runs the five benchmarks one after another and prints their figures (about 15 minutes on a
# 2-core machine). The regtest tools must be built (scripts/regtest-tools.sh). bench_startup
# needs a Secret Service and a display: it runs inside dbus-run-session and in-session.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --features testing --bins --examples
for bench in bench_route bench_screens bench_chain_events bench_payments; do
    echo "== $bench"
    "target/release/examples/$bench"
done
echo "== bench_startup"
dbus-run-session -- scripts/in-session.sh target/release/examples/bench_startup
