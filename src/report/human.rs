//! The terminal format: each finding as annotated source (miette), then a summary line.

use std::fmt::{self, Write as _};
use std::sync::Arc;
use std::time::Duration;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, SourceCode, SourceSpan, SpanContents, ThemeCharacters, ThemeStyles,
};

use super::{Finding, LintError, Report};
use crate::rule::Severity;
use crate::source::SourceFile;
use crate::yaml::Span;

/// How the human report looks; the CLI decides from the terminal and `--color`.
#[derive(Clone, Debug)]
pub struct HumanOptions {
    /// ANSI colours.
    pub color: bool,
    /// Unicode box-drawing characters; ASCII art otherwise.
    pub unicode: bool,
    /// End with the summary line.
    pub show_summary: bool,
    /// Print the elapsed time in the summary; off for snapshots, which must not vary.
    pub show_elapsed: bool,
    /// Wrap messages at this many columns (source lines are never wrapped).
    pub width: usize,
    /// Source lines shown before and after each annotated span.
    pub context_lines: usize,
}

impl Default for HumanOptions {
    fn default() -> Self {
        HumanOptions {
            color: false,
            unicode: false,
            show_summary: true,
            show_elapsed: true,
            width: 120,
            context_lines: 1,
        }
    }
}

/// Render the report as annotated source: findings, then errors, notes and the summary.
pub fn render(report: &Report, opts: &HumanOptions) -> String {
    let styles = if opts.color {
        ThemeStyles::ansi()
    } else {
        ThemeStyles::none()
    };
    let characters = if opts.unicode {
        ThemeCharacters::unicode()
    } else {
        ThemeCharacters::ascii()
    };
    let handler = GraphicalReportHandler::new_themed(GraphicalTheme {
        characters,
        styles: styles.clone(),
    })
    .with_width(opts.width)
    .with_context_lines(opts.context_lines)
    // URLs must stay clickable and copyable, so never split them.
    .with_break_words(false)
    .with_links(false);

    let mut out = String::new();
    for finding in &report.findings {
        let diag = FindingDiagnostic::new(finding, &styles);
        push_rendered(&mut out, &handler, &diag, || {
            format!(
                "{}:{}:{}: {}",
                finding.path(),
                finding.start.line,
                finding.start.column,
                diag.text
            )
        });
    }
    for error in &report.errors {
        match ErrorDiagnostic::new(error, &styles) {
            Some(diag) => push_rendered(&mut out, &handler, &diag, || {
                format!("error: {}", plain_error(error))
            }),
            None => {
                let _ = writeln!(
                    out,
                    "{}: {}",
                    styles.error.style("error"),
                    plain_error(error)
                );
            }
        }
    }
    for note in &report.notes {
        let _ = writeln!(out, "{}: {note}", styles.advice.style("note"));
    }
    if opts.show_summary {
        // One blank line before the summary; a diagnostic block already ends with one.
        if !out.is_empty() && !out.ends_with("\n\n") {
            out.push('\n');
        }
        out.push_str(&summary_line(report, opts, &styles));
        out.push('\n');
    }
    out
}

fn plain_error(error: &LintError) -> String {
    if error.line > 0 {
        format!(
            "{}:{}:{}: {}",
            error.path, error.line, error.column, error.message
        )
    } else {
        format!("{}: {}", error.path, error.message)
    }
}

/// Render one diagnostic; if miette cannot (it only fails on an unreadable span), fall back
/// to one plain line so the finding is never lost.
fn push_rendered(
    out: &mut String,
    handler: &GraphicalReportHandler,
    diag: &dyn Diagnostic,
    fallback: impl FnOnce() -> String,
) {
    let mut rendered = String::new();
    match handler.render_report(&mut rendered, diag) {
        Ok(()) => {
            out.push_str(&rendered);
            if !rendered.ends_with('\n') {
                out.push('\n');
            }
        }
        Err(_) => {
            out.push_str(&fallback());
            out.push('\n');
        }
    }
    out.push('\n');
}

/// `12 findings (1 critical, 3 high) in 4 files, 9 documents, 9 objects, 0 errors — 3 ms`.
fn summary_line(report: &Report, opts: &HumanOptions, styles: &ThemeStyles) -> String {
    let s = &report.summary;
    let mut line = String::new();
    let total = report.findings.len();
    if total == 0 {
        line.push_str("no findings");
    } else {
        line.push_str(&plural(total, "finding", "findings"));
        let parts: Vec<String> = report
            .severity_counts()
            .into_iter()
            .filter(|(_, n)| *n > 0)
            .map(|(sev, n)| format!("{n} {}", paint_severity(sev, styles)))
            .collect();
        let _ = write!(line, " ({})", parts.join(", "));
    }
    let _ = write!(
        line,
        " in {}, {}, {}",
        plural(s.files, "file", "files"),
        plural(s.documents, "document", "documents"),
        plural(s.objects, "object", "objects"),
    );
    if s.skipped_documents > 0 {
        let _ = write!(
            line,
            " ({} not Kubernetes, skipped)",
            plural(s.skipped_documents, "document", "documents")
        );
    }
    let _ = write!(line, ", {}", plural(report.errors.len(), "error", "errors"));
    if opts.show_elapsed {
        let dash = if opts.unicode { "—" } else { "-" };
        let _ = write!(line, " {dash} {}", format_elapsed(s.elapsed));
    }
    line
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn format_elapsed(d: Duration) -> String {
    if d < Duration::from_secs(1) {
        format!("{} ms", d.as_millis())
    } else {
        format!("{:.2} s", d.as_secs_f64())
    }
}

/// The severity word in the colour miette gives the matching icon.
fn paint_severity(sev: Severity, styles: &ThemeStyles) -> String {
    let style = match sev {
        Severity::Critical | Severity::High => styles.error,
        Severity::Medium | Severity::Low => styles.warning,
        Severity::Info => styles.advice,
    };
    style.style(sev.as_str()).to_string()
}

/// miette's icon and colour: it has three levels where we have five.
fn miette_severity(sev: Severity) -> miette::Severity {
    match sev {
        Severity::Critical | Severity::High => miette::Severity::Error,
        Severity::Medium | Severity::Low => miette::Severity::Warning,
        Severity::Info => miette::Severity::Advice,
    }
}

/// Source code for miette backed by the shared `SourceFile`: no copy of the text per
/// diagnostic, and lines found through the line index instead of a scan from the start
/// (miette's `str` impl rescans the whole file for every span).
struct SharedSource(Arc<SourceFile>);

impl SourceCode for SharedSource {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let src = &self.0;
        let text = src.text.as_bytes();
        let start = span.offset();
        let end = start + span.len();
        if start > text.len() || end > text.len() {
            return Err(MietteError::OutOfBounds);
        }
        let first = src.position(start);
        // The last line the span touches: a span ending right after a newline stays on
        // the line of its last character.
        let last_line = src.position(end.saturating_sub(1).max(start)).line;
        let from_line = first.line.saturating_sub(context_lines_before).max(1);
        let to_line = (last_line + context_lines_after).min(src.line_count());
        // Same convention as miette's own impls: without context the data starts at the
        // span and `column` is where the span starts (in characters, like ours).
        let (data_start, data_line, column) = if context_lines_before == 0 {
            (start, first.line, first.column - 1)
        } else {
            (src.line_start(from_line), from_line, 0)
        };
        let data_end = if to_line >= src.line_count() {
            text.len()
        } else {
            src.line_start(to_line + 1)
        };
        let data_end = data_end.max(data_start);
        // A very long line (minified JSON) is shown as a window around the span: printing
        // it whole for every finding costs time and memory quadratic in the line, and
        // miette cannot pad past column 65535.
        let mut window = (
            data_start,
            data_end,
            data_line,
            column,
            to_line + 1 - data_line,
        );
        if data_end - data_start > LONG_SNIPPET {
            let line_start = src.line_start(first.line);
            let line_end = if last_line < src.line_count() {
                src.line_start(last_line + 1)
            } else {
                text.len()
            };
            let from = if context_lines_before == 0 {
                start
            } else {
                snap_back(&src.text, start.saturating_sub(WINDOW).max(line_start))
            };
            let to = snap_back(&src.text, (end + WINDOW).min(line_end)).max(end);
            let column = src.text[line_start..from].chars().count();
            window = (from, to, first.line, column, last_line + 1 - first.line);
        }
        let (data_start, data_end, data_line, column, line_count) = window;
        Ok(Box::new(MietteSpanContents::new_named(
            src.path.clone(),
            &text[data_start..data_end],
            SourceSpan::new(data_start.into(), data_end - data_start),
            data_line - 1,
            column,
            line_count,
        )))
    }
}

/// Bytes of source shown around a finding before long lines are cut to a window...
const LONG_SNIPPET: usize = 16 * 1024;
/// ... of this many bytes on each side of the span (a longer label is cut to this).
const WINDOW: usize = 120;

fn snap_back(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The primary label, clamped into the text on char boundaries: a bad span from upstream
/// still shows the nearest source instead of miette's "failed to read" line.
fn label(src: &SourceFile, span: Span, text: Option<String>) -> LabeledSpan {
    let snap = |mut i: usize| {
        i = i.min(src.text.len());
        while !src.text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let start = snap(span.start);
    let mut end = snap(span.end.max(start));
    if end - start > LONG_SNIPPET {
        end = snap(start + WINDOW);
    }
    LabeledSpan::new_primary_with_span(text, SourceSpan::new(start.into(), end - start))
}

/// One finding as a miette diagnostic.
struct FindingDiagnostic {
    text: String,
    severity: miette::Severity,
    help: String,
    source: SharedSource,
    label: LabeledSpan,
}

/// One line saying how a rendered finding reached its source line: the build or render,
/// and the patch, template or values file in between.
fn origin_trail(origin: &serde_json::Value) -> Option<String> {
    let text = |v: &serde_json::Value| v.as_str().map(str::to_string);
    let renderer = text(&origin["renderer"])?;
    let build = text(&origin["build"])
        .or_else(|| text(&origin["chart"]))
        .or_else(|| text(&origin["rendered"]["path"]))?;
    let mut line = format!("rendered by {renderer} from {build}");
    if let Some(kind) = text(&origin["patch"]["type"]) {
        line.push_str(&format!(", set by a {kind} patch"));
    }
    if let Some(resource) = text(&origin["resource"]) {
        line.push_str(&format!(" on {resource}"));
    }
    if let Some(template) = text(&origin["template"]) {
        line.push_str(&format!(", template {template}"));
    }
    if let Some(label) = text(&origin["render"]).filter(|l| !l.is_empty()) {
        line.push_str(&format!(" ({label})"));
    }
    Some(line)
}

/// The `help: run --fix` line for a finding that has a fix.
fn fix_hint(f: &Finding) -> Option<String> {
    use crate::fix::Applicability;
    let fix = f.fix.as_deref()?;
    let d = &fix.description;
    Some(match (fix.applicability, f.origin.is_some()) {
        (Applicability::Display, _) => format!("suggestion: {d} (fill in the placeholders)"),
        (_, true) => format!(
            "fix: {d}; shown by `kspm lint --diff` against the rendered output, not applied \
             (change the source above)"
        ),
        (Applicability::Safe, false) => format!("fix: run `kspm lint --fix` to {d}"),
        (Applicability::Unsafe, false) => {
            format!("unsafe fix: run `kspm lint --fix --unsafe-fixes` to {d} (review it)")
        }
    })
}

impl FindingDiagnostic {
    fn new(f: &Finding, styles: &ThemeStyles) -> Self {
        let sev = paint_severity(f.severity, styles);
        let text = format!("{sev}[{}] {}: {}", f.rule.code, f.rule.id, f.message);
        let mut help = if f.rule.help.is_empty() {
            format!("see {}", f.rule.docs_url())
        } else {
            format!("{}\nsee {}", f.rule.help, f.rule.docs_url())
        };
        if let Some(trail) = f.origin.as_ref().and_then(origin_trail) {
            help = format!("{trail}\n{help}");
        }
        if let Some(hint) = fix_hint(f) {
            help = format!("{help}\n{hint}");
        }
        let label_text = (!f.yaml_path.is_empty()).then(|| f.yaml_path.clone());
        FindingDiagnostic {
            text,
            severity: miette_severity(f.severity),
            help,
            source: SharedSource(Arc::clone(&f.source)),
            label: label(&f.source, f.span, label_text),
        }
    }
}

impl fmt::Debug for FindingDiagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Display for FindingDiagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl std::error::Error for FindingDiagnostic {}

impl Diagnostic for FindingDiagnostic {
    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(&self.help))
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(self.label.clone())))
    }
}

/// A lint error that sits in readable text, as a miette diagnostic.
struct ErrorDiagnostic {
    text: String,
    source: SharedSource,
    label: LabeledSpan,
}

impl ErrorDiagnostic {
    fn new(e: &LintError, styles: &ThemeStyles) -> Option<Self> {
        let (source, span) = (e.source.as_ref()?, e.span?);
        Some(ErrorDiagnostic {
            text: format!("{}: {}", styles.error.style("error"), e.message),
            source: SharedSource(Arc::clone(source)),
            label: label(source, span, None),
        })
    }
}

impl fmt::Debug for ErrorDiagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Display for ErrorDiagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl std::error::Error for ErrorDiagnostic {}

impl Diagnostic for ErrorDiagnostic {
    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Error)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(self.label.clone())))
    }
}
