#!/usr/bin/env bash
# Runs every libFuzzer harness of a fuzz build (fuzzers.txt) for SECONDS each, JOBS at a time,
# starting from its seed corpus (fuzz/corpus/<harness>) and its dictionary (fuzz/dict).
# New inputs go to <build>/fuzz-runs/corpus/<harness> (kept between runs), findings to
# <build>/fuzz-runs/<harness>-crash-* (and leak-, timeout-, oom-). Exits non-zero when any
# harness found something; prints how to reproduce it.
# Usage: fuzz/run.sh BUILD_DIR SECONDS [JOBS] [HARNESS...]
set -euo pipefail

build=$(cd "$1" && pwd)
seconds=$2
jobs=${3:-1}
shift $(( $# >= 3 ? 3 : $# ))
src=$(cd "$(dirname "$0")" && pwd)
out=$build/fuzz-runs
mkdir -p "$out/corpus"
# This run's failure markers (another run in the same build tree keeps its own).
marks=$(mktemp -d)
trap 'rm -rf "$marks"' EXIT

if [ $# -gt 0 ]; then
  harnesses=("$@")
else
  mapfile -t harnesses < <(sed 's/_fuzz$//; /^$/d' "$build/fuzzers.txt")
fi

dict_of() {
  case $1 in
    xml|s3_documents) echo "$src/dict/xml.dict" ;;
    policy|console_json|jwt|post_policy) echo "$src/dict/json.dict" ;;
    http_head|sigv4|sigv2|chunked|s3_headers|percent|post_form) echo "$src/dict/http.dict" ;;
  esac
}

run_one() {
  local h=$1
  local corpus=$out/corpus/$h
  mkdir -p "$corpus"
  rm -f "$out/$h".log
  local args=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=8192
              -print_final_stats=1 -artifact_prefix="$out/$h-")
  local dict
  dict=$(dict_of "$h")
  [ -n "$dict" ] && args+=(-dict="$dict")
  local seeds=()
  [ -d "$src/corpus/$h" ] && seeds=("$src/corpus/$h")
  local rc=0
  "$build/fuzz/${h}_fuzz" "${args[@]}" "$corpus" "${seeds[@]}" >"$out/$h.log" 2>&1 || rc=$?
  local execs
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/$h.log" | tail -1)
  local cov
  cov=$(grep -Eo 'cov: [0-9]+' "$out/$h.log" | tail -1 || true)
  if [ "$rc" -eq 0 ]; then
    printf 'fuzz %-16s ok     %6ss %10s execs  %s\n' "$h" "$seconds" "${execs:-?}" "$cov"
  else
    printf 'fuzz %-16s FAILED (exit %s), log %s\n' "$h" "$rc" "$out/$h.log"
    grep -E '^(==[0-9]+==ERROR|SUMMARY|artifact_prefix|.*runtime error)' "$out/$h.log" | head -5 || true
    echo "  reproduce: $build/fuzz/${h}_fuzz <the file named above>"
    touch "$marks/$h"
  fi
}

running=0
for h in "${harnesses[@]}"; do
  run_one "$h" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then
    wait -n || true
    running=$((running - 1))
  fi
done
wait
shopt -s nullglob
failures=("$marks"/*)
failed=${#failures[@]}
if [ "$failed" -gt 0 ]; then
  echo "fuzz: $failed harness(es) found a crash, leak, hang or undefined behaviour"
  exit 1
fi
echo "fuzz: ${#harnesses[@]} harnesses ran ${seconds}s each, nothing found"
