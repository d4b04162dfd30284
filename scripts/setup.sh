#!/usr/bin/env bash
# Idempotent setup: make sure the Debian packages eic builds against are installed.
# As root it installs what is missing with apt-get; otherwise it prints the exact line and stops.
set -euo pipefail
PKGS="build-essential cmake pkg-config libsqlite3-dev libjansson-dev libcsv-dev libcairo2-dev \
libxlsxwriter-dev libcmocka-dev coinor-libcbc-dev coinor-libclp-dev libopenblas-dev liblapacke-dev \
libsuitesparse-dev fonts-dejavu-core sqlite3 time clang-format valgrind python3 jq"
missing=""
for p in $PKGS; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done
if [ -z "$missing" ]; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
  echo "setup: installing missing Debian packages:$missing" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends $missing >/dev/null
else
  echo "setup: missing Debian packages:$missing" >&2
  echo "setup: run as root:  apt-get install -y$missing" >&2
  exit 1
fi
