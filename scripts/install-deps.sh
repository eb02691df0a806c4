#!/usr/bin/env bash
# Installs the Debian 12 packages MaxIOFS needs to build and test, only those missing.
# Idempotent; fast when everything is present (one dpkg-query, no apt call).
# Usage: scripts/install-deps.sh [build|test|bench]
#   build: compilers (gcc; clang-16 with libFuzzer for fuzz/) and libraries;
#   test (default): build + test clients;
#   bench: build + the benchmark's load generator and baseline server (only `make bench` needs them)
set -euo pipefail

BUILD_PKGS=(
  build-essential cmake ninja-build ccache pkg-config git
  libboost1.81-dev libleveldb-dev libsnappy-dev libcrypto++-dev libzstd-dev liblz4-dev libspdlog-dev libfmt-dev
  libfuse3-dev fuse3 libgtest-dev libgmock-dev libbenchmark-dev libyaml-cpp-dev
  nlohmann-json3-dev libcli11-dev libssl-dev clang-format zlib1g-dev libcurl4-openssl-dev
  clang-16 libfuzzer-16-dev
)
TEST_PKGS=(
  awscli python3-boto3 python3-botocore python3-pytest python3-requests
  python3-awscrt rclone s3cmd s3fs curl procps psmisc rsync
  lintian groff-base man-db zstd rpm debootstrap systemd-container podman runc openssl
  chromium
)
BENCH_PKGS=(
  wrk nginx-light python3-boto3 python3-botocore curl procps fio
)

mode=${1:-test}
pkgs=("${BUILD_PKGS[@]}")
[ "$mode" = test ] && pkgs+=("${TEST_PKGS[@]}")
[ "$mode" = bench ] && pkgs+=("${BENCH_PKGS[@]}")
# The console's web app builds with node and npm: Debian's, unless some node is installed.
command -v node >/dev/null 2>&1 || pkgs+=(nodejs)
command -v npm >/dev/null 2>&1 || pkgs+=(npm)

missing=()
while read -r name status; do
  [ "$status" = "installed" ] || missing+=("$name")
done < <(dpkg-query -W -f='${Package} ${db:Status-Status}\n' "${pkgs[@]}" 2>/dev/null || true)
# dpkg-query prints nothing for packages it has never heard of: add those too.
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null | grep -q '^installed$' || missing+=("$p")
done
# de-duplicate
mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u | sed '/^$/d')

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#pkgs[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  SUDO=sudo
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"
