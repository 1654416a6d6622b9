#!/usr/bin/env bash
# Speed and memory on real manifests: the corpus stream (0.4 MB, 636 documents) and a
# 50 MB stream made of 124 copies of it. Usage: scripts/bench.sh [KSPM_BIN] [CORPUS_DIR]
# Prints wall time and peak RSS per input; results are recorded in docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/release/kspm}
corpus=${2:-../shared/corpus}
[ -x "$bin" ] || cargo build --release
src="$corpus/big/public.yaml"
[ -f "$src" ] || { echo "missing $src"; exit 1; }
work=target/bench
mkdir -p "$work"
big="$work/public-x124.yaml"
if [ ! -f "$big" ]; then
  for _ in $(seq 124); do cat "$src"; printf '\n---\n'; done >"$big"
fi
mid="$work/public-x12.yaml"
if [ ! -f "$mid" ]; then
  for _ in $(seq 12); do cat "$src"; printf '\n---\n'; done >"$mid"
fi
measure() {
  local label=$1; shift
  local best=""
  for _ in 1 2 3; do
    /usr/bin/time -f '%e %M' -o "$work/time.txt" "$bin" "$@" >/dev/null 2>&1 || true
    read -r secs kb < <(tail -n 1 "$work/time.txt")
    if [ -z "$best" ] || awk "BEGIN{exit !($secs < $best)}"; then best=$secs; rss=$kb; fi
  done
  printf '%-44s %6.3f s  %6d MB peak RSS\n' "$label" "$best" "$((rss / 1024))"
}
printf 'kspm %s on %s cores\n' "$("$bin" --version | cut -d' ' -f2)" "$(nproc)"
measure "public.yaml ($(du -h "$src" | cut -f1), --pack all)" lint --pack all --format json "$src"
measure "public-x12.yaml ($(du -h "$mid" | cut -f1), recommended)" lint --format json "$mid"
measure "public-x12.yaml ($(du -h "$mid" | cut -f1), --pack all)" lint --pack all --format json "$mid"
measure "public-x124.yaml ($(du -h "$big" | cut -f1), recommended)" lint --format json "$big"
measure "public-x124.yaml ($(du -h "$big" | cut -f1), --pack all)" lint --pack all --format json "$big"
measure "public-x124.yaml, -j 1" lint --pack all --format json -j 1 "$big"
measure "real-world/ (directory walk)" lint --pack all --format json "$corpus/real-world"
