//! The command-line contract, end to end through the binary.

mod common;

use std::path::Path;

use common::{assert_exit, capture, json_of, kspm, kspm_cmd, run_with_stdin, stderr, stdout};
use serde_json::Value;

fn paths_with_findings(v: &Value) -> Vec<String> {
    let mut p: Vec<String> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_string())
        .collect();
    p.dedup();
    p
}

/// PATH holding only kubectl (kustomize builds), never a `helm` the machine may have, so
/// charts meet "no renderer" wherever the test runs.
fn path_without_helm() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let kubectl = std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .map(|d| d.join("kubectl"))
        .find(|p| p.is_file())
        .expect("kubectl on PATH (kustomization folders are built with it)");
    std::os::unix::fs::symlink(kubectl, dir.path().join("kubectl")).unwrap();
    dir
}

#[test]
fn walks_a_tree_honouring_kspmignore_charts_and_kustomizations() {
    let path = path_without_helm();
    let run = |args: &[&str]| capture(kspm_cmd().args(args).env("PATH", path.path()));
    let out = run(&[
        "lint",
        "--pack",
        "all",
        "--format",
        "json",
        "--renderer",
        "helm",
        "testdata/cli/tree",
    ]);
    // The chart cannot be rendered by helm here: an error, never a silent skip.
    assert_exit(&out, 2);
    let v = json_of(&out);
    // ignored/ is in .kspmignore; the chart is one input (its templates are never read as
    // YAML); the kustomization folder is built (to nothing: `resources: []`).
    let paths = paths_with_findings(&v);
    assert!(
        paths.contains(&"testdata/cli/tree/pod.yaml".to_string()),
        "{paths:?}"
    );
    assert!(
        paths.iter().all(|p| [
            "testdata/cli/tree/pod.yaml",
            "testdata/cli/tree/config.json"
        ]
        .contains(&p.as_str())),
        "{paths:?}"
    );
    let errors = v["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0]["path"], "testdata/cli/tree/chart/Chart.yaml");
    assert_eq!(errors[0]["line"], 2, "at the chart's name");
    let message = errors[0]["message"].as_str().unwrap();
    assert!(message.contains("no Helm renderer"), "{message}");
    let s = &v["summary"];
    // config.json, pod.yaml, values-like.yaml, the overlay's build and the chart.
    assert_eq!(s["files"], 5);
    assert_eq!(s["objects"], 2, "pod + configmap");
    assert_eq!(s["skipped_documents"], 1, "values-like.yaml");

    let human = run(&[
        "lint",
        "--pack",
        "all",
        "--renderer",
        "helm",
        "testdata/cli/tree",
    ]);
    let text = stdout(&human);
    assert!(
        text.contains("testdata/cli/tree/chart/Chart.yaml:2:1"),
        "{text}"
    );

    // Without helm, kspm renders the chart itself: its findings land in the template.
    let out = run(&[
        "lint",
        "--pack",
        "all",
        "--format",
        "json",
        "testdata/cli/tree",
    ]);
    assert_exit(&out, 1);
    let v = json_of(&out);
    assert_eq!(v["errors"].as_array().unwrap().len(), 0, "{}", v["errors"]);
    assert!(
        paths_with_findings(&v)
            .contains(&"testdata/cli/tree/chart/templates/deployment.yaml".to_string()),
        "{v}"
    );
    assert_eq!(
        v["summary"]["objects"], 3,
        "pod + configmap + the chart's deployment"
    );
}

#[test]
fn a_broken_document_is_an_error_and_the_rest_is_still_linted() {
    let out = kspm(&[
        "lint",
        "--rule",
        "host-ipc",
        "--format",
        "json",
        "testdata/cli/broken.yaml",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let v = json_of(&out);
    let errors = v["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0]["path"], "testdata/cli/broken.yaml");
    assert!(errors[0]["line"].as_u64().unwrap() >= 9, "{errors:?}");
    let f = &v["findings"][0];
    assert_eq!(f["rule"], "host-ipc");
    assert_eq!(f["line"], 16);
    assert_eq!(f["object"]["name"], "third");
}

#[test]
fn list_items_are_objects_with_item_paths() {
    let out = kspm(&[
        "lint",
        "--rule",
        "privileged-container",
        "--format",
        "json",
        "testdata/cli/list.yaml",
    ]);
    let v = json_of(&out);
    let f = &v["findings"][0];
    assert_eq!(
        f["yaml_path"],
        "items[0].spec.containers[0].securityContext.privileged"
    );
    assert_eq!(f["line"], 13);
    assert_eq!(f["object"]["kind"], "Pod");
    assert_eq!(f["object"]["name"], "one");
}

#[test]
fn stdin_is_read_with_a_dash() {
    let text = std::fs::read("testdata/cli/tree/pod.yaml").unwrap();
    let out = run_with_stdin(
        kspm_cmd().args(["lint", "--rule", "host-pid", "--format", "json", "-"]),
        &text,
    );
    assert_eq!(out.status.code(), Some(1));
    let v = json_of(&out);
    assert_eq!(v["findings"][0]["path"], "<stdin>");
    assert_eq!(v["findings"][0]["line"], 6);
}

#[test]
fn exit_codes_follow_fail_on() {
    let clean = kspm(&[
        "lint",
        "--rule",
        "host-pid",
        "testdata/cli/tree/config.json",
    ]);
    assert_eq!(clean.status.code(), Some(0));
    let high = kspm(&[
        "lint",
        "--rule",
        "host-pid",
        "--fail-on",
        "critical",
        "testdata/cli/tree/pod.yaml",
    ]);
    assert_eq!(
        high.status.code(),
        Some(0),
        "host-pid is high, below critical"
    );
    let fail = kspm(&[
        "lint",
        "--rule",
        "host-pid",
        "--fail-on",
        "high",
        "testdata/cli/tree/pod.yaml",
    ]);
    assert_eq!(fail.status.code(), Some(1));
    let usage = kspm(&[
        "lint",
        "--rule",
        "no-such-rule",
        "testdata/cli/tree/pod.yaml",
    ]);
    assert_eq!(usage.status.code(), Some(2));
    assert!(stderr(&usage).contains("unknown rule `no-such-rule`"));
    let missing = kspm(&["lint", "testdata/cli/does-not-exist.yaml"]);
    assert_eq!(missing.status.code(), Some(2));
    let bad_version = kspm(&[
        "lint",
        "--kube-version",
        "2.1",
        "testdata/cli/tree/pod.yaml",
    ]);
    assert_eq!(bad_version.status.code(), Some(2));
}

#[test]
fn rule_and_exclude_rule_accept_codes() {
    let v = json_of(&kspm(&[
        "lint",
        "--pack",
        "all",
        "--exclude-rule",
        "KSPM102",
        "--format",
        "json",
        "testdata/cli/tree/pod.yaml",
    ]));
    assert!(
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["rule"] != "host-pid")
    );
    let v = json_of(&kspm(&[
        "lint",
        "--rule",
        "kspm102",
        "--format",
        "json",
        "testdata/cli/tree/pod.yaml",
    ]));
    assert!(
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["rule"] == "host-pid")
    );
}

#[test]
fn output_is_written_atomically_to_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("report.json");
    let out = kspm(&[
        "lint",
        "--format",
        "json",
        "--output",
        target.to_str().unwrap(),
        "testdata/cli/tree/pod.yaml",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&target).unwrap()).unwrap();
    assert_eq!(v["version"], 1);
    // Only the report is left in the folder: no temporary files.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn output_is_identical_across_thread_counts() {
    let one = kspm(&[
        "lint", "--pack", "all", "--format", "sarif", "-j", "1", "testdata",
    ]);
    let many = kspm(&[
        "lint", "--pack", "all", "--format", "sarif", "-j", "4", "testdata",
    ]);
    assert!(!one.stdout.is_empty());
    assert_eq!(one.stdout, many.stdout);
}

#[cfg(unix)]
#[test]
fn symlinks_never_lead_out_of_the_root() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::copy(
        "testdata/cli/tree/pod.yaml",
        outside.path().join("pod.yaml"),
    )
    .unwrap();
    let root = tempfile::tempdir().unwrap();
    std::fs::copy("testdata/cli/list.yaml", root.path().join("inside.yaml")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("pod.yaml"),
        root.path().join("escape.yaml"),
    )
    .unwrap();
    std::os::unix::fs::symlink(outside.path(), root.path().join("escape-dir")).unwrap();
    std::os::unix::fs::symlink(
        root.path().join("inside.yaml"),
        root.path().join("alias.yaml"),
    )
    .unwrap();
    let out = kspm(&[
        "lint",
        "--pack",
        "all",
        "--format",
        "json",
        root.path().to_str().unwrap(),
    ]);
    let v = json_of(&out);
    let files: Vec<String> = paths_with_findings(&v)
        .iter()
        .map(|p| {
            Path::new(p)
                .file_name()
                .unwrap()
                .to_string_lossy()
                .to_string()
        })
        .collect();
    assert!(
        files
            .iter()
            .all(|f| f == "inside.yaml" || f == "alias.yaml"),
        "{files:?}"
    );
    assert_eq!(v["summary"]["files"], 2);
}

#[test]
fn absolute_arguments_under_the_working_directory_print_relative() {
    let abs = std::fs::canonicalize("testdata/cli/tree/pod.yaml").unwrap();
    let v = json_of(&kspm(&[
        "lint",
        "--rule",
        "host-pid",
        "--format",
        "json",
        abs.to_str().unwrap(),
    ]));
    assert_eq!(v["findings"][0]["path"], "testdata/cli/tree/pod.yaml");
}

#[test]
fn rules_json_lists_peers_and_packs() {
    let out = kspm(&["rules", "--format", "json"]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules = v.as_array().unwrap();
    assert!(rules.len() > 20);
    for r in rules {
        for key in [
            "id", "code", "title", "severity", "packs", "controls", "docs_url", "peers",
        ] {
            assert!(r.get(key).is_some(), "rule lacks {key}: {r}");
        }
    }
    let privileged = rules
        .iter()
        .find(|r| r["id"] == "privileged-container")
        .unwrap();
    assert!(
        privileged["packs"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p == "pss-baseline")
    );
    assert!(
        privileged["controls"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p == "pss-baseline:privileged")
    );
}

#[test]
fn explain_packs_completions_and_man() {
    let out = kspm(&["explain", "KSPM001"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("### What it does"));
    let packs = kspm(&["packs", "--format", "json"]);
    let v: Value = serde_json::from_slice(&packs.stdout).unwrap();
    assert!(
        v.as_array()
            .unwrap()
            .iter()
            .any(|p| p["id"] == "pss-restricted")
    );
    assert_eq!(kspm(&["completions", "bash"]).status.code(), Some(0));
    assert!(stdout(&kspm(&["man"])).contains(".TH"));
    assert_eq!(kspm(&["explain", "nope"]).status.code(), Some(2));
}

#[test]
fn a_large_stream_is_linted_in_parallel_ranges_with_global_document_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("stream.yaml");
    let mut text = String::new();
    for i in 0..3000 {
        // Every 1000th document is a Pod with hostPID; one document is broken.
        if i % 1000 == 999 {
            text.push_str(&format!(
                "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p{i}\nspec:\n  hostPID: true\n  containers:\n    - name: app\n      image: registry.example/app:1.0\n"
            ));
        } else if i == 1500 {
            text.push_str("---\nkind: [unclosed\n");
        } else {
            text.push_str(&format!(
                "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c{i}\ndata:\n  text: \"{}\"\n",
                "x".repeat(300)
            ));
        }
    }
    std::fs::write(&path, &text).unwrap();
    assert!(text.len() > 1_000_000);
    let out = kspm(&[
        "lint",
        "--rule",
        "host-pid",
        "--format",
        "json",
        "-j",
        "2",
        path.to_str().unwrap(),
    ]);
    let v = json_of(&out);
    let docs: Vec<u64> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["document"].as_u64().unwrap())
        .collect();
    assert_eq!(docs, vec![999, 1999, 2999]);
    assert_eq!(v["summary"]["documents"], 3000);
    assert_eq!(v["errors"].as_array().unwrap().len(), 1);
    let line = v["findings"][1]["line"].as_u64().unwrap() as usize;
    assert_eq!(text.lines().nth(line - 1).unwrap().trim(), "hostPID: true");
}
