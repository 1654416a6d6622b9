#!/usr/bin/env bash
# The GitHub Action: action.yml checked against the action metadata rules, the README's
# workflow (templates/github-workflow.yml) checked to call it with declared inputs, then the
# action's steps run by scripts/run-action.py with a simulated runner (GITHUB_OUTPUT,
# GITHUB_STEP_SUMMARY, GITHUB_PATH files), checking the outputs, annotations, summary and
# SARIF. Usage: scripts/test-action.sh [KSPM_BINARY]   (default target/release/kspm)
# KSPM_TEST_ACTION_BUILD=0 skips the case that installs kspm from source with cargo.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$(cd "$(dirname "${1:-$root/target/release/kspm}")" && pwd)/$(basename "${1:-kspm}")
[ -x "$bin" ] || { echo "no kspm binary at $bin"; exit 2; }
python3 "$root/scripts/check-action.py" "$root/action.yml"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
python3 - "$root/README.md" "$root/templates/github-workflow.yml" <<'PY' && echo "ok   README shows templates/github-workflow.yml" || fail=1
import sys
readme, snippet = (open(p).read() for p in sys.argv[1:])
assert snippet in readme, "README must show templates/github-workflow.yml verbatim"
PY
check() { # NAME PYTHON-CONDITION over r (the run report) and out (its log)
  if python3 - "$work/report.json" "$work/log.txt" "$2" <<'PY'; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi
import json, sys
r = json.load(open(sys.argv[1])); out = open(sys.argv[2]).read()
o = r["outputs"]
ok = eval(sys.argv[3])
if not ok:
    print(json.dumps(r, indent=2)[:3000]); print(out[-3000:])
sys.exit(0 if ok else 1)
PY
}
# run INPUT=VALUE... : run the action in the workspace, with kspm (the binary) on PATH.
run() {
  PATH="$(dirname "$bin"):$PATH" python3 "$root/scripts/run-action.py" "$root" "$ws" \
    --report "$work/report.json" "${@/#/--input=}" >"$work/log.txt" 2>&1 || true
}

# The README workflow calls the action with inputs it declares.
python3 - "$root/templates/github-workflow.yml" "$root/action.yml" <<'PY'
import sys, yaml
wf, action = (yaml.safe_load(open(p)) for p in sys.argv[1:])
declared = set(action["inputs"])
steps = [s for job in wf["jobs"].values() for s in job["steps"] if "kspm" in str(s.get("uses", ""))]
assert steps, "the workflow never uses the action"
for s in steps:
    unknown = set(s.get("with", {})) - declared
    assert not unknown, f"workflow passes undeclared inputs {unknown}"
    assert all(isinstance(v, str) for v in s["with"].values()), "inputs are strings"
print("ok   templates/github-workflow.yml uses only declared inputs")
PY

ws=$work/ws
mkdir -p "$ws/k8s"
cp "$root/testdata/formats/pods.yaml" "$ws/k8s/bad.yaml"
cat >"$ws/k8s/good.yaml" <<'EOF'
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  mode: production
EOF
(cd "$ws" && "$bin" lint --format json --output "$work/expected.json" k8s) || true
expected=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["summary"]["findings"])' "$work/expected.json")
echo "expecting $expected finding(s) in k8s/"

run version=path paths=k8s
check "findings fail the step" 'r["failed"] and o["exit-code"] == "1"'
check "findings output = kspm's count ($expected)" "o['findings'] == '$expected' and int(o['findings']) > 0"
check "errors output is 0" 'o["errors"] == "0"'
check "sarif-file output names the SARIF written" 'o["sarif-file"] == "kspm.sarif"'
check "annotations in the log" '"::error file=k8s/bad.yaml,line=" in out or "::warning file=k8s/bad.yaml,line=" in out'
check "step summary written" 'len(r["summary"].strip()) > 0 and "bad.yaml" in r["summary"]'
check "no upload without upload-sarif" 'not any("upload-sarif" in u["uses"] for u in r["uses"])'
check "cache and install skipped with version: path" 'all(s["outcome"] == "skipped" for s in r["steps"][1:3])'
python3 - "$ws/kspm.sarif" "$expected" <<'PY' && echo "ok   SARIF is 2.1.0 with the findings" || { echo "FAIL SARIF"; fail=1; }
import json, sys
s = json.load(open(sys.argv[1]))
assert s["version"] == "2.1.0", s["version"]
results = [r for r in s["runs"][0]["results"] if not r.get("suppressions")]
assert len(results) == int(sys.argv[2]), (len(results), sys.argv[2])
PY

run version=path paths=k8s/good.yaml
check "clean input passes, 0 findings" 'not r["failed"] and o["findings"] == "0" and o["exit-code"] == "0"'

run version=path "paths=k8s" fail-on=never upload-sarif=true category=k8s sarif-file=reports/kspm.sarif
check "fail-on: never reports and passes" 'not r["failed"] and o["exit-code"] == "0" and int(o["findings"]) > 0'
check "upload-sarif uploads the report" 'any(u["uses"].startswith("github/codeql-action/upload-sarif@") and u["with"]["sarif_file"] == "./reports/kspm.sarif" and u["with"]["category"] == "k8s" for u in r["uses"])'

baseline=$(cd "$ws" && { "$bin" lint --pack pss-baseline --format json k8s || true; } | python3 -c 'import json,sys; print(json.load(sys.stdin)["summary"]["findings"])')
run version=path paths=k8s packs=pss-baseline format=human
check "packs reach kspm ($baseline pss-baseline findings)" "o['findings'] == '$baseline' and '$baseline' != '$expected'"
run version=path paths=k8s/bad.yaml "args=--rule host-pid" fail-on=critical
check "args and fail-on reach kspm (a high finding passes fail-on: critical)" 'not r["failed"] and o["exit-code"] == "0" and o["findings"] == "1"'

run version=path paths=k8s/missing.yaml
check "an input that cannot be linted fails with exit-code 2" 'r["failed"] and o["exit-code"] == "2"'

run version=path format=yaml
check "an unknown format fails the step" 'r["failed"]'

if [ "${KSPM_TEST_ACTION_BUILD:-1}" != 0 ]; then
  # version "" builds the action's own source with cargo install (reusing target/ here);
  # kspm is not on PATH for this run.
  start=$(date +%s)
  CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target} \
    python3 "$root/scripts/run-action.py" "$root" "$ws" --report "$work/report.json" \
    --input paths=k8s/good.yaml >"$work/log.txt" 2>&1 || true
  check "version \"\" installs kspm from the action's source ($(($(date +%s) - start))s)" \
    'not r["failed"] and r["steps"][2]["outcome"] == "success" and "kspm/source-" in out + json.dumps(r) or print(out)'
fi

if [ $fail -ne 0 ]; then echo "GitHub Action: FAILED"; exit 1; fi
echo "GitHub Action: all cases passed"
