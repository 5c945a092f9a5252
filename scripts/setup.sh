#!/usr/bin/env bash
# Prepares a machine to build Stride: the Rust toolchain check, Debian packages (installed
# when missing), and the front end (npm packages, then the build into ui/dist).
# Sourced by tests/run and scripts/app; run from the checkout's root.

step() { printf '\n==> %s\n' "$*"; }

step "Toolchain"
if ! command -v cargo >/dev/null 2>&1; then
  echo "cargo is not installed. Install Rust 1.88 or newer with rustup, then try again." >&2
  exit 1
fi
rustup component add rustfmt clippy >/dev/null 2>&1 || true
cargo --version

step "System packages (C toolchain for SQLCipher; WebKitGTK and friends for the desktop app; poppler, xwd and netpbm for the tests; D-Bus and gnome-keyring for the keychain test)"
packages=(build-essential perl pkg-config poppler-utils x11-apps netpbm libwebkit2gtk-4.1-dev libegl-dev libxdo-dev libayatana-appindicator3-dev librsvg2-dev webkit2gtk-driver xvfb dbus-daemon dbus-bin gnome-keyring)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}"
fi
echo "ok"

step "Front end: install and build (ui/)"
if ! command -v node >/dev/null 2>&1 || [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
  echo "Node.js 20 or newer is needed for the front end (node --version: $(node --version 2>/dev/null || echo none))." >&2
  exit 1
fi
(cd ui && npm ci --no-audit --no-fund --loglevel=error && npm run build)

