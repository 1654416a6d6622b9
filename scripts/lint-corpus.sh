#!/usr/bin/env bash
# Lint every real-world folder of the corpus with every rule: no crash, and every error
# names a file and a line. Usage: lint-corpus.sh KSPM_BIN CORPUS_DIR
set -euo pipefail
bin=$1
corpus=$2
[ -d "$corpus/real-world" ] || { echo "corpus missing: $corpus/real-world"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
for dir in "$corpus"/real-world/* "$corpus"/rendered/kustomize "$corpus"/big/public.yaml; do
  [ -e "$dir" ] || continue
  set +e
  "$bin" lint --pack all --format json "$dir" >"$tmp/out.json" 2>"$tmp/err.txt"
  rc=$?
  set -e
  if ! python3 - "$dir" "$rc" "$tmp/out.json" "$tmp/err.txt" <<'PY'
import json, sys
target, rc, out, err = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
stderr = open(err).read()
if rc not in (0, 1, 2) or "panicked" in stderr:
    print(f"{target}: crashed (exit {rc}): {stderr[-400:]}"); sys.exit(1)
data = json.load(open(out))
bad = [e for e in data["errors"] if not e.get("path") or not e.get("line")]
for e in data["errors"]:
    print(f"  error {e['path']}:{e['line']}:{e['column']}: {e['message']}")
if bad:
    print(f"{target}: errors without a file and line: {bad[:5]}"); sys.exit(1)
s = data["summary"]
print(f"{target}: exit {rc}, {s['files']} files, {s['objects']} objects, {s['findings']} findings, {s['errors']} errors")
PY
  then status=1; fi
done
exit $status
