#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to a built catalog: installs the
# Debian packages that are missing, configures and builds with CMake, then runs
# the main job (validating data/ and rendering the site into site/).
# Run it as root, or as a user who can sudo.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(build-essential cmake pkg-config git
          libcmark-dev libjansson-dev libsqlite3-dev libcurl4-openssl-dev
          libctemplate-dev libyaml-dev libmicrohttpd-dev
          sqlite3 tidy chromium)
# Node.js and npm run the browser tests. A machine may already carry them from
# outside Debian (NodeSource's nodejs bundles npm and conflicts with Debian's
# npm package), so ask for the commands, not for the packages.
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm  >/dev/null 2>&1 || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  as_root=()
  [ "$(id -u)" -eq 0 ] || as_root=(sudo)
  "${as_root[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Node packages for the browser tests (playwright-core drives Debian's chromium;
# it downloads no browser of its own).
if [ -f tests/e2e/package.json ]; then
  (cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)
fi

cmake --preset default
cmake --build --preset default -j "$(nproc)"

# The main job: check the data, rebuild the results database from data/runs/
# and render the site from both.
./build/gen/gen check --data data
./build/gen/gen results --data data --db build/results.db
./build/gen/gen build --data data --db build/results.db --out site
