#!/usr/bin/env bash
# Runs a command with a real OS keychain on a headless machine: a private D-Bus session
# (dbus-run-session) with gnome-keyring's Secret Service on it and its "login" collection,
# the default one, unlocked. The tests of the chart's keychain path run in it:
#
#   scripts/keyring-session.sh env STRIDE_TEST_KEYRING=1 cargo test -p stride-chart --test chart keychain
#
# The keyring lives in a temporary directory that is removed afterwards, and the session
# bus is private, so the user's own keyring is never read or touched. The command also gets
#   STRIDE_KEYRING_CONTROL   the daemon's control directory (to unlock "login" again)
#   STRIDE_KEYRING_PASSWORD  the password of that throwaway "login" collection
# Needs the Debian packages dbus-daemon, dbus-bin and gnome-keyring (scripts/setup.sh).
set -euo pipefail

if [ $# -eq 0 ]; then
  echo "usage: $0 COMMAND [ARG...]" >&2
  exit 2
fi
for tool in dbus-run-session dbus-send gnome-keyring-daemon; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "$tool is missing: install the Debian packages dbus-daemon, dbus-bin and gnome-keyring (scripts/setup.sh does)" >&2
    exit 1
  fi
done

# Outside the private session: make its directory and bus configuration, then run this
# script again inside it. The bus is the standard session bus without its service
# directories, so nothing is started on demand: a locked keyring cannot start a password
# window (gcr-prompter) that waits for someone to answer; it fails at once, on any machine.
if [ -z "${STRIDE_KEYRING_DIR:-}" ]; then
  dir=$(mktemp -d "${TMPDIR:-/tmp}/stride-keyring.XXXXXX")
  trap 'rm -rf "$dir"' EXIT
  cat >"$dir/bus.conf" <<'CONF'
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <keep_umask/>
  <listen>unix:tmpdir=/tmp</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
CONF
  status=0
  dbus-run-session --config-file="$dir/bus.conf" -- env STRIDE_KEYRING_DIR="$dir" "$0" "$@" || status=$?
  exit "$status"
fi

# Inside: the daemon reads the password on stdin, creates the "login" collection with it
# (its data directory is empty), unlocks it and takes org.freedesktop.secrets. What it logs
# goes to a file, shown when something fails (a locked keyring makes it warn).
unset DISPLAY WAYLAND_DISPLAY
dir=$STRIDE_KEYRING_DIR
mkdir -m 700 "$dir/data" "$dir/run"
password="stride-test-keyring-$$"
printf '%s' "$password" |
  XDG_DATA_HOME="$dir/data" XDG_RUNTIME_DIR="$dir/run" \
    gnome-keyring-daemon --foreground --unlock --components=secrets >"$dir/daemon.log" 2>&1 &
daemon=$!
stop() {
  kill "$daemon" 2>/dev/null || true
  wait "$daemon" 2>/dev/null || true
}
trap stop EXIT
daemon_log() {
  if [ -s "$dir/daemon.log" ]; then
    sed 's/^/gnome-keyring-daemon: /' "$dir/daemon.log" >&2
  fi
}
fail() {
  echo "$*" >&2
  daemon_log
  exit 1
}

bus() { dbus-send --session --print-reply=literal "$@" 2>/dev/null; }
login_unlocked() {
  bus --dest=org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus.NameHasOwner \
    string:org.freedesktop.secrets | grep -q true &&
    bus --dest=org.freedesktop.secrets /org/freedesktop/secrets/collection/login \
      org.freedesktop.DBus.Properties.Get string:org.freedesktop.Secret.Collection string:Locked |
    grep -q false
}
for _ in $(seq 100); do
  login_unlocked && break
  kill -0 "$daemon" 2>/dev/null || fail "gnome-keyring-daemon exited before it was ready"
  sleep 0.1
done
login_unlocked || fail "gnome-keyring-daemon did not offer an unlocked \"login\" collection within 10 s"

export STRIDE_KEYRING_CONTROL="$dir/run/keyring" STRIDE_KEYRING_PASSWORD="$password"
status=0
"$@" || status=$?
if [ "$status" -ne 0 ]; then
  daemon_log
fi
exit "$status"
