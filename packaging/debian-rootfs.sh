#!/usr/bin/env bash
# Builds (or reuses) a clean Debian 12 root file system for the packaging tests and the
# container base image, cached under OUT_DIR so repeated runs skip debootstrap:
#   OUT_DIR/minbase.tar   debootstrap --variant=minbase bookworm (podman imports it as
#                         debian:bookworm)
#   OUT_DIR/systemd/      minbase + systemd, for booting with systemd-nspawn
# The cache key is the ISO week plus this script's hash: a stale mirror snapshot is renewed
# weekly, a changed recipe at once. A clean build dir always builds it.
# The mirror is the one apt on this machine already uses (no host name is written here).
# Usage: packaging/debian-rootfs.sh OUT_DIR [minbase|systemd]
set -euo pipefail

out=${1:?usage: debian-rootfs.sh OUT_DIR [minbase|systemd]}
what=${2:-systemd}
mkdir -p "$out"
out=$(cd "$out" && pwd)
key="$(date -u +%G-W%V)-$(sha256sum "$0" | cut -c1-12)"

# The first deb URI apt is configured with (deb822 .sources or one-line .list format).
mirror() {
  local uri
  uri=$(grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $2}' | grep -v security | head -1 || true)
  [ -n "$uri" ] || uri=$(grep -hsE '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list | grep -v security | awk '{print $2}' | head -1 || true)
  [ -n "$uri" ] || { echo "debian-rootfs: no Debian mirror found in the apt configuration" >&2; exit 1; }
  echo "$uri"
}

build_minbase() {
  [ -f "$out/minbase.tar" ] && [ "$(cat "$out/minbase.stamp" 2>/dev/null)" = "$key" ] && return 0
  rm -rf "$out/minbase.tmp" "$out/minbase.tar" "$out/minbase.stamp" "$out/systemd" "$out/systemd.stamp"
  echo "debian-rootfs: debootstrap minbase bookworm (cache key $key)" >&2
  timeout 900 debootstrap --variant=minbase bookworm "$out/minbase.tmp" "$(mirror)" \
    > "$out/debootstrap.log" 2>&1 || { tail -20 "$out/debootstrap.log" >&2; exit 1; }
  rm -rf "$out/minbase.tmp/var/cache/apt/archives/"*.deb "$out/minbase.tmp/var/lib/apt/lists/"*
  tar -C "$out/minbase.tmp" --numeric-owner -cf "$out/minbase.tar.part" .
  mv "$out/minbase.tar.part" "$out/minbase.tar"
  rm -rf "$out/minbase.tmp"
  echo "$key" > "$out/minbase.stamp"
}

build_systemd() {
  [ -d "$out/systemd" ] && [ "$(cat "$out/systemd.stamp" 2>/dev/null)" = "$key" ] && return 0
  rm -rf "$out/systemd" "$out/systemd.tmp" "$out/systemd.stamp"
  mkdir -p "$out/systemd.tmp"
  tar -C "$out/systemd.tmp" --numeric-owner -xf "$out/minbase.tar"
  cp /etc/resolv.conf "$out/systemd.tmp/etc/resolv.conf" 2>/dev/null || true
  echo "debian-rootfs: adding systemd to the nspawn root" >&2
  timeout 900 chroot "$out/systemd.tmp" /bin/sh -c \
    'export DEBIAN_FRONTEND=noninteractive; apt-get update -qq && apt-get install -y -qq --no-install-recommends systemd systemd-sysv dbus ca-certificates && apt-get clean' \
    > "$out/systemd-apt.log" 2>&1 || { tail -20 "$out/systemd-apt.log" >&2; exit 1; }
  echo maxiofs-test > "$out/systemd.tmp/etc/hostname"
  mv "$out/systemd.tmp" "$out/systemd"
  echo "$key" > "$out/systemd.stamp"
}

build_minbase
[ "$what" = systemd ] && build_systemd
echo "$out"
