#!/usr/bin/env bash
# FUSE benchmark: the raw disk vs the MaxIOFS FUSE mount vs s3fs (mounting the same MaxIOFS
# server's S3 API), all on the same disk (a temp dir inside BUILD_DIR, removed at the end).
# Workloads: fio sequential write/read (1 MiB blocks), fio 4 KiB random reads, small-file
# metadata (create, ls -l, stat, rm), and the delay until an S3 PUT is visible in the mount.
# Usage: bench/fuse/run.sh [BUILD_DIR]      (default: build; needs root, /dev/fuse, fio, s3fs)
# Env: FUSE_BENCH_SIZE (default 1g), FUSE_BENCH_FILES (10000), FUSE_BENCH_RAND_SECONDS (10),
#      FUSE_BENCH_SEQ_RUNS (3: rounds of sequential write and read, each round running every
#      target back to back; medians and per-round FUSE/raw ratios are reported, with every run:
#      one run moves by 2-3x on a shared VM),
#      S3FS_BENCH_SIZE (256m), S3FS_BENCH_FILES (1000): s3fs is much slower, so it gets less.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build="$(cd "${1:-$root/build}" && pwd)"
[ -x "$build/maxiofs" ] || { echo "bench/fuse: no executable $build/maxiofs (build first)" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "bench/fuse: must run as root (drop_caches, FUSE mounts)" >&2; exit 1; }
command -v fio >/dev/null || { echo "bench/fuse: fio missing (scripts/install-deps.sh bench)" >&2; exit 1; }

SIZE=${FUSE_BENCH_SIZE:-1g}
NFILES=${FUSE_BENCH_FILES:-10000}
RANDSEC=${FUSE_BENCH_RAND_SECONDS:-10}
SEQ_RUNS=${FUSE_BENCH_SEQ_RUNS:-3}
S3FS_SIZE=${S3FS_BENCH_SIZE:-256m}
S3FS_NFILES=${S3FS_BENCH_FILES:-1000}
NLS=1000   # entries of the directory listed with ls -l
NRM=1000   # files removed
# Plain-http loopback only: the CA bundle setting is irrelevant and s3fs/botocore dislike it.
unset AWS_CA_BUNDLE

work="$(mktemp -d "$build/fusebench.XXXXXX")"
raw="$work/raw" data="$work/data" mnt="$work/mnt" mnt2="$work/s3fs"
mkdir -p "$raw" "$data" "$mnt" "$mnt2"
ak="benchak" sk="bench-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
server_pid=""

unmount() {  # unmount $1 if mounted; lazy unmount as a last resort
  mountpoint -q "$1" 2>/dev/null || return 0
  timeout 20 fusermount3 -u "$1" 2>/dev/null || timeout 20 umount -l "$1" || true
}
cleanup() {
  local rc=$?
  unmount "$mnt2"
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$server_pid" 2>/dev/null && { echo "bench/fuse: server did not stop, SIGKILL" >&2; kill -KILL "$server_pid" 2>/dev/null || true; }
  fi
  unmount "$mnt"
  if mountpoint -q "$mnt" 2>/dev/null || mountpoint -q "$mnt2" 2>/dev/null; then
    echo "bench/fuse: a mount is still active under $work, not removing it" >&2
  else
    rm -rf "$work"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now() { echo "$EPOCHREALTIME"; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.6f", b-a}'; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN{ if (s>0) printf "%.1f", n/s; else print "n/a" }'; }
drop_caches() { sync; echo 3 > /proc/sys/vm/drop_caches; }
log() { echo "[bench/fuse $(date +%T)] $*" >&2; }
# The median of the figures given; "fail" when any of them failed.
median() {
  local v
  for v in "$@"; do [[ "$v" =~ ^[0-9.]+$ ]] || { echo fail; return; }; done
  printf '%s\n' "$@" | sort -g | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'
}

# ---- start MaxIOFS (S3 + FUSE mount) ----
log "starting maxiofs"
MAXIOFS_AUTH_SECRET_KEY="$sk" "$build/maxiofs" server --data-dir "$data" --listen 127.0.0.1:0 \
  --access-key "$ak" --log-level warn --mount "$mnt" 2>"$work/server.log" &
server_pid=$!
port=""
for _ in $(seq 300); do
  port=$(sed -n 's/^maxiofs ready: s3=127\.0\.0\.1:\([0-9]*\) .*/\1/p' "$work/server.log" | head -1)
  [ -n "$port" ] && break
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
[ -n "$port" ] || { echo "bench/fuse: maxiofs not ready within 30 s:" >&2; cat "$work/server.log" >&2; exit 1; }
mountpoint -q "$mnt" || { echo "bench/fuse: $mnt is not mounted" >&2; exit 1; }
timeout 10 mkdir "$mnt/bench"     # bucket "bench"
fuse="$mnt/bench"

# ---- mount the same bucket with s3fs ----
S3FS_OPTS="url=http://127.0.0.1:$port,use_path_request_style,endpoint=us-east-1,passwd_file=$work/s3fs.passwd"
s3fs_ok=0 s3fs_why=""
if command -v s3fs >/dev/null; then
  printf '%s:%s\n' "$ak" "$sk" > "$work/s3fs.passwd"; chmod 600 "$work/s3fs.passwd"
  if timeout 30 s3fs bench "$mnt2" -o "$S3FS_OPTS" -o logfile="$work/s3fs.log" -o dbglevel=warn 2>"$work/s3fs.err"; then
    for _ in $(seq 50); do mountpoint -q "$mnt2" && break; sleep 0.1; done
    if mountpoint -q "$mnt2" && timeout 20 ls "$mnt2" >/dev/null; then s3fs_ok=1
    else s3fs_why="s3fs started but $mnt2 is not usable: $(cat "$work/s3fs.err" "$work/s3fs.log" 2>/dev/null | tail -3)"; fi
  else s3fs_why="s3fs failed: $(cat "$work/s3fs.err" 2>/dev/null | tail -3)"; fi
else s3fs_why="s3fs not installed"; fi
[ "$s3fs_ok" = 1 ] && log "s3fs mounted with -o $S3FS_OPTS" || log "$s3fs_why"
s3dir="$mnt2/s3fs"  # s3fs works in a sub-directory of the bucket (the FUSE run uses the bucket root)

declare -A R   # R[workload,target] = figure

fio_run() {  # fio_run LIMIT FILE RW SIZE BS [extra...] -> prints json path; figure via fio_fig
  local limit=$1 file=$2 rw=$3 size=$4 bs=$5; shift 5
  local out; out="$work/fio-$(basename "$(dirname "$file")")-$rw.json"
  timeout --kill-after=10 "$limit" fio --name=bench --filename="$file" --rw="$rw" --size="$size" --bs="$bs" \
    --ioengine=psync --numjobs=1 --fallocate=none --output-format=json --output="$out" "$@" >/dev/null 2>"$out.err" || return 1
  echo "$out"
}
fio_fig() {  # fio_fig JSON read|write bw|iops
  python3 - "$@" <<'EOF'
import json, sys
j = json.load(open(sys.argv[1]))["jobs"][0][sys.argv[2]]
print("%.1f" % (j["bw_bytes"] / 1048576.0 if sys.argv[3] == "bw" else j["iops"]))
EOF
}

bench_target() {  # bench_target NAME DIR SIZE NFILES LIMIT
  local t=$1 dir=$2 size=$3 n=$4 limit=$5 js t0 t1 f="$2/fio.dat"
  mkdir -p "$dir"
  log "$t: 4 KiB random reads, ${RANDSEC}s"
  drop_caches
  if js=$(fio_run $((RANDSEC + 60)) "$f" randread "$size" 4k --runtime="$RANDSEC" --time_based); then
    R[rand,$t]=$(fio_fig "$js" read iops || echo fail); else R[rand,$t]="fail"; fi
  timeout "$limit" rm -f "$f" || true

  log "$t: create $n files"
  mkdir -p "$dir/d"
  t0=$(now)
  if timeout "$limit" bash -c 'for i in $(seq "$2"); do echo x > "$1/f$i"; done' _ "$dir/d" "$n"; then
    t1=$(now); R[create,$t]=$(rate "$n" "$(elapsed "$t0" "$t1")"); else R[create,$t]="timeout"; fi

  log "$t: ls -l of a $NLS-entry directory"
  mkdir -p "$dir/l"
  timeout "$limit" bash -c 'for i in $(seq "$2"); do echo x > "$1/f$i"; done' _ "$dir/l" "$NLS" || true
  drop_caches
  local ms=()
  for _ in 1 2; do
    t0=$(now)
    if timeout "$limit" ls -l "$dir/l" >"$work/ls.out"; then t1=$(now); ms+=("$(awk -v s="$(elapsed "$t0" "$t1")" 'BEGIN{printf "%.1f", s*1000}')")
    else ms+=("timeout"); fi
  done
  R[ls1,$t]=${ms[0]} R[ls,$t]=${ms[1]}
  R[lsn,$t]=$(($(wc -l <"$work/ls.out") - 1))

  log "$t: stat $n files"
  drop_caches
  t0=$(now)
  if seq -f "$dir/d/f%g" 1 "$n" | timeout "$limit" xargs stat -c %s >/dev/null; then
    t1=$(now); R[stat,$t]=$(rate "$n" "$(elapsed "$t0" "$t1")"); else R[stat,$t]="fail"; fi

  local nrm=$((NRM < n ? NRM : n))
  log "$t: rm $nrm files"
  t0=$(now)
  if seq -f "$dir/d/f%g" 1 "$nrm" | timeout "$limit" xargs rm; then
    t1=$(now); R[rm,$t]=$(rate "$nrm" "$(elapsed "$t0" "$t1")"); else R[rm,$t]="fail"; fi
}

ratio() {
  awk -v a="$1" -v b="$2" 'BEGIN{ if (a ~ /^[0-9.]+$/ && b ~ /^[0-9.]+$/ && b > 0) printf "%.2f", a/b; else print "n/a" }'
}
# Sequential write, then read, in rounds: each round runs every target once, back to back, so
# that a FUSE run and the raw run beside it meet the same machine (one run moves by 2-3x on a
# shared VM); the per-round FUSE/raw ratios are reported with the medians.
targets=(raw fuse)
declare -A TDIR=([raw]="$raw" [fuse]="$fuse") TSIZE=([raw]="$SIZE" [fuse]="$SIZE")
if [ "$s3fs_ok" = 1 ]; then
  targets+=(s3fs)
  TDIR[s3fs]="$s3dir"
  TSIZE[s3fs]="$S3FS_SIZE"
fi
seq_rounds() {  # seq_rounds write|read -> R[seqw|seqr,T], R[..._runs,T], R[..._pairs]
  local rw=$1 key t i js f; key=$([ "$1" = write ] && echo seqw || echo seqr)
  declare -A runs=()
  for i in $(seq "$SEQ_RUNS"); do
    for t in "${targets[@]}"; do
      f="${TDIR[$t]}/fio.dat"
      mkdir -p "${TDIR[$t]}"
      log "$t: sequential $rw ${TSIZE[$t]} (round $i/$SEQ_RUNS)"
      if [ "$rw" = write ]; then timeout 240 rm -f "$f" || true; fi
      drop_caches
      if js=$(fio_run 240 "$f" "$rw" "${TSIZE[$t]}" 1m $([ "$rw" = write ] && echo --end_fsync=1)); then
        runs[$t]+="$(fio_fig "$js" "$rw" bw || echo fail) "
      else runs[$t]+="fail "; fi
    done
  done
  for t in "${targets[@]}"; do
    # shellcheck disable=SC2086
    R[$key,$t]=$(median ${runs[$t]}) R[${key}_runs,$t]="${runs[$t]% }"
  done
  local -a r=(${runs[raw]}) m=(${runs[fuse]}) pairs=()
  for i in "${!r[@]}"; do pairs+=("$(ratio "${m[$i]}" "${r[$i]}")"); done
  R[${key}_pairs]="${pairs[*]} (median $(median "${pairs[@]}"))"
}
seq_rounds write
seq_rounds read

bench_target raw "$raw" "$SIZE" "$NFILES" 240
bench_target fuse "$fuse" "$SIZE" "$NFILES" 240
if [ "$s3fs_ok" = 1 ]; then bench_target s3fs "$s3dir" "$S3FS_SIZE" "$S3FS_NFILES" 120; fi

# ---- S3 PUT -> visible in the MaxIOFS mount ----
log "S3 PUT visibility delay (20 puts)"
vis=$(timeout 120 /usr/bin/python3 - "$port" "$ak" "$sk" "$fuse" <<'EOF' 2>"$work/vis.err" || echo "fail"
import os, statistics, sys, time
import boto3
from botocore.config import Config
port, ak, sk, mnt = sys.argv[1:5]
s3 = boto3.client("s3", endpoint_url="http://127.0.0.1:%s" % port, aws_access_key_id=ak,
                  aws_secret_access_key=sk, region_name="us-east-1",
                  config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}))
# A poller thread checks os.path.exists every 1 ms from before the PUT starts (as a real
# watcher would, so a cached negative lookup would show); delay = first seen - PUT start.
import threading
seen, since_start, put_ms, after_put = [], [], [], []
for i in range(20):
    key = "vis-%d" % i
    path = os.path.join(mnt, key)
    found = {}
    stop = threading.Event()
    def poll():
        while not stop.is_set():
            if os.path.exists(path):
                found["t"] = time.monotonic(); return
            time.sleep(0.001)
    th = threading.Thread(target=poll); th.start()
    time.sleep(0.005)                 # the poller has looked the name up (negative) a few times
    t0 = time.monotonic()
    s3.put_object(Bucket="bench", Key=key, Body=b"x")
    t1 = time.monotonic()
    th.join(5); stop.set(); th.join()
    put_ms.append((t1 - t0) * 1000)
    if "t" in found:
        since_start.append((found["t"] - t0) * 1000); after_put.append((found["t"] - t1) * 1000)
miss = 20 - len(since_start)
med = lambda v: "%.1f" % statistics.median(v) if v else "n/a"
print(med(since_start), med(after_put), med(put_ms),
      "%.1f" % max(since_start) if since_start else "n/a", miss)
EOF
)

# ---- report ----
s3v() { [ "$s3fs_ok" = 1 ] && echo "${R[$1,s3fs]:-n/a}" || echo "n/a"; }
sz_s3=""; [ "$S3FS_SIZE" != "$SIZE" ] && sz_s3=" (s3fs: $S3FS_SIZE)"
n_s3=""; [ "$S3FS_NFILES" != "$NFILES" ] && n_s3=" (s3fs: $S3FS_NFILES)"
rows=(
  "seqw|seq write $SIZE bs=1M, MiB/s$sz_s3"
  "seqr|seq read $SIZE bs=1M cold, MiB/s$sz_s3"
  "rand|4K randread ${RANDSEC}s QD1 cold, IOPS"
  "create|create $NFILES files, files/s$n_s3"
  "ls|ls -l $NLS entries, 2nd run, ms"
  "stat|stat $NFILES files cold, files/s$n_s3"
  "rm|rm $((NRM < NFILES ? NRM : NFILES)) files, files/s"
)
echo
echo "MaxIOFS FUSE benchmark ($(nproc) cores; files under $build; page cache dropped before reads/stat/ls)"
printf '%-44s | %10s | %12s | %14s | %10s\n' "workload" "raw" "maxiofs FUSE" "ratio FUSE/raw" "s3fs"
printf '%s\n' "---------------------------------------------+------------+--------------+----------------+-----------"
for row in "${rows[@]}"; do
  k=${row%%|*} label=${row#*|}
  printf '%-44s | %10s | %12s | %14s | %10s\n' "$label" "${R[$k,raw]}" "${R[$k,fuse]}" "$(ratio "${R[$k,fuse]}" "${R[$k,raw]}")" "$(s3v "$k")"
done
echo "(ls -l 1st/cold run, ms: raw ${R[ls1,raw]}, maxiofs ${R[ls1,fuse]}, s3fs $(s3v ls1); entries listed: raw ${R[lsn,raw]}, maxiofs ${R[lsn,fuse]}, s3fs $(s3v lsn))"
echo "(seq write and read: median of $SEQ_RUNS rounds, each running raw, maxiofs and s3fs back to back; every run, MiB/s: write raw ${R[seqw_runs,raw]} | maxiofs ${R[seqw_runs,fuse]} | s3fs $(s3v seqw_runs); read raw ${R[seqr_runs,raw]} | maxiofs ${R[seqr_runs,fuse]} | s3fs $(s3v seqr_runs))"
echo "(FUSE/raw per round: write ${R[seqw_pairs]}; read ${R[seqr_pairs]})"
echo "(ratio = FUSE/raw of the figure: > 1 is better for rates, worse for the ls time)"
if [ "$s3fs_ok" = 1 ]; then echo "s3fs: -o $S3FS_OPTS (passwd file AK:SECRET, mode 600), scaled down: $S3FS_SIZE, $S3FS_NFILES files"
else echo "s3fs: not measured: $s3fs_why"; fi
if [ "$vis" = fail ]; then echo "S3 PUT -> visible in mount: failed: $(tail -3 "$work/vis.err")"
else
  read -r med aft put mx miss <<<"$vis"
  echo "S3 PUT -> visible in the MaxIOFS mount (20 PUTs, os.path.exists polled every 1 ms from before the PUT):"
  echo "  median $med ms from PUT start (max $mx ms); median PUT latency $put ms; median $aft ms after the PUT returned; never visible within 5 s: $miss"
fi
