#!/usr/bin/env bash
# Runs every benchmark against the build in $1 (default: build) and prints the figures.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
echo "== engine =="
"$BUILD/bench/engine_bench" "$PWD/$BUILD" "${BENCH_SECONDS:-3}"
echo "== usage counters at 1,000,000 objects (GetBucketUsage, metrics scrape) =="
"$BUILD/bench/usage_bench" "$PWD/$BUILD" "${USAGE_BENCH_OBJECTS:-1000000}"
echo "== lifecycle worker: objects expired per second, alone and beside PUT 4 KiB =="
"$BUILD/bench/lifecycle_bench" "$PWD/$BUILD" "${LIFECYCLE_BENCH_OBJECTS:-200000}"
echo "== start-up time against the number of blobs (intents vs the old full sweep) =="
"$BUILD/bench/startup_bench" "$PWD/$BUILD" ${STARTUP_BLOBS:-0 10000 57000}
echo "== encryption and compression at rest =="
"$BUILD/bench/encryption_bench" "$PWD/$BUILD/encryption-bench"
echo "== compression: none, zstd, gzip, lz4 on 64 MiB text-like and random objects =="
"$BUILD/bench/compression_bench" "$PWD/$BUILD/compression-bench"
echo "== MD5 (the ETag): one stream vs SIMD lanes, and the engine's batcher =="
"$BUILD/bench/md5_bench"
echo "== IAM credential lookups and console logins =="
"$BUILD/bench/iam_bench"
echo "== maxiofs on a remote S3 service vs that service direct (bench/remote) =="
/usr/bin/python3 bench/remote/remote_bench.py "$BUILD"
if [ -x bench/s3/run.sh ]; then
  echo "== S3 front end vs nginx =="
  bash bench/s3/run.sh "$BUILD"
  echo "== CORS: preflight and matched GET vs GET 4 KiB =="
  /usr/bin/python3 bench/s3/cors_bench.py --build-dir "$BUILD"
  echo "== bucket notifications: PUT 4 KiB with a webhook target vs none, delivery latency =="
  /usr/bin/python3 bench/notify/notify_bench.py --build-dir "$BUILD"
fi
if [ -x bench/fuse/run.sh ]; then
  echo "== FUSE mount vs raw disk vs s3fs =="
  bash bench/fuse/run.sh "$BUILD"
fi
if [ -x bench/fuse/meta.sh ]; then
  echo "== FUSE metadata: chmod/chown/touch of 10,000 files, ls -l of 100,000 entries =="
  bash bench/fuse/meta.sh "$BUILD"
fi
if [ -f bench/console/console_bench.py ]; then
  echo "== web console (first load, 100k-key listing, upload vs aws cli) =="
  /usr/bin/python3 bench/console/console_bench.py "$BUILD"
fi
