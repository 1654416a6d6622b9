//! Suppressions: each form, expiry, unused and malformed reporting, and how they combine
//! with the configuration and the command line. The rule fixtures of expired-,
//! unused- and malformed-suppression (testdata/rules) cover the in-source forms line by
//! line; these tests cover the rest.

mod common;

use std::path::Path;
use std::sync::Arc;

use common::{kspm_dated, repo, stderr};
use kspm::config::Config;
use kspm::registry;
use kspm::report::{Report, SuppressedBy, SuppressedFinding};
use kspm::rule::{Rule, RuleContext};
use kspm::source::SourceFile;
use kspm::suppress::{self, Date, Inputs, MetaRules};
use serde_json::Value;

fn today() -> Date {
    Date::parse("2025-06-01").unwrap()
}

fn rules(ids: &[&str]) -> Vec<&'static dyn Rule> {
    ids.iter()
        .map(|id| registry::find(id).unwrap_or_else(|| panic!("rule {id}")))
        .collect()
}

/// Lint `text` with `ids` and the rules about suppressions, then suppress.
fn run(text: &str, ids: &[&str]) -> (Report, Vec<SuppressedFinding>) {
    let src = SourceFile::new("m.yaml", text);
    suppress::lint_source(src, &rules(ids), &RuleContext::default(), today())
}

/// `rule@line` of each reported finding.
fn reported(r: &Report) -> Vec<String> {
    r.findings
        .iter()
        .map(|f| format!("{}@{}", f.rule.id, f.start.line))
        .collect()
}

fn hidden(s: &[SuppressedFinding]) -> Vec<String> {
    s.iter()
        .map(|s| {
            format!(
                "{}@{} by {}: {}",
                s.finding.rule.id,
                s.finding.start.line,
                s.suppressed.by.as_str(),
                s.suppressed.reason
            )
        })
        .collect()
}

const POD: &str = "\
apiVersion: v1
kind: Pod
metadata:
  name: agent
  namespace: ops
spec:
  hostNetwork: true
  hostPID: true
  containers:
    - name: agent
      image: registry.example/agent:1.0
";

#[test]
fn nothing_to_suppress_changes_nothing() {
    let (r, s) = run(POD, &["host-network", "host-pid"]);
    assert_eq!(reported(&r), ["host-network@7", "host-pid@8"]);
    assert!(s.is_empty());
    assert!(r.notes.is_empty());
}

#[test]
fn annotation_by_id_or_code_with_and_without_until() {
    let text = POD.replace(
        "  namespace: ops\n",
        "  namespace: ops\n  annotations:\n    ignore.kspm.dev/host-network: \"until=2025-06-01 node agent\"\n    ignore.kspm.dev/KSPM102: reads host processes\n",
    );
    let (r, s) = run(&text, &["host-network", "host-pid"]);
    assert!(reported(&r).is_empty(), "{:?}", reported(&r));
    assert_eq!(
        hidden(&s),
        [
            "host-network@10 by annotation: node agent",
            "host-pid@11 by annotation: reads host processes"
        ]
    );
    assert_eq!(s[0].suppressed.until.as_deref(), Some("2025-06-01"));
    // The suppression's own location: the annotation's line and column.
    assert_eq!(s[0].suppressed.location, Some(("m.yaml".to_string(), 7, 5)));
    assert_eq!(r.notes, ["2 findings suppressed: 2 by annotation"]);
}

#[test]
fn annotation_covers_only_its_own_list_item() {
    let text = "\
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Pod
    metadata:
      name: a
      annotations:
        ignore.kspm.dev/host-pid: item a only
    spec:
      hostPID: true
      containers: [{name: c, image: r/c:1}]
  - apiVersion: v1
    kind: Pod
    metadata: {name: b}
    spec:
      hostPID: true
      containers: [{name: c, image: r/c:1}]
";
    let (r, s) = run(text, &["host-pid"]);
    assert_eq!(reported(&r), ["host-pid@17"]);
    assert_eq!(hidden(&s), ["host-pid@11 by annotation: item a only"]);
}

#[test]
fn comments_on_the_line_above_it_and_stacked() {
    let text = POD
        .replace(
            "  hostNetwork: true\n",
            "  # kspm-ignore: host-network -- node agent\n  # a plain comment between the directive and its line\n  hostNetwork: true\n",
        )
        .replace(
            "  hostPID: true\n",
            "  hostPID: true  # kspm-ignore: host-pid until=2025-12-31 -- reads /proc\n",
        );
    let (r, s) = run(&text, &["host-network", "host-pid"]);
    assert!(reported(&r).is_empty(), "{:?}", reported(&r));
    assert_eq!(
        hidden(&s),
        [
            "host-network@9 by comment: node agent",
            "host-pid@10 by comment: reads /proc"
        ]
    );
    assert_eq!(s[0].suppressed.location, Some(("m.yaml".to_string(), 7, 3)));
}

#[test]
fn a_comment_above_a_blank_line_covers_nothing() {
    let text = POD.replace(
        "  hostNetwork: true\n",
        "  # kspm-ignore: host-network -- node agent\n\n  hostNetwork: true\n",
    );
    let (r, _) = run(&text, &["host-network"]);
    assert_eq!(reported(&r), ["unused-suppression@7", "host-network@9"]);
}

#[test]
fn document_and_file_comments() {
    let doc2 = POD.replace("name: agent", "name: other");
    let text = format!(
        "# kspm-ignore-file: host-pid -- every pod of this file\n{POD}---\n# kspm-ignore-document: all -- this document only\n{doc2}---\n{doc2}"
    );
    let (r, s) = run(&text, &["host-network", "host-pid"]);
    // The first and third documents keep host-network; host-pid is gone everywhere.
    assert_eq!(reported(&r), ["host-network@8", "host-network@33"]);
    let by: Vec<SuppressedBy> = s.iter().map(|s| s.suppressed.by).collect();
    assert_eq!(by.len(), 4);
    assert!(by.iter().all(|b| *b == SuppressedBy::Comment));
}

#[test]
fn most_specific_suppression_wins_and_all_count_as_used() {
    let text = format!(
        "# kspm-ignore-file: host-pid -- file-wide\n{}",
        POD.replace(
            "  hostPID: true\n",
            "  hostPID: true # kspm-ignore: host-pid -- this line\n"
        )
    );
    let (r, s) = run(&text, &["host-pid", "host-network"]);
    assert_eq!(reported(&r), ["host-network@8"], "neither is unused");
    assert_eq!(hidden(&s), ["host-pid@9 by comment: this line"]);
}

#[test]
fn expired_suppressions_no_longer_suppress() {
    let text = POD.replace(
        "  hostPID: true\n",
        "  hostPID: true # kspm-ignore: host-pid until=2025-05-31 -- until yesterday\n",
    );
    let (r, s) = run(&text, &["host-pid"]);
    assert_eq!(reported(&r), ["host-pid@8", "expired-suppression@8"]);
    assert!(s.is_empty());
    let e = &r.findings[1];
    assert_eq!((e.start.line, e.start.column), (8, 17));
    assert!(e.message.contains("expired on 2025-05-31"), "{}", e.message);
    // The same file on the last valid day: suppressed, nothing about it.
    let src = SourceFile::new("m.yaml", text.as_str());
    let (r, s) = suppress::lint_source(
        src,
        &rules(&["host-pid"]),
        &RuleContext::default(),
        Date::parse("2025-05-31").unwrap(),
    );
    assert!(r.findings.is_empty());
    assert_eq!(s.len(), 1);
}

#[test]
fn unused_only_for_rules_that_ran() {
    let text = POD.replace(
        "  hostPID: true\n",
        "  hostPID: true # kspm-ignore: host-pid, host-ipc -- host-ipc is not set\n",
    );
    // host-ipc ran and found nothing on that line: reported.
    let (r, _) = run(&text, &["host-pid", "host-ipc"]);
    assert_eq!(reported(&r), ["unused-suppression@8"]);
    assert!(r.findings[0].message.contains("`host-ipc`"));
    // host-ipc did not run: nothing can be said about it.
    let (r, _) = run(&text, &["host-pid"]);
    assert!(reported(&r).is_empty(), "{:?}", reported(&r));
}

#[test]
fn malformed_comments_are_located_and_suppress_nothing() {
    let cases = [
        ("# kspm-ignore: host-pid --", "empty reason"),
        ("# kspm-ignore: host-pid", "missing reason"),
        ("# kspm-ignore: -- why", "no rule named"),
        (
            "# kspm-ignore: host-pid until=2025-6-1 -- why",
            "not a date",
        ),
        ("# kspm-ignore: hostpid -- why", "unknown rule `hostpid`"),
        (
            "# kspm-ignorefile: host-pid -- why",
            "not a kspm-ignore directive",
        ),
    ];
    for (comment, want) in cases {
        let text = POD.replace(
            "  hostPID: true\n",
            &format!("  hostPID: true  {comment}\n"),
        );
        let (r, s) = run(&text, &["host-pid"]);
        assert!(s.is_empty(), "{comment}");
        assert_eq!(
            reported(&r),
            ["host-pid@8", "malformed-suppression@8"],
            "{comment}"
        );
        let m = &r.findings[1];
        assert_eq!(m.start.column, 18, "{comment}");
        assert!(m.message.contains(want), "{comment}: {}", m.message);
    }
}

#[test]
fn a_directive_must_start_a_comment() {
    let text = POD.replace(
        "  name: agent\n",
        "  name: agent  # see kspm-ignore: in the README\n  labels: {note: \"# kspm-ignore: host-pid -- in a string\"}\n",
    );
    let (r, s) = run(&text, &["host-pid"]);
    assert!(s.is_empty());
    // A `#` right after a quote is not a comment start, so the label value holds no
    // directive; neither does a comment where the directive is not the first word.
    assert!(
        r.findings
            .iter()
            .all(|f| f.rule.id != "malformed-suppression"),
        "{:?}",
        reported(&r)
    );
}

fn config(text: &str, dir: &Path) -> Config {
    Config::parse(SourceFile::new(".kspm.yaml", text), dir).expect("valid configuration")
}

fn apply_with(
    text: &str,
    ids: &[&str],
    cfg: &Config,
    meta: MetaRules,
) -> (Report, Vec<SuppressedFinding>) {
    let src = SourceFile::new("k8s/ops/agent.yaml", text);
    let mut r = kspm::engine::lint_source(src.clone(), &rules(ids), &RuleContext::default());
    let cwd = Path::new("/repo");
    let s = suppress::apply(
        &mut r,
        &Inputs {
            sources: vec![src],
            config: cfg,
            baseline: None,
            cwd,
            today: today(),
            meta,
            map: None,
        },
    );
    (r, s)
}

#[test]
fn config_ignore_by_rule_path_and_object() {
    let cfg = config(
        "ignore:
  - rules: [host-pid]
    paths: [\"k8s/ops/**\"]
    kind: Po*
    namespace: ops
    name: agent
    reason: node agent
  - rules: host-network
    paths: \"agent.yaml\"
    reason: a glob without a slash matches at any depth
  - rules: [host-pid]
    paths: [\"other/**\"]
    reason: another folder
  - rules: [host-pid]
    name: someone-else
    reason: another object
",
        Path::new("/repo"),
    );
    let (r, s) = apply_with(POD, &["host-pid", "host-network"], &cfg, MetaRules::ALL);
    assert_eq!(
        hidden(&s),
        [
            "host-network@7 by config: a glob without a slash matches at any depth",
            "host-pid@8 by config: node agent"
        ]
    );
    // The last two entries matched nothing; they are reported in .kspm.yaml.
    let unused: Vec<(String, usize)> = r
        .findings
        .iter()
        .map(|f| (f.path().to_string(), f.start.line))
        .collect();
    assert_eq!(
        unused,
        [
            (".kspm.yaml".to_string(), 11),
            (".kspm.yaml".to_string(), 14)
        ]
    );
    assert!(r.findings.iter().all(|f| f.rule.id == "unused-suppression"));
    assert_eq!(
        s[1].suppressed.location,
        Some((".kspm.yaml".to_string(), 2, 5))
    );
}

#[test]
fn config_paths_are_relative_to_the_config_folder() {
    // Run from /repo/k8s: the finding path is `ops/agent.yaml`; the configuration in /repo
    // still says `k8s/ops/**`.
    let cfg = config(
        "ignore:\n  - {rules: [host-pid], paths: [\"k8s/ops/**\"], reason: r}\n",
        Path::new("/repo"),
    );
    let src = SourceFile::new("ops/agent.yaml", POD);
    let mut r =
        kspm::engine::lint_source(src.clone(), &rules(&["host-pid"]), &RuleContext::default());
    let s = suppress::apply(
        &mut r,
        &Inputs {
            sources: vec![src],
            config: &cfg,
            baseline: None,
            cwd: Path::new("/repo/k8s"),
            today: today(),
            meta: MetaRules::ALL,
            map: None,
        },
    );
    assert_eq!(s.len(), 1);
    assert!(r.findings.is_empty());
}

#[test]
fn config_entries_that_cannot_be_read_are_located() {
    let cfg = config(
        "ignore:
  - rules: [host-pid, no-such-rule]
    reason: r
  - rules: [host-pid]
    reason: \"  \"
  - rules: [host-pid]
    reason: r
    until: 2025-02-29
  - rules: [host-pid]
    paths: [\"a/[\"]
    reason: r
",
        Path::new("/repo"),
    );
    let (r, s) = apply_with(POD, &["host-pid"], &cfg, MetaRules::ALL);
    assert!(s.is_empty());
    let got: Vec<(usize, usize, String)> = r
        .findings
        .iter()
        .filter(|f| f.rule.id == "malformed-suppression")
        .map(|f| (f.start.line, f.start.column, f.message.clone()))
        .collect();
    assert_eq!(got.len(), 4, "{got:?}");
    assert_eq!((got[0].0, got[0].1), (2, 23));
    assert!(got[0].2.contains("no-such-rule"));
    assert_eq!(got[1].0, 5);
    assert!(got[1].2.contains("empty reason"));
    assert_eq!((got[2].0, got[2].1), (8, 12));
    assert!(got[2].2.contains("2025-02-29"));
    assert_eq!(got[3].0, 10);
    assert!(got[3].2.contains("bad glob"));
}

#[test]
fn severity_overrides_and_disabled_meta_rules() {
    let cfg = config(
        "rules:\n  host-pid: info\n  unused-suppression: off\n",
        Path::new("/repo"),
    );
    let text = POD.replace(
        "  hostNetwork: true\n",
        "  hostNetwork: true # kspm-ignore: host-ipc -- unused, but the rule is off\n",
    );
    let meta = MetaRules::select(&cfg, &[], &[]);
    assert!(!meta.unused && meta.expired && meta.malformed);
    let (r, _) = apply_with(&text, &["host-pid", "host-ipc"], &cfg, meta);
    assert_eq!(reported(&r), ["host-pid@8"]);
    assert_eq!(r.findings[0].severity.as_str(), "info");
    // `--rule` narrows the rules about suppressions too; `--exclude-rule` removes them.
    let only = MetaRules::select(&Config::default(), &["host-pid".into()], &[]);
    assert_eq!(
        only,
        MetaRules {
            expired: false,
            unused: false,
            malformed: false
        }
    );
    let ex = MetaRules::select(&Config::default(), &[], &["KSPM903".into()]);
    assert!(ex.expired && ex.unused && !ex.malformed);
}

#[test]
fn findings_mapped_to_another_source_match_annotations_by_object() {
    // A render mapped back to its template keeps the object identity and sets `origin`.
    let text = POD.replace(
        "  namespace: ops\n",
        "  namespace: ops\n  annotations:\n    ignore.kspm.dev/host-pid: rendered\n",
    );
    let rendered = SourceFile::new("<render>", text.as_str());
    let mut r = kspm::engine::lint_source(
        rendered.clone(),
        &rules(&["host-pid"]),
        &RuleContext::default(),
    );
    let template = SourceFile::new("chart/templates/pod.yaml", "spec:\n  hostPID: true\n");
    for f in &mut r.findings {
        f.source = Arc::clone(&template);
        f.origin = Some(serde_json::json!({"render": "<render>"}));
    }
    let cfg = Config::default();
    let s = suppress::apply(
        &mut r,
        &Inputs {
            sources: vec![rendered],
            config: &cfg,
            baseline: None,
            cwd: Path::new("/repo"),
            today: today(),
            meta: MetaRules::ALL,
            map: None,
        },
    );
    assert_eq!(s.len(), 1);
    assert!(r.findings.is_empty());
}

#[test]
fn a_file_loaded_twice_counts_once() {
    // Two renders may map findings into one template file, each loading it anew.
    let text = POD.replace(
        "  hostPID: true\n",
        "  hostPID: true # kspm-ignore: host-pid -- r\n  # kspm-ignore: bogus -- reported once\n",
    );
    let first = SourceFile::new("chart/templates/pod.yaml", text.as_str());
    let second = SourceFile::new("chart/templates/pod.yaml", text.as_str());
    let mut r = kspm::engine::lint_source(
        first.clone(),
        &rules(&["host-pid"]),
        &RuleContext::default(),
    );
    let cfg = Config::default();
    let s = suppress::apply(
        &mut r,
        &Inputs {
            sources: vec![first, second],
            config: &cfg,
            baseline: None,
            cwd: Path::new("/repo"),
            today: today(),
            meta: MetaRules::ALL,
            map: None,
        },
    );
    assert_eq!(s.len(), 1);
    assert_eq!(reported(&r), ["malformed-suppression@9"]);
}

#[test]
fn comments_in_a_rendered_stream_cover_findings_mapped_out_of_it() {
    // `helm template` keeps template comments: the rendered stream has the comment on the
    // finding's rendered line, while the finding itself moved to the template (origin).
    let rendered_text = POD.replace(
        "  hostPID: true\n",
        "  hostPID: true # kspm-ignore: host-pid -- node agent\n  hostIPC: false # kspm-ignore: ssh-port -- unused\n",
    );
    let rendered = SourceFile::new("chart", rendered_text.as_str());
    let mut r = kspm::engine::lint_source(
        rendered.clone(),
        &rules(&["host-pid", "ssh-port"]),
        &RuleContext::default(),
    );
    let template = SourceFile::new(
        "chart/templates/pod.yaml",
        "spec:\n  hostPID: {{ .Values.pid }}\n",
    );
    for f in &mut r.findings {
        let rendered_line = f.start.line;
        f.origin = Some(serde_json::json!({
            "rendered": {"path": "chart", "line": rendered_line, "column": 3, "document": 0}
        }));
        f.source = Arc::clone(&template);
        f.start.line = 2;
    }
    let cfg = Config::default();
    let moved = std::cell::Cell::new(0);
    let map = |found: &mut [kspm::report::Finding]| moved.set(moved.get() + found.len());
    let s = suppress::apply(
        &mut r,
        &Inputs {
            sources: vec![rendered],
            config: &cfg,
            baseline: None,
            cwd: Path::new("/repo"),
            today: today(),
            meta: MetaRules::ALL,
            map: Some(&map),
        },
    );
    assert_eq!(hidden(&s), ["host-pid@2 by comment: node agent"]);
    // The used comment is not reported; the unused one is, where it is written.
    assert_eq!(reported(&r), ["unused-suppression@9"]);
    assert_eq!(r.findings[0].path(), "chart");
    // Findings about comments are not handed to the mapper (they have no yaml path).
    assert_eq!(moved.get(), 0);
}

// -------------------------------------------------------------------------------------
// Through the binary

#[test]
fn fail_on_applies_after_suppression() {
    let suppressed = POD.replace(
        "  namespace: ops\n",
        "  namespace: ops\n  annotations:\n    ignore.kspm.dev/all: \"until=2025-06-30 migrating\"\n",
    );
    let dir = repo(&[("k8s/agent.yaml", &suppressed)]);
    let args = [
        "lint",
        "--rule",
        "host-pid",
        "--rule",
        "host-network",
        "k8s",
    ];
    let out = kspm_dated(dir.path(), &args, "2025-06-01");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // A month later the suppression has expired: the findings and the expiry fail the run.
    let out = kspm_dated(dir.path(), &args, "2025-07-01");
    assert_eq!(out.status.code(), Some(1));
    let mut args = args.to_vec();
    args.extend(["--format", "json"]);
    let out = kspm_dated(dir.path(), &args, "2025-07-01");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    // Named with --rule, the rules about suppressions are not among them.
    assert_eq!(rules, ["host-network", "host-pid"]);
}

#[test]
fn a_bad_today_is_a_usage_error() {
    let dir = repo(&[("a.yaml", POD)]);
    let out = kspm_dated(dir.path(), &["lint", "a.yaml"], "June");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("KSPM_TODAY"));
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    let text = POD.replace(
        "  hostPID: true\n",
        "  hostPID: true # kspm-ignore: host-pid -- r\n  # kspm-ignore: bogus -- r\n",
    );
    let dir = repo(&[("a.yaml", &text), ("b.yaml", &text)]);
    let args = ["lint", "--format", "sarif", "-j", "1", "."];
    let one = kspm_dated(dir.path(), &args, "2025-06-01").stdout;
    let args = ["lint", "--format", "sarif", "-j", "4", "."];
    let four = kspm_dated(dir.path(), &args, "2025-06-01").stdout;
    assert_eq!(one, four);
}
