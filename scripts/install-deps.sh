#!/usr/bin/env bash
# Installs the Debian packages Shandian's build, regtest tools, tests and screenshots need.
# Does nothing for packages already there; needs root (or sudo) only when something is missing.
set -euo pipefail

PACKAGES=(
  # building bitcoind and electrs
  cmake g++ pkg-config libboost-dev libevent-dev clang libclang-dev librocksdb-dev
  # the app: Secret Service over D-Bus, X11/Wayland window, fonts with Chinese glyphs
  dbus dbus-x11 gnome-keyring libxkbcommon-x11-0 libxcursor1 libxrandr2 libxi6 libx11-xcb1
  libwayland-client0 fonts-wqy-microhei
  # tests: virtual display, screenshots, packaging checks
  xvfb x11-utils imagemagick desktop-file-utils appstream libglib2.0-bin
  # the hung backup medium drill: a real FUSE folder (bindfs) that is then stopped
  bindfs
  # the VSS backup drills: the VSS server's database
  postgresql
  # the Debian package: its library dependencies (dpkg-shlibdeps)
  dpkg-dev
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null; then
  echo "Please install: ${missing[*]}" >&2
  exit 1
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "[install-deps] installing: ${missing[*]}" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >&2
