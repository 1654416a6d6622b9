#!/usr/bin/env bash
# The pre-commit hook, run by pre-commit itself: `pre-commit try-repo <this repo> kspm` in a
# throw-away git repository. pre-commit builds the hook from this repository's HEAD (plus
# uncommitted changes to tracked files) with `cargo install`, in a fresh PRE_COMMIT_HOME so
# the first build is timed. Usage: scripts/test-precommit.sh [PROJECT]
# Needs: git, cargo, python3 (pre-commit is installed from PyPI if missing).
set -euo pipefail
project=$(cd "${1:-$(dirname "$0")/..}" && pwd)
command -v pre-commit >/dev/null || python3 -m pip install -q --disable-pip-version-check pre-commit
pre-commit --version

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export PRE_COMMIT_HOME=${KSPM_PRE_COMMIT_HOME:-$work/cache}
# try-repo builds the hook afresh on every call (its store is a new temporary folder); one
# cold target folder shared by the builds keeps the later ones to the kspm crate itself.
export CARGO_TARGET_DIR=${KSPM_PRE_COMMIT_TARGET:-$work/target}
export PRE_COMMIT_COLOR=never NO_COLOR=1
repo=$work/repo
mkdir -p "$repo"
cd "$repo"
git init -q .
git config user.email ci@example.com
git config user.name ci

good_deployment() { # name image
  cat <<EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  name: $1
  namespace: shop
spec:
  replicas: 2
  selector:
    matchLabels: {app: $1}
  template:
    metadata:
      labels: {app: $1}
    spec:
      automountServiceAccountToken: false
      securityContext:
        runAsNonRoot: true
        seccompProfile: {type: RuntimeDefault}
      containers:
        - name: $1
          image: $2
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities: {drop: [ALL]}
          resources:
            limits: {cpu: 500m, memory: 256Mi}
            requests: {cpu: 100m, memory: 128Mi}
EOF
}
digest=sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
good_deployment web "registry.example.com/web@$digest" >good.yaml
cat >bad.yaml <<'EOF'
apiVersion: v1
kind: Pod
metadata:
  name: debug
spec:
  containers:
    - name: shell
      image: busybox:1.36
      securityContext:
        privileged: true
EOF

# Kustomize: a patch that is not a valid object on its own (it would draw findings alone);
# through its build it only changes the image.
mkdir -p app/base app/prod
good_deployment api "registry.example.com/api@$digest" >app/base/deployment.yaml
printf 'resources: [deployment.yaml]\n' >app/base/kustomization.yaml
printf 'resources: [../base]\npatches:\n  - path: patch.yaml\n' >app/prod/kustomization.yaml
cat >app/prod/patch.yaml <<'EOF'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  template:
    spec:
      containers:
        - name: api
          image: registry.example.com/api:2.0.1@sha256:fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210
EOF
# The same overlay with a patch that makes the container privileged.
mkdir -p bad-app
printf 'resources: [../app/base]\npatches:\n  - path: patch.yaml\n' >bad-app/kustomization.yaml
cat >bad-app/patch.yaml <<'EOF'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  template:
    spec:
      containers:
        - name: api
          securityContext:
            privileged: true
EOF
# A Helm chart: its template is not YAML until rendered.
mkdir -p chart/templates
printf 'apiVersion: v2\nname: web\nversion: 0.1.0\n' >chart/Chart.yaml
printf 'image: nginx:1.27\n' >chart/values.yaml
cat >chart/templates/pod.yaml <<'EOF'
apiVersion: v1
kind: Pod
metadata:
  name: {{ .Release.Name }}-web
spec:
  containers:
    - name: web
      image: {{ .Values.image }}
EOF
# Files the hook matches that are not Kubernetes objects: skipped.
mkdir -p config
printf 'log_level: debug\nfeatures: [a, b]\n' >config/settings.yaml
printf '{"name": "site", "version": "1.0.0"}\n' >config/package.json
git add -A

fail=0
out=$work/out.txt
python3 - "$project/README.md" "$project/templates/pre-commit-config.yaml" <<'PY' && echo "ok   README shows templates/pre-commit-config.yaml" || fail=1
import sys
readme, snippet = (open(p).read() for p in sys.argv[1:])
assert snippet in readme, "README must show templates/pre-commit-config.yaml verbatim"
PY
# run NAME EXPECT(pass|block) FILE... : the hook's verdict and output for these files.
run() {
  local name=$1 expect=$2 rc=0
  shift 2
  if [ "$mode" = try-repo ]; then
    pre-commit try-repo "$project" kspm --verbose --files "$@" >"$out" 2>&1 || rc=$?
  else
    pre-commit run kspm --verbose --files "$@" >"$out" 2>&1 || rc=$?
  fi
  sed 's/^/    /' "$out"
  if [ "$expect" = pass ] && [ $rc -ne 0 ]; then
    echo "FAIL $name: the hook blocked (exit $rc), expected it to pass"; fail=1
  elif [ "$expect" = block ] && [ $rc -eq 0 ]; then
    echo "FAIL $name: the hook passed, expected it to block"; fail=1
  else
    echo "ok   $name ($mode: $expect, exit $rc)"
  fi
}
expect_output() { # NAME TEXT
  if grep -qF -- "$2" "$out"; then echo "ok   $1: output shows \`$2\`"; else
    echo "FAIL $1: output lacks \`$2\`"; fail=1; fi
}

mode=try-repo
start=$(date +%s)
run "good manifest (first run: builds the hook)" pass good.yaml
build_secs=$(($(date +%s) - start))
echo "pre-commit hook first build and run: ${build_secs}s"
[ -n "${GITHUB_STEP_SUMMARY:-}" ] && echo "pre-commit hook first build: ${build_secs}s" >>"$GITHUB_STEP_SUMMARY"
expect_output "good manifest" "Passed"
size=$(wc -c <"$CARGO_TARGET_DIR/release/kspm" 2>/dev/null || echo "?")
echo "release binary built by the hook: $size bytes"

run "bad manifest" block bad.yaml
expect_output "bad manifest" "privileged-container"
expect_output "bad manifest" "bad.yaml:10:"

# The rest through the README's .pre-commit-config.yaml (templates/pre-commit-config.yaml),
# pointed at this repository's HEAD: pre-commit installs it once more, then reuses it.
rev=$(git -C "$project" rev-parse HEAD)
sed -e "s|repo: https://github.com/[^ ]*|repo: $project|" -e "s|rev: main|rev: $rev|" \
  "$project/templates/pre-commit-config.yaml" >.pre-commit-config.yaml
git add .pre-commit-config.yaml
mode=run
run "good and bad together" block good.yaml bad.yaml
expect_output "good and bad together" "bad.yaml"

if command -v kustomize >/dev/null || command -v kubectl >/dev/null; then
  run "kustomize patch, linted through its overlay" pass app/prod/patch.yaml
  run "kustomize base file, linted through its build" pass app/base/deployment.yaml
  run "privileged kustomize patch" block bad-app/patch.yaml
  expect_output "privileged kustomize patch" "bad-app/patch.yaml"
  expect_output "privileged kustomize patch" "privileged-container"
else
  echo "skip kustomize cases: neither kustomize nor kubectl is on PATH"
fi

# With helm on PATH kspm runs it; without, its own renderer: either way the template is linted
# as its chart and findings land on the template's lines, never a YAML error in the template.
run "chart template, linted as its chart" block chart/templates/pod.yaml
expect_output "chart template" "chart/templates/pod.yaml:"
expect_output "chart template" "rendered by helm from chart"

run "YAML and JSON that are not Kubernetes objects" pass config/settings.yaml config/package.json

if [ $fail -ne 0 ]; then echo "pre-commit hook: FAILED"; exit 1; fi
echo "pre-commit hook: all cases passed (first build ${build_secs}s)"
