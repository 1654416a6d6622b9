//! `--format gitlab`: a GitLab Code Quality report (`artifacts:reports:codequality`).
//!
//! GitLab documents a JSON array of issues with `description`, `check_name`, `fingerprint`
//! (unique per issue), `severity` (`info`, `minor`, `major`, `critical`, `blocker`),
//! `location.path` (relative) and `location.lines.begin`. The Code Climate fields `type`
//! and `categories` are added; GitLab ignores what it does not read.

use std::collections::HashMap;
use std::fmt::Write as _;

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::{Finding, LintError, Report};
use crate::rule::Severity;

/// Bump if the fingerprint recipe changes (GitLab compares fingerprints across pipelines).
const RECIPE: &str = "kspm-gitlab/v1";

/// GitLab's severity for ours.
pub fn severity(sev: Severity) -> &'static str {
    match sev {
        Severity::Critical => "blocker",
        Severity::High => "critical",
        Severity::Medium => "major",
        Severity::Low => "minor",
        Severity::Info => "info",
    }
}

#[derive(Serialize)]
struct Issue<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    description: String,
    check_name: &'a str,
    fingerprint: String,
    severity: &'static str,
    categories: [&'static str; 1],
    location: Location<'a>,
}

#[derive(Serialize)]
struct Location<'a> {
    path: &'a str,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
    end: usize,
}

/// Line-independent, so GitLab sees the same issue after unrelated edits; an occurrence
/// number keeps findings that agree in every part apart.
fn fingerprint(parts: &[&str], seen: &mut HashMap<String, usize>) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0]);
    }
    let base: String = h.finalize()[..16].iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    });
    let n = seen.entry(base.clone()).or_insert(0);
    *n += 1;
    if *n == 1 {
        return base;
    }
    let mut h = Sha256::new();
    h.update(base.as_bytes());
    h.update(n.to_string().as_bytes());
    h.finalize()[..16].iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

fn finding_issue<'a>(f: &'a Finding, seen: &mut HashMap<String, usize>) -> Issue<'a> {
    let (kind, ns, name) = f.object.as_ref().map_or(("", "", ""), |o| {
        (
            o.kind.as_str(),
            o.namespace.as_deref().unwrap_or(""),
            o.name.as_deref().unwrap_or(""),
        )
    });
    let document = f.document.to_string();
    let fp = fingerprint(
        &[
            RECIPE,
            f.rule.id,
            f.path(),
            &document,
            kind,
            ns,
            name,
            &f.yaml_path,
        ],
        seen,
    );
    let end = if f.end.line >= f.start.line {
        f.end.line
    } else {
        f.start.line
    };
    Issue {
        kind: "issue",
        description: format!("{} ({}): {}", f.rule.id, f.rule.code, f.message),
        check_name: f.rule.id,
        fingerprint: fp,
        severity: severity(f.severity),
        categories: ["Security"],
        location: Location {
            path: f.path(),
            lines: Lines {
                begin: f.start.line.max(1),
                end: end.max(1),
            },
        },
    }
}

fn error_issue<'a>(e: &'a LintError, seen: &mut HashMap<String, usize>) -> Issue<'a> {
    let fp = fingerprint(&[RECIPE, "input-error", &e.path, &e.message], seen);
    Issue {
        kind: "issue",
        description: format!("kspm could not lint this input: {}", e.message),
        check_name: "kspm-input-error",
        fingerprint: fp,
        severity: "major",
        categories: ["Bug Risk"],
        location: Location {
            path: &e.path,
            lines: Lines {
                begin: e.line.max(1),
                end: e.line.max(1),
            },
        },
    }
}

/// The report as a Code Quality JSON array, pretty, with a trailing newline.
pub fn render(report: &Report) -> String {
    let mut seen = HashMap::new();
    let mut issues: Vec<Issue<'_>> = report
        .findings
        .iter()
        .map(|f| finding_issue(f, &mut seen))
        .collect();
    issues.extend(report.errors.iter().map(|e| error_issue(e, &mut seen)));
    let mut s = serde_json::to_string_pretty(&issues).unwrap_or_else(|_| "[]".to_string());
    s.push('\n');
    s
}
