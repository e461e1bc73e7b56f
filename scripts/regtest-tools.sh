#!/usr/bin/env bash
# Builds (once per machine) the regtest backend Shandian's Lab and tests run on:
# bitcoind + bitcoin-cli from the Bitcoin Core source shipped in the `libbitcoinkernel-sys` crate,
# and electrs from its crate. Both land in ~/.cache/shandian/regtest-tools/<version>/bin.
#
# electrs is 0.10.10, linked to the system's RocksDB (Debian 12's librocksdb-dev 7.8.3, the
# version electrs 0.10 asks for): building electrs's bundled RocksDB from C++ took about 10 of
# the 15 minutes electrs 0.12 needed on two cores, and electrs 0.11+ wants RocksDB 9.10, which
# Debian 12 does not have. electrs 0.10 reads blocks over bitcoind's P2P port (the Lab's chain
# opens it on loopback). bitcoind is built at -O1: a regtest chain needs no more speed, and the
# compiler takes less time.
# Prints that bin folder as its last line. Progress goes to stderr.
set -euo pipefail

KERNEL_CRATE_VERSION=0.4.1   # ships Bitcoin Core 31.99
ELECTRS_VERSION=0.10.10
TOOLS_VERSION="core-kernel-${KERNEL_CRATE_VERSION}_electrs-${ELECTRS_VERSION}"
CACHE_ROOT="${SHANDIAN_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/shandian/regtest-tools}"
PREFIX="$CACHE_ROOT/$TOOLS_VERSION"
BIN="$PREFIX/bin"
JOBS="${JOBS:-$(nproc)}"

say() { printf '[regtest-tools] %s\n' "$*" >&2; }

mkdir -p "$BIN"

build_bitcoind() {
  if [ -x "$BIN/bitcoind" ] && [ -x "$BIN/bitcoin-cli" ]; then
    return
  fi
  say "building bitcoind and bitcoin-cli (Bitcoin Core from libbitcoinkernel-sys $KERNEL_CRATE_VERSION); this takes about 5 minutes once"
  local work="$PREFIX/build-core"
  mkdir -p "$work"
  # Fetch the crate with cargo (the registry is the only source reachable), then unpack it.
  local fetch="$work/fetch"
  mkdir -p "$fetch/src"
  cat >"$fetch/Cargo.toml" <<TOML
[package]
name = "fetch-core-source"
version = "0.0.0"
edition = "2021"
[dependencies]
libbitcoinkernel-sys = "=$KERNEL_CRATE_VERSION"
TOML
  : >"$fetch/src/lib.rs"
  (cd "$fetch" && cargo fetch --quiet >&2)
  local crate_file
  crate_file=$(ls "${CARGO_HOME:-$HOME/.cargo}"/registry/cache/*/libbitcoinkernel-sys-"$KERNEL_CRATE_VERSION".crate | head -n1)
  rm -rf "$work/src"
  mkdir -p "$work/src"
  tar -xzf "$crate_file" -C "$work/src"
  local core_src="$work/src/libbitcoinkernel-sys-$KERNEL_CRATE_VERSION/bitcoin"
  cmake -S "$core_src" -B "$work/cmake" \
    -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE=-O1 -DCMAKE_C_FLAGS_RELEASE=-O1 \
    -DWITH_EMBEDDED_ASMAP=OFF -DENABLE_WALLET=OFF -DBUILD_TESTS=OFF -DENABLE_IPC=OFF \
    -DBUILD_BITCOIN_BIN=OFF -DBUILD_GUI=OFF -DBUILD_TX=OFF -DBUILD_UTIL=OFF \
    -DBUILD_DAEMON=ON -DBUILD_CLI=ON -DWITH_ZMQ=OFF -DENABLE_EXTERNAL_SIGNER=OFF \
    -DWITH_CCACHE=OFF -DINSTALL_MAN=OFF >&2
  cmake --build "$work/cmake" --target bitcoind bitcoin-cli -j "$JOBS" >&2
  install -m 0755 "$work/cmake/bin/bitcoind" "$work/cmake/bin/bitcoin-cli" "$BIN/"
  rm -rf "$work"
  say "bitcoind ready: $BIN/bitcoind"
}

build_electrs() {
  if [ -x "$BIN/electrs" ]; then
    return
  fi
  say "building electrs $ELECTRS_VERSION (on the system's RocksDB); this takes about 2 minutes once"
  ROCKSDB_INCLUDE_DIR=/usr/include ROCKSDB_LIB_DIR=/usr/lib \
  cargo install electrs --version "=$ELECTRS_VERSION" --locked --root "$PREFIX/electrs-root" \
    --target-dir "$PREFIX/electrs-target" -j "$JOBS" >&2
  install -m 0755 "$PREFIX/electrs-root/bin/electrs" "$BIN/"
  rm -rf "$PREFIX/electrs-target" "$PREFIX/electrs-root"
  say "electrs ready: $BIN/electrs"
}

# Their licences (both MIT), kept beside them for the Lab's Debian package: read from the crates
# cargo fetched them in (Bitcoin Core's COPYING ships in libbitcoinkernel-sys).
keep_licences() {
  local dir="$PREFIX/licences" registry="${CARGO_HOME:-$HOME/.cargo}/registry/src"
  if [ -f "$dir/bitcoin-core" ] && [ -f "$dir/electrs" ]; then
    return
  fi
  find_licences() {
    # The registry may not exist yet on a machine whose tools came from a cache.
    core="$(find "$registry" -path "*/libbitcoinkernel-sys-$KERNEL_CRATE_VERSION/bitcoin/COPYING" 2>/dev/null | head -n 1 || true)"
    electrs="$(find "$registry" -path "*/electrs-$ELECTRS_VERSION/LICENSE" 2>/dev/null | head -n 1 || true)"
  }
  local core electrs
  find_licences
  if [ -z "$core" ] || [ -z "$electrs" ]; then
    # Tools restored from a cache on a machine that never fetched their crates: fetch them.
    say "fetching the tools' crates for their licences"
    local fetch="$PREFIX/licence-fetch"
    mkdir -p "$fetch/src"
    cat >"$fetch/Cargo.toml" <<TOML
[package]
name = "fetch-tool-licences"
version = "0.0.0"
edition = "2021"
[dependencies]
libbitcoinkernel-sys = "=$KERNEL_CRATE_VERSION"
electrs = "=$ELECTRS_VERSION"
TOML
    touch "$fetch/src/lib.rs"
    (cd "$fetch" && cargo fetch -q >&2)
    rm -rf "$fetch"
    find_licences
  fi
  [ -n "$core" ] && [ -n "$electrs" ] || { say "cannot find the tools' licences"; exit 1; }
  mkdir -p "$dir"
  install -m 0644 "$core" "$dir/bitcoin-core"
  install -m 0644 "$electrs" "$dir/electrs"
}

build_bitcoind
build_electrs
keep_licences
echo "$BIN"
