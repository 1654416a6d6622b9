#!/usr/bin/env bash
# The GitLab CI template (templates/kspm.gitlab-ci.yml): its YAML checked against the job
# keywords GitLab accepts and the reports it publishes, then its script run the way a
# GitLab runner runs it (one bash script, `set -eo pipefail`, GitLab's CI_* variables and
# the template's variables), checking the exit status and the Code Quality, SARIF and
# JUnit files it leaves for artifacts. Usage: scripts/test-gitlab.sh [KSPM_BINARY]
# KSPM_TEST_GITLAB_BUILD=0 skips the case that installs kspm with `cargo install --git`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$(cd "$(dirname "${1:-$root/target/release/kspm}")" && pwd)/$(basename "${1:-kspm}")
[ -x "$bin" ] || { echo "no kspm binary at $bin"; exit 2; }
template=$root/templates/kspm.gitlab-ci.yml
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
python3 - "$root/README.md" "$root/templates/kspm.gitlab-ci.yml" <<'PY' && echo "ok   README shows templates/kspm.gitlab-ci.yml" || fail=1
import sys
readme, snippet = (open(p).read() for p in sys.argv[1:])
assert snippet in readme, "README must show templates/kspm.gitlab-ci.yml verbatim"
PY

python3 - "$template" "$work/job.sh" "$work/vars.sh" <<'PY'
import shlex, sys, yaml
doc = yaml.safe_load(open(sys.argv[1]))
JOB_KEYS = {"stage", "image", "script", "before_script", "after_script", "variables", "rules",
            "cache", "artifacts", "needs", "tags", "allow_failure", "when", "timeout",
            "retry", "interruptible", "extends", "services", "dependencies", "environment"}
GLOBAL = {"variables", "include", "stages", "default", "workflow"}
jobs = {k: v for k, v in doc.items() if k not in GLOBAL}
assert list(jobs) == ["kspm"], f"one job, `kspm`: {list(jobs)}"
job = jobs["kspm"]
unknown = set(job) - JOB_KEYS
assert not unknown, f"unknown job keywords {unknown}"
assert isinstance(job["script"], list) and all(isinstance(l, str) for l in job["script"])
variables = doc["variables"]
for name, v in variables.items():
    assert isinstance(v, dict) and set(v) == {"value", "description"}, name
    assert isinstance(v["value"], str) and v["description"].strip(), f"{name}: value and description"
script = "\n".join(job["script"])
for name in variables:
    if name != "KSPM_IMAGE":
        assert f"${name}" in script or "${" + name in script, f"{name} is documented but unused"
assert job["image"] == "$KSPM_IMAGE"
art = job["artifacts"]
assert art["when"] == "always", "reports must be kept when the job fails"
cq = art["reports"]["codequality"]
assert f"--format gitlab --output {cq}" in script, "codequality report is the file kspm writes"
assert f"--format junit --output {art['reports']['junit']}" in script
assert "kspm.sarif" in art["paths"] and "--format sarif --output kspm.sarif" in script
with open(sys.argv[2], "w") as f:
    f.write("\n".join(job.get("before_script", []) + job["script"]) + "\n")
with open(sys.argv[3], "w") as f:
    for name, v in variables.items():
        f.write(f"[ -n \"${{{name}+set}}\" ] || {name}={shlex.quote(v['value'])}\nexport {name}\n")
print(f"ok   {sys.argv[1].rsplit('/', 1)[-1]}: valid job, {len(variables)} documented variables, "
      "codequality + junit reports, SARIF artifact")
PY

ws=$work/project
mkdir -p "$ws/k8s"
cp "$root/testdata/formats/pods.yaml" "$ws/k8s/bad.yaml"
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {mode: production}\n' >"$ws/k8s/good.yaml"

# job [VAR=VALUE]... : run the job's script as a runner would; sets $status.
job() {
  rm -f "$ws"/gl-code-quality-report.json "$ws"/kspm.sarif "$ws"/kspm-junit.xml
  status=0
  (cd "$ws" && env -i HOME="$HOME" PATH="${JOB_PATH:-$(dirname "$bin"):$PATH}" \
    CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}" RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}" \
    ${CARGO_TARGET_DIR:+CARGO_TARGET_DIR=$CARGO_TARGET_DIR} \
    CI=true GITLAB_CI=true CI_PROJECT_DIR="$ws" CI_JOB_NAME=kspm CI_JOB_STAGE=test \
    CI_COMMIT_SHA=0000000000000000000000000000000000000000 CI_PIPELINE_SOURCE=merge_request_event \
    CI_SERVER_URL=https://gitlab.example.com "$@" \
    bash --noprofile --norc -c 'set -eo pipefail; . "$1"; . "$2"' job "$work/vars.sh" "$work/job.sh" \
    >"$work/log.txt" 2>&1) || status=$?
}
check() { # NAME CONDITION
  if eval "$2"; then echo "ok   $1"; else echo "FAIL $1 (exit $status)"; tail -30 "$work/log.txt"; fail=1; fi
}
reports_ok() { # EXPECTED_FINDINGS
  python3 - "$ws" "$1" <<'PY'
import json, sys, xml.etree.ElementTree as ET
ws, n = sys.argv[1], int(sys.argv[2])
cq = json.load(open(f"{ws}/gl-code-quality-report.json"))
assert isinstance(cq, list) and len(cq) == n, (len(cq), n)
for issue in cq:
    for k in ("description", "check_name", "fingerprint", "severity", "location"):
        assert k in issue, k
    assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
    assert issue["location"]["path"] and issue["location"]["lines"]["begin"] >= 1
assert len({i["fingerprint"] for i in cq}) == n, "fingerprints unique"
sarif = json.load(open(f"{ws}/kspm.sarif"))
assert sarif["version"] == "2.1.0"
assert len([r for r in sarif["runs"][0]["results"] if not r.get("suppressions")]) == n
ET.parse(f"{ws}/kspm-junit.xml")
PY
}
expected=$(cd "$ws" && { "$bin" lint --format json k8s || true; } | python3 -c 'import json,sys; print(json.load(sys.stdin)["summary"]["findings"])')

job KSPM_PATHS=k8s
check "findings fail the job" '[ $status = 1 ]'
check "log shows the findings" 'grep -q "privileged-container" "$work/log.txt"'
check "code quality, SARIF and JUnit reports hold the $expected findings" 'reports_ok "$expected"'

job KSPM_PATHS=k8s/good.yaml
check "clean input passes" '[ $status = 0 ]'
check "clean input: empty reports" 'reports_ok 0'

job KSPM_PATHS=k8s KSPM_FAIL_ON=never
check "KSPM_FAIL_ON=never passes and still reports" '[ $status = 0 ] && reports_ok "$expected"'

job KSPM_PATHS=k8s/bad.yaml "KSPM_ARGS=--rule host-pid" KSPM_FAIL_ON=critical
check "KSPM_ARGS and KSPM_FAIL_ON reach kspm" '[ $status = 0 ] && reports_ok 1'

baseline=$(cd "$ws" && { "$bin" lint --pack pss-baseline --format json k8s || true; } | python3 -c 'import json,sys; print(json.load(sys.stdin)["summary"]["findings"])')
job KSPM_PATHS=k8s KSPM_PACKS=pss-baseline,pss-restricted
check "KSPM_PACKS reaches kspm" '[ $status = 1 ] && [ "$(python3 -c "import json;print(len(json.load(open(\"$ws/gl-code-quality-report.json\"))))")" -ge "$baseline" ]'

job KSPM_PATHS=k8s/missing.yaml
check "an input that cannot be linted fails with 2" '[ $status = 2 ]'

job
check "default KSPM_PATHS (.) lints the project" '[ $status = 1 ] && reports_ok "$expected"'

if [ "${KSPM_TEST_GITLAB_BUILD:-1}" != 0 ]; then
  # No kspm in the image: the job installs it with `cargo install --locked --git`, from this
  # repository's HEAD (a file:// URL, offline), into the cached .kspm folder.
  start=$(date +%s)
  JOB_PATH=$PATH \
    CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target} \
    job KSPM_PATHS=k8s KSPM_GIT_URL="file://$root" KSPM_GIT_REF="$(git -C "$root" rev-parse HEAD)"
  check "cargo install --git installs kspm into .kspm/ and the job runs it ($(($(date +%s) - start))s)" \
    '[ $status = 1 ] && [ -x "$ws/.kspm/bin/kspm" ] && reports_ok "$expected"'
fi

if [ $fail -ne 0 ]; then echo "GitLab template: FAILED"; exit 1; fi
echo "GitLab template: all cases passed"
