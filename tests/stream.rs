//! `--format json` over plain manifests is written while linting (src/lint_stream.rs); the
//! hidden `--no-stream` holds every finding first, as the other formats do. Both must give
//! the same bytes and exit status for every kind of finding: per-object and cross-object
//! findings, every suppression mechanism (used, unused, expired, malformed), listed
//! suppressed findings, load errors, several files and several ranges of one file.

mod common;

use std::path::Path;

use common::{kspm_cmd, repo};

/// Run `lint --format json ARGS` both ways in `dir` and compare.
fn same_both_ways(dir: &Path, args: &[&str]) {
    let run = |extra: &[&str]| {
        kspm_cmd()
            .arg("lint")
            .args(["--format", "json"])
            .args(args)
            .args(extra)
            .current_dir(dir)
            .env("KSPM_TODAY", "2025-06-01")
            .output()
            .expect("run kspm")
    };
    let streamed = run(&[]);
    let collected = run(&["--no-stream"]);
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    assert_eq!(
        streamed.status.code(),
        collected.status.code(),
        "{args:?}: {}",
        text(&streamed.stderr)
    );
    assert!(
        !streamed.stdout.is_empty(),
        "{args:?}: {}",
        text(&streamed.stderr)
    );
    assert!(
        streamed.stdout == collected.stdout,
        "{args:?}: the streamed report differs:\n{}",
        first_difference(&text(&streamed.stdout), &text(&collected.stdout))
    );
}

fn first_difference(a: &str, b: &str) -> String {
    let line = a
        .lines()
        .zip(b.lines())
        .position(|(x, y)| x != y)
        .unwrap_or_else(|| a.lines().count().min(b.lines().count()));
    let around = |t: &str| {
        t.lines()
            .skip(line.saturating_sub(3))
            .take(7)
            .collect::<Vec<_>>()
            .join("\n")
    };
    format!(
        "at line {}:\nstreamed:\n{}\ncollected:\n{}",
        line + 1,
        around(a),
        around(b)
    )
}

#[test]
fn every_rule_fixture_the_same_both_ways() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    same_both_ways(root, &["--pack", "all", "testdata/rules"]);
    same_both_ways(root, &["testdata/rules", "testdata/cli"]);
    same_both_ways(root, &["--pack", "all", "-j", "1", "testdata/cli/tree"]);
}

const POD: &str = "apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: shop
  labels:
    app: web
  annotations:
    ignore.kspm.dev/KSPM104: \"until=2030-01-01 reviewed with the network team\"
spec:
  hostPID: true # kspm-ignore: host-pid -- debugging only
  hostNetwork: true
  # kspm-ignore: bogus -- no such rule
  containers:
    - name: app
      image: nginx:latest # kspm-ignore: image-latest until=2024-01-01 -- expired
      securityContext:
        privileged: true
";

const ROLE: &str = "apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: reader
  namespace: shop
rules:
  - apiGroups: [\"\"]
    resources: [\"secrets\", \"pods/exec\"]
    verbs: [\"*\"]
---
# kspm-ignore-document: privileged-container -- nothing privileged here: unused
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector:
    app: missing
";

const CONFIG: &str = "ignore:
  - rules: [rbac-wildcard]
    paths: [\"b/**\"]
    reason: the operator needs it
  - rules: [host-ipc]
    reason: matches nothing
";

#[test]
fn suppressions_and_cross_object_findings_the_same_both_ways() {
    // Many documents in one file make several ranges, so findings cross range boundaries.
    let many: String = (0..400)
        .map(|i| POD.replace("name: web\n", &format!("name: web-{i}\n")) + "---\n")
        .collect();
    let dir = repo(&[
        ("a/pod.yaml", POD),
        ("a/many.yaml", &many),
        ("b/role.yaml", ROLE),
        ("b/broken.yaml", "a: [1, 2\n"),
        ("c d/ü.yaml", POD),
        (".kspm.yaml", CONFIG),
    ]);
    // These inputs take the streamed path (its phase names say so).
    let timed = kspm_cmd()
        .args(["lint", "--format", "json", "--timings", "."])
        .current_dir(dir.path())
        .output()
        .expect("run kspm");
    let phases = String::from_utf8_lossy(&timed.stderr);
    assert!(phases.contains("spool their findings"), "{phases}");
    for args in [
        &["--pack", "all", "."][..],
        &["--pack", "all", "--show-suppressed", "."],
        &["--pack", "all", "--show-suppressed", "-j", "1", "."],
        &["--fail-on", "critical", "b", "a/pod.yaml"],
        &[
            "--exclude-rule",
            "unused-suppression",
            "--show-suppressed",
            ".",
        ],
    ] {
        same_both_ways(dir.path(), args);
    }
    // Written to a file (outside the linted folder): the same bytes, the same exit status.
    let out = tempfile::tempdir().expect("temporary folder");
    let to_file = |file: &str, extra: &[&str]| {
        let file = out.path().join(file);
        kspm_cmd()
            .args(["lint", "--format", "json", "--pack", "all", "--output"])
            .arg(&file)
            .arg(".")
            .args(extra)
            .current_dir(dir.path())
            .env("KSPM_TODAY", "2025-06-01")
            .status()
            .expect("run kspm")
            .code()
    };
    assert_eq!(to_file("s.json", &[]), to_file("c.json", &["--no-stream"]));
    let read = |f: &str| std::fs::read(out.path().join(f)).expect("report written");
    assert!(read("s.json") == read("c.json"));
    assert!(!read("s.json").is_empty());
}

#[test]
fn empty_and_clean_inputs_the_same_both_ways() {
    let dir = repo(&[
        ("empty.yaml", ""),
        (
            "cm.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n",
        ),
    ]);
    same_both_ways(dir.path(), &["."]);
    same_both_ways(dir.path(), &["empty.yaml"]);
}

#[test]
fn without_a_temporary_folder_the_spool_stays_in_memory() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = |tmp: &str, extra: &[&str]| {
        kspm_cmd()
            .args([
                "lint",
                "--format",
                "json",
                "--pack",
                "all",
                "testdata/examples",
            ])
            .args(extra)
            .current_dir(root)
            .env("TMPDIR", tmp)
            .output()
            .expect("run kspm")
    };
    let streamed = run("/nonexistent/kspm-tmp", &[]);
    let collected = run("/tmp", &["--no-stream"]);
    assert_eq!(streamed.status.code(), collected.status.code());
    assert!(!streamed.stdout.is_empty());
    assert!(streamed.stdout == collected.stdout);
}
