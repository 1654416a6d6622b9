//! Baselines end to end: `kspm baseline` records, `kspm lint --baseline` hides exactly
//! those findings across line shifts and unrelated edits, and a finding that changes (or a
//! new copy of one) is new.

mod common;

use std::fs;
use std::path::Path;
use std::process::Output;

use common::kspm_dated;
use serde_json::Value;

const WEB: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    spec:
      hostPID: true
      containers:
        - name: app
          image: registry.example/app:1.2
          ports:
            - containerPort: 8080
              hostPort: 8080
";

const RULES: &[&str] = &[
    "--rule",
    "host-pid",
    "--rule",
    "host-port",
    "--rule",
    "unused-suppression",
];

fn kspm(dir: &Path, args: &[&str]) -> Output {
    kspm_dated(dir, args, "2025-06-01")
}

fn repo() -> tempfile::TempDir {
    common::repo(&[("k8s/web.yaml", WEB)])
}

fn record(dir: &Path) {
    let mut args = vec!["baseline", "--output", "kspm-baseline.json"];
    args.extend(RULES);
    args.push("k8s");
    let out = kspm(dir, &args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `rule@line` of what `lint --baseline` still reports, and the exit code.
fn lint(dir: &Path, cwd: &str, baseline: &str, target: &str) -> (Vec<String>, Option<i32>) {
    let mut args = vec!["lint", "--format", "json", "--baseline", baseline];
    args.extend(RULES);
    args.push(target);
    let out = kspm(&dir.join(cwd), &args);
    let v: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    let found = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{}@{}:{}",
                f["rule"].as_str().unwrap(),
                f["path"].as_str().unwrap(),
                f["line"]
            )
        })
        .collect();
    (found, out.status.code())
}

#[test]
fn the_baseline_file_is_readable_and_stable() {
    let dir = repo();
    record(dir.path());
    let text = fs::read_to_string(dir.path().join("kspm-baseline.json")).unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["version"], 1);
    let entries = v["findings"].as_array().unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0]["rule"], "host-pid");
    assert_eq!(entries[0]["path"], "k8s/web.yaml");
    assert_eq!(entries[0]["object"], "Deployment shop/web");
    assert_eq!(entries[0]["yaml_path"], "spec.template.spec.hostPID");
    assert_eq!(entries[0]["fingerprint"].as_str().unwrap().len(), 32);
    assert!(!text.contains("\"line\""), "no positions: they shift");
    // Recording again gives the same bytes.
    record(dir.path());
    assert_eq!(
        text,
        fs::read_to_string(dir.path().join("kspm-baseline.json")).unwrap()
    );
}

#[test]
fn hides_exactly_the_recorded_findings() {
    let dir = repo();
    record(dir.path());
    assert_eq!(
        lint(dir.path(), ".", "kspm-baseline.json", "k8s"),
        (vec![], Some(0))
    );
}

#[test]
fn survives_line_shifts_and_unrelated_edits() {
    let dir = repo();
    record(dir.path());
    let edited = format!(
        "# a new header comment\n\n{}",
        WEB.replace(
            "  namespace: shop\n",
            "  namespace: shop\n  labels:\n    team: payments\n"
        )
        .replace(
            "image: registry.example/app:1.2",
            "image: registry.example/app:1.3"
        )
        .replace(
            "      hostPID: true\n",
            "      hostPID: yes   # YAML 1.1 true, same value\n"
        )
    );
    fs::write(dir.path().join("k8s/web.yaml"), edited).unwrap();
    assert_eq!(
        lint(dir.path(), ".", "kspm-baseline.json", "k8s"),
        (vec![], Some(0))
    );
}

#[test]
fn a_changed_finding_is_new() {
    let dir = repo();
    record(dir.path());
    fs::write(
        dir.path().join("k8s/web.yaml"),
        WEB.replace("hostPort: 8080", "hostPort: 9090"),
    )
    .unwrap();
    assert_eq!(
        lint(dir.path(), ".", "kspm-baseline.json", "k8s"),
        (
            vec![
                "host-port@k8s/web.yaml:15".to_string(),
                "unused-suppression@kspm-baseline.json:13".to_string()
            ],
            Some(1)
        )
    );
}

#[test]
fn a_second_copy_is_new() {
    let dir = repo();
    record(dir.path());
    let copy = WEB.replace("name: web", "name: web-canary");
    fs::write(dir.path().join("k8s/web.yaml"), format!("{WEB}---\n{copy}")).unwrap();
    let (found, code) = lint(dir.path(), ".", "kspm-baseline.json", "k8s");
    assert_eq!(
        found,
        ["host-pid@k8s/web.yaml:25", "host-port@k8s/web.yaml:31"]
    );
    assert_eq!(code, Some(1));
}

#[test]
fn paths_are_relative_to_the_baseline_file() {
    let dir = repo();
    record(dir.path());
    // From inside k8s/, the finding is `web.yaml`; the baseline still knows it.
    assert_eq!(
        lint(dir.path(), "k8s", "../kspm-baseline.json", "."),
        (vec![], Some(0))
    );
    // And with an absolute argument.
    let abs = dir.path().join("k8s");
    let (found, _) = lint(dir.path(), ".", "kspm-baseline.json", abs.to_str().unwrap());
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn stale_entries_are_reported_once_without_failing() {
    let dir = repo();
    record(dir.path());
    fs::write(
        dir.path().join("k8s/web.yaml"),
        WEB.replace("      hostPID: true\n", "")
            .replace("              hostPort: 8080\n", ""),
    )
    .unwrap();
    let mut args = vec![
        "lint",
        "--format",
        "json",
        "--baseline",
        "kspm-baseline.json",
    ];
    args.extend(RULES);
    args.push("k8s");
    let out = kspm(dir.path(), &args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "fixing findings never fails the build"
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let f = &v["findings"].as_array().unwrap()[..];
    assert_eq!(f.len(), 1);
    assert_eq!(f[0]["rule"], "unused-suppression");
    assert_eq!(f[0]["severity"], "info");
    assert_eq!(f[0]["path"], "kspm-baseline.json");
    assert_eq!(f[0]["line"], 5);
    assert!(
        f[0]["message"]
            .as_str()
            .unwrap()
            .starts_with("2 baseline entries match no finding")
    );
}

#[test]
fn suppressed_by_the_baseline_shows_as_external_in_sarif() {
    let dir = repo();
    record(dir.path());
    let mut args = vec![
        "lint",
        "--format",
        "sarif",
        "--baseline",
        "kspm-baseline.json",
    ];
    args.extend(RULES);
    args.push("k8s");
    let out = kspm(dir.path(), &args);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let results = v["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    for r in results {
        assert_eq!(r["suppressions"][0]["kind"], "external");
        assert_eq!(r["suppressions"][0]["properties"]["by"], "baseline");
    }
}

#[test]
fn a_file_that_is_not_a_baseline_is_a_located_error() {
    let dir = repo();
    fs::write(
        dir.path().join("b.json"),
        "{\n  \"version\": 2,\n  \"findings\": []\n}\n",
    )
    .unwrap();
    let out = kspm(dir.path(), &["lint", "--baseline", "b.json", "k8s"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("b.json:2:14: not a kspm baseline"), "{err}");
    let out = kspm(dir.path(), &["lint", "--baseline", "missing.json", "k8s"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn baseline_to_stdout_and_what_it_leaves_out() {
    let dir = repo();
    // An annotation-suppressed finding is not recorded; neither are findings about
    // suppressions.
    fs::write(
        dir.path().join("k8s/web.yaml"),
        WEB.replace(
            "  namespace: shop\n",
            "  namespace: shop\n  annotations:\n    ignore.kspm.dev/host-pid: accepted\n    ignore.kspm.dev/host-ipc: unused\n",
        ),
    )
    .unwrap();
    let out = kspm(
        dir.path(),
        &[
            "baseline",
            "--rule",
            "host-pid",
            "--rule",
            "host-ipc",
            "--rule",
            "host-port",
            "--rule",
            "unused-suppression",
            "k8s",
        ],
    );
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["host-port"]);
}
