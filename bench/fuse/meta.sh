#!/usr/bin/env bash
# FUSE metadata benchmark: chmod, chown and touch (utimensat) of many files through the
# MaxIOFS mount (one process, one syscall per file, as `chmod -R` does), and `ls -l` of a large
# directory. Files live in a temp dir inside BUILD_DIR, removed at the end.
# Usage: bench/fuse/meta.sh [BUILD_DIR | path/to/maxiofs]   (default: build; needs root and
#        /dev/fuse). Giving an older binary measures "before".
# Env: META_BENCH_FILES (10000 files for chmod/chown/touch), META_BENCH_LS (100000 entries),
#      META_BENCH_ROUNDS (3: each figure is the median of this many runs, every run listed).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
arg="${1:-$root/build}"
if [ -d "$arg" ]; then bin="$(cd "$arg" && pwd)/maxiofs"; workbase="$(cd "$arg" && pwd)"
else bin="$(cd "$(dirname "$arg")" && pwd)/$(basename "$arg")"; workbase="$(dirname "$bin")"; fi
[ -x "$bin" ] || { echo "bench/fuse/meta: no executable $bin (build first)" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "bench/fuse/meta: must run as root (FUSE mount, drop_caches)" >&2; exit 1; }
NFILES=${META_BENCH_FILES:-10000}
NLS=${META_BENCH_LS:-100000}
ROUNDS=${META_BENCH_ROUNDS:-3}
PY=/usr/bin/python3

work="$(mktemp -d "$workbase/fusemeta.XXXXXX")"
data="$work/data" mnt="$work/mnt"
mkdir -p "$data" "$mnt"
server_pid=""
cleanup() {
  local rc=$?
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$server_pid" 2>/dev/null && { echo "bench/fuse/meta: server did not stop, SIGKILL" >&2; kill -KILL "$server_pid" 2>/dev/null || true; }
  fi
  if mountpoint -q "$mnt" 2>/dev/null; then
    timeout 20 fusermount3 -u "$mnt" 2>/dev/null || timeout 20 umount -l "$mnt" || true
  fi
  if mountpoint -q "$mnt" 2>/dev/null; then echo "bench/fuse/meta: $mnt still mounted, keeping $work" >&2
  else rm -rf "$work"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
log() { echo "[bench/fuse/meta $(date +%T)] $*" >&2; }
drop_caches() { sync; echo 3 > /proc/sys/vm/drop_caches; }
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

log "starting $bin"
MAXIOFS_AUTH_SECRET_KEY="meta-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')" \
  "$bin" server --data-dir "$data" --listen 127.0.0.1:0 --console-listen 127.0.0.1:0 \
  --log-level warn --mount "$mnt" 2>"$work/server.log" &
server_pid=$!
for _ in $(seq 300); do
  grep -q '^maxiofs ready' "$work/server.log" && break
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
grep -q '^maxiofs ready' "$work/server.log" || { echo "bench/fuse/meta: not ready:" >&2; cat "$work/server.log" >&2; exit 1; }
timeout 10 mkdir "$mnt/meta"
dir="$mnt/meta/files" big="$mnt/meta/big"

# make DIR N: N one-byte files f0..f(N-1) through the mount.
make_files() {
  timeout 1200 "$PY" - "$1" "$2" <<'EOF'
import os, sys
d, n = sys.argv[1], int(sys.argv[2])
os.makedirs(d, exist_ok=True)
for i in range(n):
    fd = os.open("%s/f%d" % (d, i), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.write(fd, b"x")
    os.close(fd)
EOF
}

# op OP DIR N ROUND -> files per second for one pass of OP over the N files.
op_rate() {
  timeout 1200 "$PY" - "$1" "$2" "$3" "$4" <<'EOF'
import os, sys, time
op, d, n, r = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
names = ["%s/f%d" % (d, i) for i in range(n)]
t0 = time.monotonic()
for p in names:
    if op == "chmod":
        os.chmod(p, 0o600 if r % 2 == 1 else 0o640)  # a change in every round
    elif op == "chown":
        os.chown(p, 1000 + r, 1000 + r)
    else:  # touch: set both times to now, as touch(1) does
        os.utime(p, None)
print("%.1f" % (n / (time.monotonic() - t0)))
EOF
}

log "creating $NFILES files"
make_files "$dir" "$NFILES"
declare -A R RUNS
for op in chmod chown touch; do
  runs=()
  for r in $(seq "$ROUNDS"); do
    drop_caches
    log "$op of $NFILES files (round $r/$ROUNDS)"
    runs+=("$(op_rate "$op" "$dir" "$NFILES" "$r" || echo fail)")
  done
  R[$op]=$(median "${runs[@]}") RUNS[$op]="${runs[*]}"
done

log "creating a directory of $NLS entries"
make_files "$big" "$NLS"
# The same number of empty files on the disk under the data dir: `ls -l` there is the floor
# (ls itself sorts, formats and stats every entry), measured in the same rounds.
plain="$work/plain"
mkdir -p "$plain"
(cd "$plain" && seq 0 $((NLS - 1)) | sed 's/^/f/' | xargs touch)
server_cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.0f", ($14 + $15) * 1000 / hz}' "/proc/$server_pid/stat"; }
ms_since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN{printf "%.0f", (b-a)*1000}'; }
ls_runs=() ls_cold="" cpu_runs=() disk_runs=()
for r in $(seq "$ROUNDS"); do
  [ "$r" = 1 ] && drop_caches
  c0=$(server_cpu_ms)
  t0=$EPOCHREALTIME
  n=$(timeout 600 ls -l "$big" | wc -l)
  ms=$(ms_since "$t0")
  cpu=$(( $(server_cpu_ms) - c0 ))
  [ "$r" = 1 ] && ls_cold=$ms || { ls_runs+=("$ms"); cpu_runs+=("$cpu"); }
  t0=$EPOCHREALTIME
  timeout 600 ls -l "$plain" >/dev/null
  disk_runs+=("$(ms_since "$t0")")
  log "ls -l of $((n - 1)) entries: $ms ms, server CPU $cpu ms; on the disk: ${disk_runs[-1]} ms (round $r)"
done
[ ${#ls_runs[@]} -gt 0 ] || { ls_runs=("$ls_cold"); cpu_runs=("$cpu"); }

echo
echo "MaxIOFS FUSE metadata benchmark ($(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); binary $bin)"
printf '%-40s | %12s | %s\n' "workload" "median" "every run"
printf '%s\n' "-----------------------------------------+--------------+---------------------"
for op in chmod chown touch; do
  printf '%-40s | %12s | %s\n' "$op of $NFILES files, files/s" "${R[$op]}" "${RUNS[$op]}"
done
printf '%-40s | %12s | %s\n' "ls -l of $NLS entries, cold, ms" "$ls_cold" "-"
printf '%-40s | %12s | %s\n' "ls -l of $NLS entries, warm, ms" "$(median "${ls_runs[@]}")" "${ls_runs[*]}"
printf '%-40s | %12s | %s\n' "  server CPU per warm ls -l, ms" "$(median "${cpu_runs[@]}")" "${cpu_runs[*]}"
printf '%-40s | %12s | %s\n' "ls -l of $NLS files on the disk, ms" "$(median "${disk_runs[@]}")" "${disk_runs[*]}"
