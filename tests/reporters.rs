//! Snapshot tests of the human, JSON and SARIF renderers over hand-built reports.
//!
//! The reports are built here rather than by the engine so these tests pin the renderers
//! alone: positions come from byte spans through `SourceFile::position`, as the engine does.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use kspm::report::human::{self, HumanOptions};
use kspm::report::{Finding, LintError, ObjectRef, Report, Summary, json, sarif};
use kspm::rule::{RuleMeta, Severity, Target};
use kspm::source::SourceFile;
use kspm::yaml::Span;
use serde_json::Value;

const DOCS: &str = "## What it does\nChecks a field.\n\n## Why is this bad\nIt weakens isolation.\n\n## Example\n```yaml\nfield: true\n```\n\n## References\n- https://kubernetes.io/docs/concepts/security/pod-security-standards/\n";

const fn rule(
    id: &'static str,
    code: &'static str,
    title: &'static str,
    severity: Severity,
    help: &'static str,
) -> RuleMeta {
    RuleMeta {
        id,
        code,
        title,
        severity,
        target: Target::Container,
        docs: DOCS,
        peers: &[],
        help,
        fix: None,
    }
}

static PRIVILEGED: RuleMeta = rule(
    "privileged-container",
    "KSPM101",
    "Privileged container",
    Severity::Critical,
    "Set securityContext.privileged to false or remove it.",
);
static HOST_NETWORK: RuleMeta = rule(
    "host-network",
    "KSPM104",
    "Host network namespace",
    Severity::High,
    "Remove spec.hostNetwork or set it to false.",
);
static CAPS_DROP_ALL: RuleMeta = rule(
    "caps-drop-all",
    "KSPM111",
    "Capabilities not dropped",
    Severity::Medium,
    "Add \"ALL\" to securityContext.capabilities.drop.",
);
static IMAGE_LATEST: RuleMeta = rule(
    "image-latest",
    "KSPM301",
    "Tag missing or latest",
    Severity::Medium,
    "Pin the image to a version tag or a digest.",
);
static DEFAULT_SA: RuleMeta = rule(
    "default-sa-used",
    "KSPM202",
    "Workload uses the default SA",
    Severity::Low,
    "Set spec.serviceAccountName to a dedicated service account.",
);
static SA_DEPRECATED: RuleMeta = rule(
    "sa-deprecated-field",
    "KSPM205",
    "Deprecated serviceAccount field",
    Severity::Info,
    "Use spec.serviceAccountName instead of spec.serviceAccount.",
);
/// Ran but found nothing: SARIF must still describe it.
static HOST_PID: RuleMeta = rule(
    "host-pid",
    "KSPM102",
    "Host PID namespace",
    Severity::High,
    "Remove spec.hostPID or set it to false.",
);

fn load(name: &str) -> Arc<SourceFile> {
    let path = format!("{}/testdata/reporters/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("fixture readable");
    SourceFile::new(format!("testdata/reporters/{name}"), text)
}

/// The byte span from the `nth` occurrence of `from` to the end of the first `to` after it.
fn span(src: &SourceFile, from: &str, nth: usize, to: &str) -> Span {
    let start = src
        .text
        .match_indices(from)
        .nth(nth)
        .map(|(i, _)| i)
        .expect("start text present");
    let end = start + src.text[start..].find(to).expect("end text present") + to.len();
    Span::new(start, end)
}

struct At<'a> {
    src: &'a Arc<SourceFile>,
    span: Span,
    document: usize,
    object: Option<ObjectRef>,
}

fn finding(
    rule: &'static RuleMeta,
    at: At<'_>,
    yaml_path: &str,
    message: &str,
    controls: &[&str],
) -> Finding {
    Finding {
        rule,
        severity: rule.severity,
        message: message.to_owned(),
        source: Arc::clone(at.src),
        span: at.span,
        start: at.src.position(at.span.start),
        end: at.src.position(at.span.end),
        document: at.document,
        object: at.object.map(Arc::new),
        yaml_path: yaml_path.to_owned(),
        controls: controls.iter().map(|c| (*c).to_owned()).collect(),
        origin: None,
        secret: None,
        fix: None,
    }
}

fn object(api_version: &str, kind: &str, namespace: Option<&str>, name: &str) -> Option<ObjectRef> {
    Some(ObjectRef {
        api_version: api_version.to_owned(),
        kind: kind.to_owned(),
        namespace: namespace.map(str::to_owned),
        name: Some(name.to_owned()),
    })
}

fn report() -> Report {
    let web = load("web.yaml");
    let pods = load("pods.yaml");
    let broken = load("broken.yaml");
    let deploy = || object("apps/v1", "Deployment", Some("shop"), "web");
    let pod = || object("v1", "Pod", None, "debug");
    let containers = "spec.template.spec.containers";

    let findings = vec![
        // Multi-byte characters precede the span on its line; the span covers key+value.
        finding(
            &IMAGE_LATEST,
            At {
                src: &web,
                span: span(&web, "image: \"nginx", 0, "latest\""),
                document: 0,
                object: deploy(),
            },
            &format!("{containers}[0].image"),
            "container \"wëb-☃\" uses image \"nginx:latest\" with the mutable tag latest",
            &[],
        ),
        finding(
            &PRIVILEGED,
            At {
                src: &web,
                span: span(&web, "privileged:", 0, "true"),
                document: 0,
                object: deploy(),
            },
            &format!("{containers}[1].securityContext.privileged"),
            "container \"sidecar\" runs privileged",
            &[
                "cis-1.12:5.2.2",
                "nsa-cisa-1.2:privileged",
                "pss-baseline:privileged",
            ],
        ),
        // A block spanning three lines: the key and its nested mapping.
        finding(
            &CAPS_DROP_ALL,
            At {
                src: &web,
                span: span(&web, "capabilities:", 0, "]"),
                document: 0,
                object: deploy(),
            },
            &format!("{containers}[1].securityContext.capabilities.drop"),
            "container \"sidecar\" does not drop ALL capabilities",
            &["cis-1.12:5.2.9", "pss-restricted:capabilities_restricted"],
        ),
        finding(
            &HOST_NETWORK,
            At {
                src: &pods,
                span: span(&pods, "hostNetwork", 0, "true"),
                document: 1,
                object: pod(),
            },
            "spec.hostNetwork",
            "pod shares the host's network namespace",
            &["cis-1.12:5.2.5", "pss-baseline:hostNamespaces"],
        ),
        // A missing field: the position is its nearest existing parent (the `spec:` key).
        finding(
            &DEFAULT_SA,
            At {
                src: &pods,
                span: span(&pods, "spec", 0, "spec"),
                document: 1,
                object: pod(),
            },
            "spec.serviceAccountName",
            "pod runs as the default service account",
            &["cis-1.12:5.1.5"],
        ),
        finding(
            &SA_DEPRECATED,
            At {
                src: &pods,
                span: span(&pods, "serviceAccount:", 0, "legacy"),
                document: 1,
                object: pod(),
            },
            "spec.serviceAccount",
            "spec.serviceAccount is deprecated",
            &[],
        ),
    ];

    let quote = span(&broken, "\"unterminated", 0, "\"");
    let errors = vec![
        LintError {
            path: broken.path.clone(),
            line: broken.position(quote.start).line,
            column: broken.position(quote.start).column,
            message: "found unexpected end of stream while scanning a quoted scalar".to_owned(),
            source: Some(Arc::clone(&broken)),
            span: Some(quote),
        },
        LintError {
            path: "testdata/reporters/missing.yaml".to_owned(),
            line: 0,
            column: 0,
            message: "cannot read: No such file or directory (os error 2)".to_owned(),
            source: None,
            span: None,
        },
    ];

    let mut rule_controls = BTreeMap::new();
    rule_controls.insert(
        HOST_PID.id,
        vec![
            "pss-baseline:hostNamespaces".to_owned(),
            "cis-1.12:5.2.3".to_owned(),
        ],
    );
    let mut report = Report {
        findings,
        errors,
        notes: vec![
            "testdata/reporters/chart: a Helm chart; its templates were not rendered".to_owned(),
        ],
        summary: Summary {
            files: 4,
            documents: 3,
            objects: 2,
            skipped_documents: 1,
            elapsed: Duration::from_millis(3),
        },
        rules: vec![
            &PRIVILEGED,
            &HOST_NETWORK,
            &HOST_PID,
            &CAPS_DROP_ALL,
            &IMAGE_LATEST,
            &DEFAULT_SA,
            &SA_DEPRECATED,
        ],
        rule_controls,
    };
    report.sort();
    report
}

fn snapshot_opts() -> HumanOptions {
    HumanOptions {
        color: false,
        unicode: false,
        show_summary: true,
        show_elapsed: false,
        width: 100,
        context_lines: 1,
    }
}

#[test]
fn human_ascii() {
    insta::assert_snapshot!("human_ascii", human::render(&report(), &snapshot_opts()));
}

#[test]
fn human_unicode() {
    let opts = HumanOptions {
        unicode: true,
        ..snapshot_opts()
    };
    insta::assert_snapshot!("human_unicode", human::render(&report(), &opts));
}

#[test]
fn human_header_counts_characters() {
    let out = human::render(&report(), &snapshot_opts());
    // `image:` on line 16 follows "wëb-☃": character column 27, byte column 30.
    let web = load("web.yaml");
    let pos = web.position(web.text.find("image: \"nginx").expect("present"));
    assert_eq!((pos.line, pos.column), (16, 27));
    assert!(out.contains("[testdata/reporters/web.yaml:16:27]"), "{out}");
}

#[test]
fn human_summary_elapsed_and_empty() {
    let mut r = report();
    let opts = HumanOptions {
        show_elapsed: true,
        ..snapshot_opts()
    };
    let out = human::render(&r, &opts);
    let last = out.lines().last().expect("summary line");
    assert_eq!(
        last,
        "6 findings (1 critical, 1 high, 2 medium, 1 low, 1 info) in 4 files, 3 documents, \
         2 objects (1 document not Kubernetes, skipped), 2 errors - 3 ms"
    );

    r.findings.clear();
    r.errors.clear();
    r.notes.clear();
    r.summary.skipped_documents = 0;
    r.summary.elapsed = Duration::from_millis(1250);
    assert_eq!(
        human::render(&r, &opts),
        "no findings in 4 files, 3 documents, 2 objects, 0 errors - 1.25 s\n"
    );
    let quiet = HumanOptions {
        show_summary: false,
        ..opts
    };
    assert_eq!(human::render(&r, &quiet), "");
}

#[test]
fn human_color_uses_ansi_only_when_asked() {
    let r = report();
    assert!(!human::render(&r, &snapshot_opts()).contains('\u{1b}'));
    let color = HumanOptions {
        color: true,
        unicode: true,
        ..snapshot_opts()
    };
    assert!(human::render(&r, &color).contains('\u{1b}'));
}

#[test]
fn json_snapshot() {
    insta::assert_snapshot!("json", json::render(&report()));
}

#[test]
fn json_has_the_contract_keys() {
    let out = json::render(&report());
    assert!(out.ends_with("}\n"));
    let v: Value = serde_json::from_str(&out).expect("valid JSON");
    assert_eq!(v["version"], 1);
    let f = &v["findings"][0];
    for key in [
        "rule",
        "code",
        "severity",
        "message",
        "path",
        "line",
        "column",
        "end_line",
        "end_column",
        "document",
        "object",
        "yaml_path",
        "controls",
        "origin",
    ] {
        assert!(f.get(key).is_some(), "finding lacks {key}");
    }
    for key in ["api_version", "kind", "namespace", "name"] {
        assert!(f["object"].get(key).is_some(), "object lacks {key}");
    }
    let e = &v["errors"][0];
    for key in ["path", "line", "column", "message"] {
        assert!(e.get(key).is_some(), "error lacks {key}");
    }
    for key in ["files", "documents", "objects", "findings", "errors"] {
        assert!(v["summary"][key].is_u64(), "summary lacks {key}");
    }
    assert_eq!(v["summary"]["findings"], 6);
    assert_eq!(v["summary"]["errors"], 2);

    // The multi-byte line: columns count characters, and the span ends after the quote.
    let img = v["findings"]
        .as_array()
        .expect("array")
        .iter()
        .find(|f| f["rule"] == "image-latest")
        .expect("image finding");
    assert_eq!(
        (
            &img["line"],
            &img["column"],
            &img["end_line"],
            &img["end_column"]
        ),
        (
            &Value::from(16),
            &Value::from(27),
            &Value::from(16),
            &Value::from(48)
        )
    );
    assert_eq!(img["path"], "testdata/reporters/web.yaml");
    assert_eq!(img["object"]["namespace"], "shop");
    assert!(img["origin"].is_null());
}

#[test]
fn sarif_snapshot() {
    insta::assert_snapshot!("sarif", sarif::render(&report()));
}

#[test]
fn sarif_has_what_github_reads() {
    let out = sarif::render(&report());
    assert_eq!(out, sarif::render(&report()), "byte-identical across runs");
    // It reads back into serde-sarif's typed model.
    let typed: serde_sarif::sarif::Sarif = serde_json::from_str(&out).expect("a SARIF log");
    assert_eq!(typed.runs[0].results.as_ref().map(Vec::len), Some(6));
    let v: Value = serde_json::from_str(&out).expect("valid JSON");
    assert_eq!(v["version"], "2.1.0");
    let run = &v["runs"][0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    assert!(run["originalUriBaseIds"]["%SRCROOT%"].is_object());
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "kspm");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    let rules = driver["rules"].as_array().expect("rules");
    assert_eq!(
        rules.len(),
        7,
        "every rule that ran, with or without findings"
    );
    for r in rules {
        assert!(r["id"].is_string());
        assert!(r["shortDescription"]["text"].is_string());
        assert!(r["fullDescription"]["text"].is_string());
        assert!(r["help"]["text"].is_string());
        assert!(r["help"]["markdown"].is_string());
        assert!(r["helpUri"].is_string());
        let tags = r["properties"]["tags"].as_array().expect("tags");
        assert!(tags.contains(&Value::from("security")));
        let score: f64 = r["properties"]["security-severity"]
            .as_str()
            .expect("security-severity is a string")
            .parse()
            .expect("a number");
        assert!((0.0..=10.0).contains(&score));
    }
    let host_pid = rules
        .iter()
        .find(|r| r["id"] == "host-pid")
        .expect("host-pid");
    assert!(
        host_pid["properties"]["tags"]
            .as_array()
            .expect("tags")
            .contains(&Value::from("cis-1.12:5.2.3")),
        "tags come from rule_controls for rules without findings"
    );

    let results = run["results"].as_array().expect("results");
    assert_eq!(results.len(), 6);
    let mut fingerprints = std::collections::HashSet::new();
    for r in results {
        let idx = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[idx]["id"], r["ruleId"]);
        assert!(["error", "warning", "note"].contains(&r["level"].as_str().expect("level")));
        assert!(r["message"]["text"].is_string());
        let loc = &r["locations"][0]["physicalLocation"];
        let uri = loc["artifactLocation"]["uri"].as_str().expect("uri");
        assert!(
            uri.starts_with("testdata/reporters/"),
            "relative uri: {uri}"
        );
        assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        assert!(loc["region"]["startLine"].as_u64().expect("startLine") >= 1);
        let fp = r["partialFingerprints"]["kspm/v1"]
            .as_str()
            .expect("fingerprint");
        assert!(
            fingerprints.insert(fp.to_owned()),
            "fingerprints are distinct"
        );
    }
    let privileged = results
        .iter()
        .find(|r| r["ruleId"] == "privileged-container")
        .expect("privileged");
    assert_eq!(privileged["level"], "error");

    let inv = &run["invocations"][0];
    assert_eq!(inv["executionSuccessful"], false);
    assert_eq!(
        inv["toolExecutionNotifications"]
            .as_array()
            .expect("notifications")
            .len(),
        3,
        "two errors and one note"
    );
}

/// Fingerprints ignore line numbers: a finding that moved down keeps its fingerprint.
#[test]
fn sarif_fingerprint_survives_line_shifts() {
    let fp = |text: &str| {
        let src = SourceFile::new("k8s/p.yaml", text);
        let s = span(&src, "hostNetwork", 0, "true");
        let f = finding(
            &HOST_NETWORK,
            At {
                src: &src,
                span: s,
                document: 0,
                object: object("v1", "Pod", None, "p"),
            },
            "spec.hostNetwork",
            "pod shares the host's network namespace",
            &[],
        );
        let r = Report {
            findings: vec![f],
            ..Report::default()
        };
        let v: Value = serde_json::from_str(&sarif::render(&r)).expect("json");
        let res = &v["runs"][0]["results"][0];
        (
            res["partialFingerprints"]["kspm/v1"]
                .as_str()
                .expect("fp")
                .to_owned(),
            res["locations"][0]["physicalLocation"]["region"]["startLine"].clone(),
        )
    };
    let base = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  hostNetwork: true\n";
    let shifted = "# a comment\n\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  hostNetwork: true\n";
    let (a, line_a) = fp(base);
    let (b, line_b) = fp(shifted);
    assert_ne!(line_a, line_b);
    assert_eq!(a, b);
}

#[test]
fn sarif_uris_are_relative_and_encoded() {
    let src = SourceFile::new("k8s dir/100%/web app.yaml", "a: 1\n");
    let f = finding(
        &HOST_NETWORK,
        At {
            src: &src,
            span: Span::new(0, 4),
            document: 0,
            object: None,
        },
        "a",
        "m",
        &[],
    );
    let r = Report {
        findings: vec![f],
        ..Report::default()
    };
    let v: Value = serde_json::from_str(&sarif::render(&r)).expect("json");
    let loc = &v["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
    assert_eq!(loc["uri"], "k8s%20dir/100%25/web%20app.yaml");
    assert_eq!(loc["uriBaseId"], "%SRCROOT%");
}

/// Spans at the edges of the text (empty, at EOF, CRLF lines) render without a panic and
/// with the header at the finding's own line and column.
#[test]
fn human_edge_spans() {
    let cases: [(&str, &str, Span); 5] = [
        ("eof.yaml", "a: 1\nb: 2", Span::new(9, 9)),
        ("nl.yaml", "a: 1\nb: 2\n", Span::new(10, 10)),
        ("crlf.yaml", "a: 1\r\nb: 2\r\nc: 3\r\n", Span::new(6, 10)),
        ("empty.yaml", "", Span::new(0, 0)),
        // Out of bounds (an upstream bug): clamped, still rendered.
        ("oob.yaml", "a: 1\n", Span::new(40, 50)),
    ];
    for (name, text, s) in cases {
        let src = SourceFile::new(name, text);
        let f = finding(
            &HOST_NETWORK,
            At {
                src: &src,
                span: s,
                document: 0,
                object: None,
            },
            "b",
            "m",
            &[],
        );
        let header = format!("[{name}:{}:{}]", f.start.line, f.start.column);
        let r = Report {
            findings: vec![f],
            ..Report::default()
        };
        let out = human::render(&r, &snapshot_opts());
        assert!(out.contains("host-network: m"), "{name}: {out}");
        assert!(!out.contains("Failed to read"), "{name}: {out}");
        assert!(
            out.contains(&header) || out.contains(&format!("{name}:")),
            "{name}: {out}"
        );
        if name == "crlf.yaml" {
            assert!(out.contains(&header), "{out}");
            assert!(out.contains(" 2 | b: 2"), "{out}");
        }
    }
}
