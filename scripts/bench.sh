#!/usr/bin/env bash
# Speed and memory on real manifests, against the parse-only floor measured in the same run.
#
# Usage: scripts/bench.sh [KSPM_BIN] [CORPUS_DIR]
#   BENCH_RUNS=N     runs per measurement, the best (fastest) is kept (default 3)
#   CHECKOV=PATH     the checkov to compare with (default: `checkov` on PATH, if any)
#   BENCH_QUICK=1    skip the slow `-j 1` runs and Checkov
#
# Inputs (built once under target/bench from CORPUS_DIR/big/public.yaml, 636 documents):
# the stream itself, 12 copies (~5 MB), 124 copies (~50 MB), and trees of 2,000 and
# 20,000 small files (one document each, cycling through the stream's documents).
#
# Every measurement is the wall time and peak RSS of one process from /usr/bin/time. The
# floor is `kspm debug parse-only`: the same discovery, reading, loader, ranges and thread
# pool, no rules, no report. "x floor" is lint time / floor time on the same input with the
# same -j. Checkov, when installed, runs on the 2k-file tree. Prints the Markdown that
# docs/benchmarks.md records.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/release/kspm}
corpus=${2:-../shared/corpus}
runs=${BENCH_RUNS:-3}
if ! /usr/bin/time -f '%e' true 2>/dev/null; then
  echo "bench: needs GNU time as /usr/bin/time (apt-get install time)" >&2
  exit 2
fi
[ -x "$bin" ] || cargo build --release
src="$corpus/big/public.yaml"
[ -f "$src" ] || { echo "bench: missing $src" >&2; exit 2; }
work=target/bench
mkdir -p "$work"

stream() { # stream COPIES FILE
  [ -f "$2" ] || for _ in $(seq "$1"); do cat "$src"; printf '\n---\n'; done >"$2"
}
tree() { # tree FILES DIR: one document per file, 500 files per folder
  [ -f "$2/.done" ] && return
  rm -rf "$2"
  mkdir -p "$2"
  awk -v n="$1" -v dir="$2" '
    /^---/ { if (doc ~ /[^ \n]/) docs[k++] = doc; doc = ""; next }
    { doc = doc $0 "\n" }
    END {
      if (doc ~ /[^ \n]/) docs[k++] = doc
      for (i = 0; i < n; i++) {
        d = sprintf("%s/d%03d", dir, int(i / 500))
        if (i % 500 == 0) system("mkdir -p " d)
        f = sprintf("%s/f%05d.yaml", d, i)
        printf "%s", docs[i % k] > f
        close(f)
      }
    }' "$src"
  touch "$2/.done"
}
mid="$work/public-x12.yaml"
big="$work/public-x124.yaml"
stream 12 "$mid"
stream 124 "$big"
tree 2000 "$work/tree-2k"
tree 20000 "$work/tree-20k"

# measure OUT CMD...: the run with the best wall time of $runs; sets secs, cpu (user +
# system seconds, which a busy machine inflates less than wall time) and rss_mb.
measure() {
  local out=$1
  shift
  secs=""
  local s kb u k
  for _ in $(seq "$runs"); do
    /usr/bin/time -f '%e %M %U %S' -o "$work/time.txt" "$@" >"$out" 2>"$work/stderr.txt" || true
    read -r s kb u k < <(tail -n 1 "$work/time.txt")
    if [ -z "$secs" ] || awk "BEGIN{exit !($s < $secs)}"; then
      secs=$s
      cpu=$(awk "BEGIN{printf \"%.2f\", $u + $k}")
      rss_mb=$((kb / 1024))
    fi
  done
}
bytes_of() { du -sb --apparent-size "$1" | cut -f1; }
num() { # num KEY FILE: the last `"KEY": N` in FILE
  grep -o "\"$1\": [0-9]*" "$2" | tail -n 1 | grep -o '[0-9]*$'
}
ratio() { awk "BEGIN{printf \"%.2f\", $1 / ($2 > 0 ? $2 : 0.001)}"; }

declare -A floor_secs floor_cpu floor_docs
# floor LABEL INPUT JOBS
floor() {
  measure "$work/floor.json" "$bin" debug parse-only -j "$3" "$2"
  floor_secs[$1/$3]=$secs
  floor_cpu[$1/$3]=$cpu
  floor_docs[$1]=$(num documents "$work/floor.json")
  local mb
  mb=$(awk "BEGIN{printf \"%.1f\", $(bytes_of "$2") / 1e6}")
  printf '| %s | parse-only floor | %s | %s | %s | %s | %s | %s | %s | %s | 1.00 | 1.00 |\n' \
    "$1" "$3" "—" "$secs" "$cpu" "$(awk "BEGIN{printf \"%.0f\", $mb / $secs}")" \
    "$(awk "BEGIN{printf \"%.0f\", ${floor_docs[$1]} / $secs}")" "$rss_mb" \
    "$(awk "BEGIN{printf \"%.1f\", $rss_mb / $mb}")"
}
# lint LABEL INPUT JOBS PACK
lint() {
  measure "$work/out.json" "$bin" lint --pack "$4" --format json -j "$3" "$2"
  local mb findings
  mb=$(awk "BEGIN{printf \"%.1f\", $(bytes_of "$2") / 1e6}")
  findings=$(num findings "$work/out.json")
  printf '| %s | --pack %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' \
    "$1" "$4" "$3" "$findings" "$secs" "$cpu" "$(awk "BEGIN{printf \"%.0f\", $mb / $secs}")" \
    "$(awk "BEGIN{printf \"%.0f\", ${floor_docs[$1]} / $secs}")" "$rss_mb" \
    "$(awk "BEGIN{printf \"%.1f\", $rss_mb / $mb}")" "$(ratio "$secs" "${floor_secs[$1/$3]}")" \
    "$(ratio "$cpu" "${floor_cpu[$1/$3]}")"
}

cores=$(nproc)
printf 'kspm %s, %s cores, load average %s, best of %s runs\n\n' \
  "$("$bin" --version | cut -d' ' -f2)" "$cores" "$(cut -d' ' -f1 /proc/loadavg)" "$runs"
echo '| input | run | -j | findings | wall s | CPU s | MB/s | docs/s | peak RSS MB | RSS / input | x floor (wall) | x floor (CPU) |'
echo '|---|---|---|---|---|---|---|---|---|---|---|---|'
for input in "public.yaml:$src" "5 MB stream:$mid" "50 MB stream:$big" \
  "2k-file tree:$work/tree-2k" "20k-file tree:$work/tree-20k"; do
  label=${input%%:*}
  path=${input#*:}
  floor "$label" "$path" "$cores"
  lint "$label" "$path" "$cores" recommended
  lint "$label" "$path" "$cores" all
done
if [ -z "${BENCH_QUICK:-}" ]; then
  floor "50 MB stream" "$big" 1
  lint "50 MB stream" "$big" 1 all
fi

checkov=${CHECKOV:-$(command -v checkov || true)}
if [ -n "$checkov" ] && [ -z "${BENCH_QUICK:-}" ]; then
  # On the 2k-file tree: Checkov refuses the whole stream ("Cannot read file contents")
  # when one of its documents does not suit its parser, and skips files over
  # CHECKOV_MAX_FILE_SIZE (5,000,000 bytes) silently. One run: it is slow.
  runs_saved=$runs
  runs=1
  CHECKOV_MAX_FILE_SIZE=1000000000 \
    measure "$work/checkov.json" "$checkov" -d "$work/tree-2k" --framework kubernetes \
    --quiet --compact -o json
  runs=$runs_saved
  checkov_secs=$secs
  checkov_rss=$rss_mb
  checkov_resources=$(grep -o '"resource_count": [0-9]*' "$work/checkov.json" |
    awk '{n += $2} END {print n + 0}')
  measure "$work/out.json" "$bin" lint --pack all --format json "$work/tree-2k"
  printf '\nCheckov %s on the 2k-file tree (%s resources): %s s, %s MB peak RSS; kspm --pack all: %s s, %s MB (Checkov / kspm: %sx the time)\n' \
    "$("$checkov" --version 2>/dev/null | tail -n 1)" "$checkov_resources" "$checkov_secs" \
    "$checkov_rss" "$secs" "$rss_mb" "$(ratio "$checkov_secs" "$secs")"
elif [ -n "${BENCH_QUICK:-}" ]; then
  printf '\nCheckov: not run (BENCH_QUICK)\n'
else
  printf '\nCheckov: not installed (pip install checkov, or set CHECKOV=PATH)\n'
fi
