#!/usr/bin/env bash
# Validate kspm's SARIF the way GitHub code scanning will read it (CI, not cargo test).
# Usage: check-sarif-output.sh KSPM_BIN DIR [OUT.sarif [EXTRA LINT ARGS...]]
# Runs `kspm lint --format sarif --output OUT.sarif [EXTRA] DIR` twice (the log must be byte-identical),
# checks that no URI is absolute, then runs shared/tools/check-sarif.sh on it.
# shared/ is $KSPM_SHARED, else ../shared next to the repository root.
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 KSPM_BIN DIR [OUT.sarif [LINT ARGS...]]" >&2; exit 2; }
bin=$1
dir=$2
root=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
shared=${KSPM_SHARED:-$root/../shared}
check="$shared/tools/check-sarif.sh"
[ -x "$check" ] || { echo "missing $check (set KSPM_SHARED)" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
out=${3:-$tmp/out.sarif}
extra=("${@:4}")

run() {
  # Exit 1 means findings and 2 an input that could not be linted; both still write a log.
  local rc=0
  "$bin" lint --format sarif --output "$1" "${extra[@]}" "$dir" || rc=$?
  if [ "$rc" -gt 2 ] || [ ! -s "$1" ]; then
    echo "kspm lint failed (exit $rc) or wrote no SARIF to $1" >&2
    exit 1
  fi
}
run "$out"
run "$tmp/again.sarif"
cmp -s "$out" "$tmp/again.sarif" || { echo "SARIF differs between two runs" >&2; exit 1; }

python3 - "$out" <<'PY'
import json, sys
log = json.load(open(sys.argv[1]))
bad = []
for run in log["runs"]:
    locs = [l for r in run.get("results", []) for l in r.get("locations", [])]
    for inv in run.get("invocations", []):
        for n in inv.get("toolExecutionNotifications", []):
            locs += n.get("locations", [])
    for l in locs:
        uri = l.get("physicalLocation", {}).get("artifactLocation", {}).get("uri", "")
        if uri.startswith(("/", "file:")) or ":" in uri.split("/")[0] or "\\" in uri:
            bad.append(uri)
for uri in sorted(set(bad))[:20]:
    print(f"{sys.argv[1]}: absolute or non-portable uri: {uri}")
sys.exit(1 if bad else 0)
PY

"$check" "$out"
