#!/usr/bin/env bash
# S3 benchmark entry point: maxiofs vs a local nginx (GET + WebDAV PUT), 4 KiB and 1 MiB objects,
# 16 connections via wrk over presigned URLs; then server RSS during a 1 GiB PUT and during
# 64 parallel 64 MiB GETs.
# Usage: bench/s3/run.sh BUILD_DIR     (env BENCH_DURATION=seconds per run, default 10)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build="${1:?usage: bench/s3/run.sh BUILD_DIR}"
[ -x "$build/maxiofs" ] || { echo "bench/s3: no executable $build/maxiofs (build first)" >&2; exit 1; }
bash "$root/scripts/install-deps.sh" bench
# Plain-http loopback only: the CA bundle setting is irrelevant and rclone/botocore dislike it.
unset AWS_CA_BUNDLE
exec /usr/bin/python3 "$here/bench.py" --build-dir "$build" "${@:2}"
