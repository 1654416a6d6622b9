//! `--format json`: the machine-readable contract of DESIGN.md ("version": 1).
//!
//! Contract fields are never renamed or removed; extra fields are additive. Nothing
//! time-dependent is printed, so the output is byte-identical across runs.

use serde::Serialize;

use super::{Finding, LintError, ObjectRef, Report, Suppressed, SuppressedFinding};
use crate::rule::Severity;

/// The JSON report, pretty-printed, with a trailing newline.
pub fn render(report: &Report) -> String {
    render_with(report, &[], false)
}

/// The JSON report; with `show_suppressed`, suppressed findings are listed among the
/// others (in the same order) with `suppressed: {by, reason, until}`, and the summary counts
/// them.
pub fn render_with(
    report: &Report,
    suppressed: &[SuppressedFinding],
    show_suppressed: bool,
) -> String {
    let mut findings: Vec<JsonFinding<'_>> =
        report.findings.iter().map(JsonFinding::from).collect();
    if show_suppressed && !suppressed.is_empty() {
        let mut all: Vec<(&Finding, Option<&Suppressed>)> = report
            .findings
            .iter()
            .map(|f| (f, None))
            .chain(suppressed.iter().map(|s| (&s.finding, Some(&s.suppressed))))
            .collect();
        all.sort_by(|a, b| a.0.sort_key().cmp(&b.0.sort_key()));
        findings = all
            .into_iter()
            .map(|(f, s)| JsonFinding {
                suppressed: s.map(JsonSuppressed::from),
                ..JsonFinding::from(f)
            })
            .collect();
    }
    let doc = JsonReport {
        version: 1,
        findings,
        errors: report.errors.iter().map(JsonError::from).collect(),
        notes: &report.notes,
        summary: JsonSummary {
            files: report.summary.files,
            documents: report.summary.documents,
            objects: report.summary.objects,
            findings: report.findings.len(),
            errors: report.errors.len(),
            skipped_documents: report.summary.skipped_documents,
            suppressed: show_suppressed.then_some(suppressed.len()),
            by_severity: BySeverity {
                critical: report.count_by_severity(Severity::Critical),
                high: report.count_by_severity(Severity::High),
                medium: report.count_by_severity(Severity::Medium),
                low: report.count_by_severity(Severity::Low),
                info: report.count_by_severity(Severity::Info),
            },
        },
    };
    // About 900 bytes per finding; reserving avoids copying a large buffer while it grows.
    let mut buf = Vec::with_capacity(1024 + report.findings.len() * 900);
    if serde_json::to_writer_pretty(&mut buf, &doc).is_err() {
        // Plain structs of strings and numbers cannot fail to serialize; stay valid JSON.
        buf = b"{}".to_vec();
    }
    buf.push(b'\n');
    String::from_utf8(buf).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    findings: Vec<JsonFinding<'a>>,
    errors: Vec<JsonError<'a>>,
    notes: &'a [String],
    summary: JsonSummary,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'a str,
    code: &'a str,
    severity: &'a str,
    message: &'a str,
    path: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    document: usize,
    object: Option<JsonObject<'a>>,
    yaml_path: &'a str,
    controls: &'a [String],
    origin: &'a Option<serde_json::Value>,
    title: &'a str,
    help: &'a str,
    docs_url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    suppressed: Option<JsonSuppressed<'a>>,
    /// The edits that resolve the finding (additive; see docs/fixes.md).
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<crate::fix::serial::JsonFix>,
}

#[derive(Serialize)]
struct JsonSuppressed<'a> {
    by: &'static str,
    reason: &'a str,
    until: Option<&'a str>,
}

impl<'a> From<&'a Suppressed> for JsonSuppressed<'a> {
    fn from(s: &'a Suppressed) -> Self {
        JsonSuppressed {
            by: s.by.as_str(),
            reason: &s.reason,
            until: s.until.as_deref(),
        }
    }
}

impl<'a> From<&'a Finding> for JsonFinding<'a> {
    fn from(f: &'a Finding) -> Self {
        JsonFinding {
            rule: f.rule.id,
            code: f.rule.code,
            severity: f.severity.as_str(),
            message: &f.message,
            path: f.path(),
            line: f.start.line,
            column: f.start.column,
            end_line: f.end.line,
            end_column: f.end.column,
            document: f.document,
            object: f.object.as_ref().map(JsonObject::from),
            yaml_path: &f.yaml_path,
            controls: &f.controls,
            origin: &f.origin,
            title: f.rule.title,
            help: f.rule.help,
            docs_url: f.rule.docs_url(),
            suppressed: None,
            fix: crate::fix::serial::JsonFix::of(f),
        }
    }
}

#[derive(Serialize)]
struct JsonObject<'a> {
    api_version: &'a str,
    kind: &'a str,
    namespace: Option<&'a str>,
    name: Option<&'a str>,
}

impl<'a> From<&'a ObjectRef> for JsonObject<'a> {
    fn from(o: &'a ObjectRef) -> Self {
        JsonObject {
            api_version: &o.api_version,
            kind: &o.kind,
            namespace: o.namespace.as_deref(),
            name: o.name.as_deref(),
        }
    }
}

#[derive(Serialize)]
struct JsonError<'a> {
    path: &'a str,
    line: usize,
    column: usize,
    message: &'a str,
}

impl<'a> From<&'a LintError> for JsonError<'a> {
    fn from(e: &'a LintError) -> Self {
        JsonError {
            path: &e.path,
            line: e.line,
            column: e.column,
            message: &e.message,
        }
    }
}

#[derive(Serialize)]
struct JsonSummary {
    files: usize,
    documents: usize,
    objects: usize,
    findings: usize,
    errors: usize,
    skipped_documents: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    suppressed: Option<usize>,
    by_severity: BySeverity,
}

/// Fixed key order (most severe first) rather than a map, so output never reorders.
#[derive(Serialize)]
struct BySeverity {
    critical: usize,
    high: usize,
    medium: usize,
    low: usize,
    info: usize,
}
