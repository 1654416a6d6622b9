//! The CI-native formats (github, gitlab, junit) end to end through the binary, over the
//! fixture set in testdata/formats (which has a .kspm.yaml, an annotation, a comment and a
//! broken file), snapshotted; the GitLab report checked against GitLab's documented Code
//! Quality fields; all formats agreeing on the same findings.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

const DIR: &str = "testdata/formats";
/// A fixed rule set, so that rules added to the default pack do not change the snapshots.
const RULES: &[&str] = &[
    "privileged-container",
    "host-network",
    "host-pid",
    "allow-privilege-escalation",
    "expired-suppression",
    "unused-suppression",
    "malformed-suppression",
];

fn kspm(format: &str, extra: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kspm"));
    cmd.arg("lint").args(["--format", format]);
    for r in RULES {
        cmd.args(["--rule", r]);
    }
    cmd.args(extra)
        .arg(DIR)
        .env("NO_COLOR", "1")
        .env("KSPM_TODAY", "2025-06-01")
        .env_remove("GITHUB_STEP_SUMMARY");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run kspm")
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("utf-8")
}

#[test]
fn github_annotations() {
    let out = kspm("github", &[], &[]);
    // broken.yaml cannot be parsed: exit 2 whatever the format.
    assert_eq!(out.status.code(), Some(2));
    insta::assert_snapshot!("github", stdout(&out));
}

#[test]
fn github_step_summary_is_appended() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("summary.md");
    std::fs::write(&path, "earlier step\n").unwrap();
    let p = path.to_str().unwrap();
    kspm("github", &[], &[("GITHUB_STEP_SUMMARY", p)]);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with("earlier step\n## kspm: "), "{text}");
    insta::assert_snapshot!("github_step_summary", text);
}

#[test]
fn gitlab_code_quality() {
    let out = kspm("gitlab", &[], &[]);
    assert_eq!(out.status.code(), Some(2));
    insta::assert_snapshot!("gitlab", stdout(&out));
}

/// GitLab's documented Code Quality report: a JSON array of objects with `description`
/// (string), `check_name` (string), `fingerprint` (string, unique per issue), `severity`
/// (info, minor, major, critical or blocker), `location.path` (a path relative to the
/// repository) and `location.lines.begin` (integer).
#[test]
fn gitlab_report_has_the_documented_fields() {
    let out = kspm("gitlab", &[], &[]);
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let issues = v.as_array().expect("a JSON array");
    assert!(!issues.is_empty());
    let mut fingerprints = BTreeSet::new();
    for i in issues {
        for key in ["description", "check_name", "fingerprint"] {
            let s = i[key]
                .as_str()
                .unwrap_or_else(|| panic!("{key} string: {i}"));
            assert!(!s.is_empty(), "{key} empty: {i}");
        }
        assert!(
            ["info", "minor", "major", "critical", "blocker"]
                .contains(&i["severity"].as_str().unwrap()),
            "{i}"
        );
        let path = i["location"]["path"].as_str().expect("location.path");
        assert!(
            !path.starts_with('/') && !path.starts_with("./") && !path.contains('\\'),
            "{path}"
        );
        assert!(Path::new(path).is_file(), "{path} exists");
        let begin = i["location"]["lines"]["begin"]
            .as_u64()
            .expect("lines.begin integer");
        assert!(begin >= 1);
        assert!(
            fingerprints.insert(i["fingerprint"].as_str().unwrap().to_string()),
            "duplicate fingerprint {i}"
        );
    }
    // Fingerprints do not depend on lines: the same run twice gives the same ones.
    let again: Value = serde_json::from_slice(&kspm("gitlab", &[], &[]).stdout).unwrap();
    assert_eq!(v, again);
}

#[test]
fn junit_report() {
    let out = kspm("junit", &[], &[]);
    assert_eq!(out.status.code(), Some(2));
    let xml = stdout(&out);
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites"));
    for (open, close) in [
        ("<testsuite ", "</testsuite>"),
        ("<testcase ", "</testcase>"),
        ("<failure ", "</failure>"),
    ] {
        assert_eq!(
            xml.matches(open).count(),
            xml.matches(close).count(),
            "{open}"
        );
    }
    // Markup in a container name is escaped.
    assert!(
        xml.contains("sidecar &lt;&amp;&gt; &quot;quoted&quot;"),
        "{xml}"
    );
    insta::assert_snapshot!("junit", xml);
}

/// Every format reports the same findings (human, json, sarif, github, gitlab, junit).
#[test]
fn formats_agree_on_the_findings() {
    let json: Value = serde_json::from_slice(&kspm("json", &[], &[]).stdout).unwrap();
    let want: Vec<(String, u64)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert!(!want.is_empty());

    let sarif: Value = serde_json::from_slice(&kspm("sarif", &[], &[]).stdout).unwrap();
    let got: Vec<(String, u64)> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r.get("suppressions").is_none())
        .map(|r| {
            (
                r["ruleId"].as_str().unwrap().to_string(),
                r["locations"][0]["physicalLocation"]["region"]["startLine"]
                    .as_u64()
                    .unwrap(),
            )
        })
        .collect();
    assert_eq!(got, want, "sarif");

    let gitlab: Value = serde_json::from_slice(&kspm("gitlab", &[], &[]).stdout).unwrap();
    let got: Vec<(String, u64)> = gitlab
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["check_name"] != "kspm-input-error")
        .map(|i| {
            (
                i["check_name"].as_str().unwrap().to_string(),
                i["location"]["lines"]["begin"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(got, want, "gitlab");

    let github = stdout(&kspm("github", &[], &[]));
    let got: Vec<(String, u64)> = github
        .lines()
        .filter(|l| l.contains(",title=KSPM"))
        .map(|l| {
            let line: u64 = l
                .split(",line=")
                .nth(1)
                .unwrap()
                .split(',')
                .next()
                .unwrap()
                .parse()
                .unwrap();
            let rule = l
                .split(",title=")
                .nth(1)
                .unwrap()
                .split(' ')
                .nth(1)
                .unwrap()
                .trim_end_matches("%3A");
            (rule.to_string(), line)
        })
        .collect();
    assert_eq!(got, want, "github");

    let junit = stdout(&kspm("junit", &[], &[]));
    assert_eq!(
        junit.matches(" KSPM").count(),
        want.len(),
        "junit lists every finding once"
    );

    let human = stdout(&kspm("human", &[], &[]));
    for (rule, _) in &want {
        assert!(human.contains(&format!("] {rule}: ")), "human lacks {rule}");
    }
}

#[test]
fn show_suppressed_lists_them_with_why() {
    let out = kspm("json", &["--show-suppressed"], &[]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows: Vec<String> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{}:{} {} {}",
                f["path"].as_str().unwrap(),
                f["line"],
                f["rule"].as_str().unwrap(),
                f.get("suppressed")
                    .map_or("-".to_string(), |s| s.to_string())
            )
        })
        .collect();
    insta::assert_snapshot!("json_show_suppressed", rows.join("\n"));
    assert_eq!(v["summary"]["suppressed"], 3);
    // Without the flag the suppressed findings and the count are left out.
    let plain: Value = serde_json::from_slice(&kspm("json", &[], &[]).stdout).unwrap();
    assert!(plain["summary"].get("suppressed").is_none());
    assert!(
        plain["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f.get("suppressed").is_none())
    );
}

#[test]
fn sarif_carries_suppressions() {
    let v: Value = serde_json::from_slice(&kspm("sarif", &[], &[]).stdout).unwrap();
    let mut kinds: Vec<(String, String, String)> = v["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| {
            let s = &r.get("suppressions")?[0];
            Some((
                r["ruleId"].as_str()?.to_string(),
                s["kind"].as_str()?.to_string(),
                s["justification"].as_str()?.to_string(),
            ))
        })
        .collect();
    kinds.sort();
    assert_eq!(
        kinds,
        [
            (
                "allow-privilege-escalation".into(),
                "inSource".into(),
                "the entrypoint drops privileges itself".into()
            ),
            (
                "host-network".into(),
                "inSource".into(),
                "the ingress agent binds node ports (until 2030-01-31)".into()
            ),
            (
                "privileged-container".into(),
                "external".into(),
                "legacy batch job, replaced in Q3 (until 2030-06-30)".into()
            ),
        ]
    );
}
