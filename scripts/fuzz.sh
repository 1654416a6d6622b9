#!/usr/bin/env bash
# Fuzz the loader and the loader + engine + reporters for a fixed budget each, seeded with
# the repository's fixtures and the shared corpus; print executions and crashes per target.
# Exit 1 when a target crashed (the input is in fuzz/artifacts/TARGET/: minimise it with
# `cargo fuzz tmin`, and add it to tests/hostile.rs as a regression test).
#
# usage: scripts/fuzz.sh [SECONDS_PER_TARGET]     (default 120)
# env:   KSPM_CORPUS      seed material (default ../shared/corpus; optional)
#        FUZZ_TARGETS     targets to run (default "loader lint")
#        FUZZ_SANITIZER   none (default: the code has no `unsafe`) or address
#
# cargo-fuzz needs nightly features: `cargo +nightly` when a nightly toolchain is installed,
# else the stable toolchain with RUSTC_BOOTSTRAP=1. cargo-fuzz itself is installed from
# crates.io when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
budget=${1:-120}
targets=${FUZZ_TARGETS:-loader lint}
sanitizer=${FUZZ_SANITIZER:-none}
corpus_src=${KSPM_CORPUS:-$root/../shared/corpus}
max_len=65536

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "installing cargo-fuzz" >&2
    cargo install cargo-fuzz --locked >&2
fi
if RUSTUP_AUTO_INSTALL=0 cargo +nightly --version >/dev/null 2>&1; then
    fuzz=(cargo +nightly fuzz)
else
    export RUSTC_BOOTSTRAP=1
    fuzz=(cargo fuzz)
fi

# Seed corpus: every small YAML/JSON file of the fixtures, the regression inputs and the
# shared corpus, named by content hash so reruns do not duplicate them.
seed() {
    local dir=$1
    mkdir -p "$dir"
    {
        find testdata -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' \) -size -64k
        [ -d testdata/hostile ] && find testdata/hostile -type f -size -64k
        [ -d "$corpus_src" ] &&
            find "$corpus_src" -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' \) -size -64k
    } | sort -u | while IFS= read -r f; do
        cp "$f" "$dir/seed-$(sha1sum "$f" | cut -c1-16)"
    done
}

status=0
summary=()
for t in $targets; do
    corpus="fuzz/corpus/$t"
    seed "$corpus"
    artifacts="fuzz/artifacts/$t"
    mkdir -p "$artifacts"
    before=$(find "$artifacts" -type f | wc -l)
    log="fuzz/$t.log"
    started=$(date +%s)
    set +e
    (cd fuzz && "${fuzz[@]}" run --sanitizer "$sanitizer" "$t" "corpus/$t" -- \
        -max_total_time="$budget" -max_len=$max_len -timeout=30 -rss_limit_mb=2048 \
        -print_final_stats=1) >"$log" 2>&1
    rc=$?
    set -e
    took=$(($(date +%s) - started))
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
    crashes=$(($(find "$artifacts" -type f | wc -l) - before))
    inputs=$(find "$corpus" -type f | wc -l)
    line="$t: ${execs:-?} executions in ${budget}s ($took s with the build), corpus $inputs inputs, $crashes new crash(es), exit $rc"
    summary+=("$line")
    if [ "$rc" -ne 0 ] || [ "$crashes" -ne 0 ]; then
        status=1
        echo "--- $t failed; the end of $log:" >&2
        grep -v '^#[0-9]' "$log" | tail -40 | cut -c1-300 >&2
        find "$artifacts" -type f -newer "$corpus" | sed 's/^/crash input: /' >&2
    fi
done
printf '%s\n' "${summary[@]}"
exit $status
