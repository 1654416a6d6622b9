//! `--format json`: the machine-readable contract of DESIGN.md ("version": 1).
//!
//! Contract fields are never renamed or removed; extra fields are additive. Nothing
//! time-dependent is printed, so the output is byte-identical across runs.
//!
//! A large report (hundreds of thousands of findings, ~1 KB of JSON each) is written as it
//! is rendered: findings are rendered in parallel, a window of chunks at a time, while the
//! previous window is written, so the whole text is never held in memory. The bytes are
//! those of `serde_json::to_writer_pretty` on the whole report.

use std::io::{self, Write};

use rayon::prelude::*;
use serde::Serialize;

use super::json_finding::{self, RuleFragments};
use super::{LintError, Listed, Report, SuppressedFinding, listed};
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
    let mut buf = Vec::new();
    if write_with(report, suppressed, show_suppressed, &mut buf).is_err() {
        // Writing to memory cannot fail; stay valid JSON.
        buf = b"{}\n".to_vec();
    }
    String::from_utf8(buf).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Findings rendered per parallel task.
const CHUNK: usize = 1024;
/// Chunks rendered per window; one window is written while the next is rendered.
const WINDOW: usize = 16;

/// `render_with`, written to `out` as it is rendered (see the module docs).
pub fn write_with(
    report: &Report,
    suppressed: &[SuppressedFinding],
    show_suppressed: bool,
    out: &mut (impl Write + Send),
) -> io::Result<()> {
    let items = listed(&report.findings, suppressed, show_suppressed);
    out.write_all(b"{\n  \"version\": 1,\n  \"findings\": ")?;
    write_findings(&items, out)?;
    write_tail(&tail(report, suppressed, show_suppressed), out)
}

/// The findings array, as serde_json pretty-prints it two levels deep.
fn write_findings(items: &[Listed<'_>], out: &mut (impl Write + Send)) -> io::Result<()> {
    if items.is_empty() {
        return out.write_all(b"[]");
    }
    out.write_all(b"[")?;
    let fragments = RuleFragments::all();
    let chunks: Vec<(usize, &[Listed<'_>])> = items.chunks(CHUNK).enumerate().collect();
    let mut pending: Vec<Vec<u8>> = Vec::new();
    for window in chunks.chunks(WINDOW) {
        let (written, rendered) = rayon::join(
            || pending.iter().try_for_each(|b| out.write_all(b)),
            || {
                window
                    .par_iter()
                    .map(|&(i, c)| render_chunk(c, i == 0, &fragments))
                    .collect::<Vec<Vec<u8>>>()
            },
        );
        written?;
        pending = rendered;
    }
    pending.iter().try_for_each(|b| out.write_all(b))?;
    out.write_all(b"\n  ]")
}

/// Items as array elements at depth 2: each on a new line, indented by four spaces, with
/// `,` before every item but the array's first.
fn render_chunk(chunk: &[Listed<'_>], first: bool, fragments: &RuleFragments) -> Vec<u8> {
    let mut buf = Vec::with_capacity(chunk.len() * 1200);
    for (i, (f, s)) in chunk.iter().enumerate() {
        if i > 0 || !first {
            buf.push(b',');
        }
        buf.extend_from_slice(b"\n    ");
        json_finding::write(&mut buf, f, *s, fragments);
    }
    buf
}

/// What the members after `findings` are made of.
pub(super) struct TailParts<'a> {
    pub errors: &'a [LintError],
    pub notes: &'a [String],
    pub summary: &'a super::Summary,
    pub findings: usize,
    /// Reported findings per severity, in `Severity::ALL` order.
    pub by_severity: [usize; 5],
    /// Suppressed findings, when they are listed.
    pub suppressed: Option<usize>,
}

/// Everything after the findings.
fn tail<'a>(
    report: &'a Report,
    suppressed: &[SuppressedFinding],
    show_suppressed: bool,
) -> TailParts<'a> {
    TailParts {
        errors: &report.errors,
        notes: &report.notes,
        summary: &report.summary,
        findings: report.findings.len(),
        by_severity: Severity::ALL.map(|s| report.count_by_severity(s)),
        suppressed: show_suppressed.then_some(suppressed.len()),
    }
}

/// `,` and the members after `findings`, then the closing brace: the end of the report.
pub(super) fn write_tail(parts: &TailParts<'_>, out: &mut impl Write) -> io::Result<()> {
    // At indentation 0 this is `{\n  "errors": ...\n}`: its inner lines are already
    // indented as members of the top-level object.
    let rest = serde_json::to_vec_pretty(&json_tail(parts)).map_err(io::Error::other)?;
    out.write_all(b",\n")?;
    out.write_all(rest.get(2..).unwrap_or_default())?;
    out.write_all(b"\n")?;
    out.flush()
}

fn json_tail<'a>(parts: &TailParts<'a>) -> JsonTail<'a> {
    let count = |s: Severity| parts.by_severity[s as usize];
    JsonTail {
        errors: parts.errors.iter().map(JsonError::from).collect(),
        notes: parts.notes,
        summary: JsonSummary {
            files: parts.summary.files,
            documents: parts.summary.documents,
            objects: parts.summary.objects,
            findings: parts.findings,
            errors: parts.errors.len(),
            skipped_documents: parts.summary.skipped_documents,
            suppressed: parts.suppressed,
            by_severity: BySeverity {
                critical: count(Severity::Critical),
                high: count(Severity::High),
                medium: count(Severity::Medium),
                low: count(Severity::Low),
                info: count(Severity::Info),
            },
        },
    }
}

/// The members after `findings`, in contract order.
#[derive(Serialize)]
struct JsonTail<'a> {
    errors: Vec<JsonError<'a>>,
    notes: &'a [String],
    summary: JsonSummary,
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

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::report::{Finding, ObjectRef, Summary, Suppressed, SuppressedBy};

    /// The serde model of one finding: the reference the hand-written writer must match.
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
                object: f.object.as_deref().map(JsonObject::from),
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

    use crate::source::SourceFile;
    use crate::yaml::Span;

    /// The whole report serialized by serde_json at once: what `write_with` must match.
    #[derive(Serialize)]
    struct Whole<'a> {
        version: u32,
        findings: Vec<JsonFinding<'a>>,
        #[serde(flatten)]
        tail: JsonTail<'a>,
    }

    /// Fixes with edits (an insertion, a replacement with characters to escape), with none,
    /// and of every applicability.
    fn test_fix(i: usize, src: &Arc<SourceFile>) -> Option<Box<crate::fix::Fix>> {
        use crate::fix::{Applicability, Edit, Fix};
        let applicability = [
            Applicability::Safe,
            Applicability::Unsafe,
            Applicability::Display,
        ][i % 3];
        let edits = match i % 4 {
            0 => return None,
            1 => Vec::new(),
            _ => vec![
                Edit {
                    span: Span::new(0, 0),
                    text: "a: \"b\"\n".into(),
                },
                Edit {
                    span: Span::new(10, 18),
                    text: format!("tab\there {i}"),
                },
            ],
        };
        let mut fix = Fix::from_edits(applicability, format!("fix {i} \u{e9}"), edits);
        fix.source = Some(Arc::clone(src));
        if i % 5 == 3 {
            fix.origin = Some(crate::fix::origin::OriginFix::Rendered(format!(
                "only on the \"rendered\" output {i}"
            )));
        }
        Some(Box::new(fix))
    }

    fn report(n: usize) -> Report {
        let src = SourceFile::new("a.yaml", "kind: Pod\nmetadata:\n  name: \"x\\ty\"\n");
        let rules: Vec<_> = crate::registry::all().iter().map(|r| r.meta()).collect();
        let findings = (0..n)
            .map(|i| {
                let rule = rules[i % rules.len()];
                Finding {
                    rule,
                    severity: rule.severity,
                    message: format!("message {i} with \"quotes\"\nand a newline"),
                    source: Arc::clone(&src),
                    span: Span::new(0, 4),
                    start: src.position(0),
                    end: src.position(4),
                    document: i / 7,
                    object: (i % 3 != 0).then(|| {
                        Arc::new(ObjectRef {
                            api_version: "v1".into(),
                            kind: "Pod".into(),
                            namespace: (i % 2 == 0).then(|| "ns".into()),
                            name: Some(format!("pod-{i}")),
                        })
                    }),
                    yaml_path: format!("spec.containers[{i}]"),
                    controls: if i % 4 == 0 {
                        Arc::from(Vec::new())
                    } else {
                        Arc::from(vec!["cis:1.2".to_string(), "nsa:x".to_string()])
                    },
                    origin: (i % 5 == 0)
                        .then(|| serde_json::json!({"build": "k", "chain": [1, {"a": []}]})),
                    secret: None,
                    fix: test_fix(i, &src),
                }
            })
            .collect();
        Report {
            findings,
            notes: vec!["a note".into()],
            summary: Summary {
                files: 1,
                documents: n / 7 + 1,
                ..Summary::default()
            },
            ..Report::default()
        }
    }

    fn whole(report: &Report, suppressed: &[SuppressedFinding], show: bool) -> String {
        let mut items: Vec<(&Finding, Option<&Suppressed>)> =
            report.findings.iter().map(|f| (f, None)).collect();
        if show && !suppressed.is_empty() {
            items.extend(suppressed.iter().map(|s| (&s.finding, Some(&s.suppressed))));
            items.sort_by(|a, b| a.0.sort_key().cmp(&b.0.sort_key()));
        }
        let doc = Whole {
            version: 1,
            findings: items
                .into_iter()
                .map(|(f, s)| JsonFinding {
                    suppressed: s.map(JsonSuppressed::from),
                    ..JsonFinding::from(f)
                })
                .collect(),
            tail: json_tail(&tail(report, suppressed, show)),
        };
        let mut s = serde_json::to_string_pretty(&doc).unwrap();
        s.push('\n');
        s
    }

    #[test]
    fn streamed_output_is_the_whole_report_serialized_at_once() {
        // Empty, one item, a chunk boundary, and several windows with a partial last chunk.
        for n in [0, 1, CHUNK, CHUNK * WINDOW * 2 + 3] {
            let r = report(n);
            assert_eq!(render(&r), whole(&r, &[], false), "{n} findings");
        }
    }

    #[test]
    fn streamed_output_lists_suppressed_findings_in_order() {
        let r = report(CHUNK + 5);
        let suppressed: Vec<SuppressedFinding> = report(40)
            .findings
            .into_iter()
            .map(|finding| SuppressedFinding {
                finding,
                suppressed: Suppressed {
                    by: SuppressedBy::Comment,
                    reason: "accepted".into(),
                    until: None,
                    location: None,
                },
            })
            .collect();
        let out = render_with(&r, &suppressed, true);
        assert_eq!(out, whole(&r, &suppressed, true));
        assert!(out.contains("\"by\": \"comment\""));
    }
}
