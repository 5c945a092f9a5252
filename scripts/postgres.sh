#!/usr/bin/env bash
# Makes sure PostgreSQL answers on 127.0.0.1:5432 with trust authentication for the
# `postgres` user, which the clinic server's tests use. Starts the machine's cluster if it
# is down; installs PostgreSQL from Debian when it is missing. Sourced by tests/run.

pg_up() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }

if ! pg_up; then
  if ! command -v pg_ctlcluster >/dev/null 2>&1; then
    echo "installing PostgreSQL"
    sudo_cmd=""
    [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq postgresql
    # A fresh cluster asks for passwords over TCP; the tests connect as postgres on
    # loopback without one, as on the CI machines.
    hba=$(ls /etc/postgresql/*/main/pg_hba.conf | sort -V | tail -n 1)
    $sudo_cmd sed -i '1i host all postgres 127.0.0.1/32 trust' "$hba"
  fi
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  echo "starting PostgreSQL $version"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 30); do pg_up && break; sleep 1; done
fi
if ! psql -h 127.0.0.1 -U postgres -d postgres -tAc "SELECT 1" >/dev/null 2>&1; then
  echo "PostgreSQL runs but does not let the postgres user in over 127.0.0.1 without a password." >&2
  echo "Allow it for tests (pg_hba.conf: host all postgres 127.0.0.1/32 trust), or set STRIDE_TEST_POSTGRES." >&2
  exit 1
fi
echo "PostgreSQL answers on 127.0.0.1:5432"
