#!/usr/bin/env bash
# Quick start: installs what is missing, builds the regtest tools once (about 7 minutes the
# first time), and opens Shandian on its embedded default, a local regtest chain.
# Extra arguments go to shandian (see `--help`).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
SHANDIAN_TOOLS_DIR="$(scripts/regtest-tools.sh | tail -n 1)"
export SHANDIAN_TOOLS_DIR
exec cargo run --release -- "$@"
