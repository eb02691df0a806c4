#!/usr/bin/env bash
# Installs the pinned remote-store emulators (package.json here: s3rver, azurite) into DEST
# with `npm ci`, once per lock file. The tests start them on free loopback ports and stop them
# by PID. Usage: tests/servers/install.sh DEST
set -euo pipefail
src=$(cd "$(dirname "$0")" && pwd)
dest=${1:?usage: install.sh DEST}
mkdir -p "$dest"
if [ -f "$dest/.installed" ] && cmp -s "$src/package-lock.json" "$dest/package-lock.json"; then
  exit 0
fi
cp "$src/package.json" "$src/package-lock.json" "$src/.npmrc" "$dest/"
cd "$dest"
npm ci --no-audit --no-fund --loglevel=error
touch .installed
echo "test servers installed in $dest"
