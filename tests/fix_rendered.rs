//! Fixes on rendered objects (a Helm chart rendered by kspm's own renderer, a Kustomize
//! overlay): `--diff` shows each change that kspm traced exactly as a diff of the template,
//! values file, resource or patch, the rest as a diff of the rendered output with the reason,
//! and `--fix` writes none of them.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

const ROOT: &str = "testdata/fix-rendered";

/// (rule, file) pairs.
type Keys = BTreeSet<(String, String)>;

fn kspm_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kspm"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run kspm")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// `--diff --unsafe-fixes` of `target` (relative to `dir`), with the native renderer.
fn diff_in(dir: &Path, target: &str) -> String {
    let o = kspm_in(
        dir,
        &[
            "lint",
            "--renderer",
            "native",
            "--diff",
            "--unsafe-fixes",
            target,
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    stdout(&o)
}

fn json_in(dir: &Path, target: &str) -> Value {
    let o = kspm_in(
        dir,
        &["lint", "--renderer", "native", "--format", "json", target],
    );
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", stdout(&o), stderr(&o)))
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            fs::copy(e.path(), dest).unwrap();
        }
    }
}

/// A copy of the fixtures in a temporary folder (`chart/`, `kustomize/`).
fn fixtures() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(Path::new(ROOT), tmp.path());
    tmp
}

/// The source files' diffs of a `--diff` output (not the rendered output's).
fn source_patch(diff: &str) -> String {
    let mut out = String::new();
    let mut keep = false;
    for line in diff.split_inclusive('\n') {
        if line.starts_with('#') {
            keep = false;
            continue;
        }
        if let Some(rest) = line.strip_prefix("--- ") {
            keep = !rest.contains("(rendered)");
        }
        if keep {
            out.push_str(line);
        }
    }
    out
}

/// (rule, file) of every finding the header places in a source file, and of those left
/// to the rendered output.
fn placed(diff: &str) -> (Keys, Keys) {
    let (mut source, mut rendered) = (BTreeSet::new(), BTreeSet::new());
    for line in diff.lines().filter_map(|l| l.strip_prefix("#   ")) {
        let mut parts = line.splitn(5, ':');
        let (Some(file), Some(_), Some(_), Some(rule)) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        let key = (rule.trim().to_string(), file.to_string());
        if line.contains("(on the rendered output only:") {
            rendered.insert(key);
        } else {
            source.insert(key);
        }
    }
    (source, rendered)
}

fn rules_at(v: &Value) -> Keys {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["path"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn helm_fixes_are_shown_in_templates_and_values_files() {
    let out = diff_in(Path::new("."), "testdata/fix-rendered/chart");
    // A template literal replaced, a values scalar printed by toYaml replaced, template
    // lines removed and inserted, a values line removed and values entries added.
    for want in [
        "--- a/testdata/fix-rendered/chart/templates/deployment.yaml",
        "-            runAsNonRoot: false\n+            runAsNonRoot: true",
        "-      hostNetwork: true",
        "-              hostPort: 8080",
        "+            capabilities:\n+              drop:\n+                - ALL",
        "--- a/testdata/fix-rendered/chart/values.yaml",
        "-  privileged: true\n+  privileged: false",
        "-      - SYS_TIME",
        // New lines in a named template an include indents (`nindent 8`): written at
        // the template's own indentation.
        "--- a/testdata/fix-rendered/chart/templates/_helpers.tpl",
        "     readOnlyRootFilesystem: true\n+    runAsNonRoot: true\n {{- end }}",
        // Three fixes that each create the container's missing securityContext: made
        // together on the rendered output, written once in the template.
        "--- a/testdata/fix-rendered/chart/templates/job.yaml",
        "           imagePullPolicy: Always\n+          securityContext:\n+            \
         allowPrivilegeEscalation: false\n+            capabilities:\n+              drop:\n+\
         \x20               - ALL\n+            runAsNonRoot: true\n",
        // New entries in a values mapping printed whole by toYaml.
        "+  allowPrivilegeEscalation: false\n+  runAsNonRoot: true",
        // A value the template computes (`default true`) stays on the rendered output.
        "privileged-container: set privileged: false (on the rendered output only: a \
         template action computes the value)",
        "--- a/testdata/fix-rendered/chart (rendered)",
    ] {
        assert!(out.contains(want), "missing {want:?} in:\n{out}");
    }
    insta::assert_snapshot!("helm_diff", out);
}

#[test]
fn kustomize_fixes_are_shown_in_resources_and_patches() {
    let out = diff_in(Path::new("."), "testdata/fix-rendered/kustomize/overlay");
    for want in [
        // The base resource, fixed as a plain file (new keys laid out in its style).
        "--- a/testdata/fix-rendered/kustomize/base/deployment.yaml",
        "             runAsNonRoot: true\n+            allowPrivilegeEscalation: false",
        // The patch that set the value.
        "--- a/testdata/fix-rendered/kustomize/overlay/debug.yaml",
        "-            privileged: true\n+            privileged: false",
        // A line a patch added is not removed from the patch: rendered output.
        "host-network: remove hostNetwork: true (on the rendered output only:",
        "-      hostNetwork: true",
    ] {
        assert!(out.contains(want), "missing {want:?} in:\n{out}");
    }
    insta::assert_snapshot!("kustomize_diff", out);
}

/// Applying the source diffs and linting again: every finding placed in a source file is
/// gone, every one left to the rendered output is still there.
#[test]
fn source_diffs_fix_what_they_claim() {
    let tmp = fixtures();
    for target in ["chart", "kustomize/overlay"] {
        let before = rules_at(&json_in(tmp.path(), target));
        let diff = diff_in(tmp.path(), target);
        let (source, rendered) = placed(&diff);
        assert!(!source.is_empty() && !rendered.is_empty(), "{diff}");
        let patch = source_patch(&diff);
        let mut p = Command::new("patch")
            .args(["-p1", "--quiet"])
            .current_dir(tmp.path())
            .stdin(std::process::Stdio::piped())
            .spawn()
            .expect("run patch");
        use std::io::Write;
        p.stdin.take().unwrap().write_all(patch.as_bytes()).unwrap();
        assert!(p.wait().unwrap().success(), "patch failed:\n{patch}");
        let after = rules_at(&json_in(tmp.path(), target));
        // The findings' positions move with the edits: compare rule and file.
        let fixed: BTreeSet<_> = source.difference(&rendered).cloned().collect();
        for k in &fixed {
            let (rule, file) = k;
            let file = file.trim_start_matches(&format!("{}/", tmp.path().display()));
            assert!(
                before.iter().any(|(r, _)| r == rule),
                "{rule} was not reported before"
            );
            assert!(
                !after.iter().any(|(r, f)| r == rule && f == file),
                "{rule} in {file} is still reported after applying:\n{patch}\n{after:?}"
            );
        }
        for (rule, _) in &rendered {
            assert!(
                after.iter().any(|(r, _)| r == rule),
                "{rule} (rendered only) disappeared"
            );
        }
    }
}

#[test]
fn json_carries_the_source_edits() {
    let v = json_in(Path::new("."), "testdata/fix-rendered/chart");
    let findings = v["findings"].as_array().unwrap();
    let sidecar = findings
        .iter()
        .find(|f| {
            f["rule"] == "run-as-non-root"
                && f["path"] == "testdata/fix-rendered/chart/templates/deployment.yaml"
                && f["yaml_path"]
                    .as_str()
                    .is_some_and(|p| p.contains("containers[1]"))
        })
        .expect("run-as-non-root on the sidecar");
    let fix = &sidecar["fix"];
    assert_eq!(fix["applicable"], false);
    assert_eq!(fix["path"], "testdata/fix-rendered/chart");
    let src = &fix["source_edits"][0];
    assert_eq!(
        src["path"],
        "testdata/fix-rendered/chart/templates/deployment.yaml"
    );
    assert_eq!(src["kind"], "template");
    let e = &src["edits"][0];
    let text = fs::read_to_string(format!("{ROOT}/chart/templates/deployment.yaml")).unwrap();
    let (s, end) = (
        e["start"].as_u64().unwrap() as usize,
        e["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&text[s..end], "false");
    assert_eq!(e["replacement"], "true");
    assert_eq!(e["line"], 35);
    assert!(fix.get("source_note").is_none(), "{fix:#}");
    // A fix that stays on the rendered output says why, and has no source edits.
    let init = findings
        .iter()
        .find(|f| {
            f["rule"] == "privileged-container"
                && f["yaml_path"]
                    .as_str()
                    .is_some_and(|p| p.contains("initContainers"))
        })
        .expect("privileged-container on the init container");
    assert_eq!(
        init["fix"]["source_note"],
        "a template action computes the value"
    );
    assert!(init["fix"].get("source_edits").is_none());
}

#[test]
fn fix_writes_no_chart_or_build_file() {
    let tmp = fixtures();
    let all = |dir: &Path| -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            for e in fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                } else {
                    out.push((p.display().to_string(), fs::read_to_string(&p).unwrap()));
                }
            }
        }
        out.sort();
        out
    };
    let before = all(tmp.path());
    for target in ["chart", "kustomize/overlay"] {
        let o = kspm_in(
            tmp.path(),
            &[
                "lint",
                "--renderer",
                "native",
                "--fix",
                "--unsafe-fixes",
                target,
            ],
        );
        assert!(stderr(&o).contains("not applied"), "{}", stderr(&o));
        assert_eq!(o.status.code(), Some(1));
    }
    assert_eq!(all(tmp.path()), before);
}
