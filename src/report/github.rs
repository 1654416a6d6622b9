//! `--format github`: GitHub Actions workflow commands, one annotation per finding, and a
//! Markdown job summary for `$GITHUB_STEP_SUMMARY`.
//!
//! <https://docs.github.com/actions/reference/workflow-commands-for-github-actions>: data is
//! escaped `%` -> `%25`, CR -> `%0D`, LF -> `%0A`; property values also `:` -> `%3A` and
//! `,` -> `%2C`. GitHub shows at most a few annotations of each level per step; the summary
//! lists every finding (up to `SUMMARY_ROWS`).

use std::fmt::Write as _;
use std::io::Write as _;

use super::{Finding, LintError, Report};
use crate::rule::Severity;

/// The variable GitHub sets to the job summary file.
pub const STEP_SUMMARY_ENV: &str = "GITHUB_STEP_SUMMARY";
/// Rows of the summary's finding table; the rest is counted.
pub const SUMMARY_ROWS: usize = 200;

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// `error` for critical and high, `warning` for medium and low, `notice` for info.
pub fn level(sev: Severity) -> &'static str {
    match sev {
        Severity::Critical | Severity::High => "error",
        Severity::Medium | Severity::Low => "warning",
        Severity::Info => "notice",
    }
}

fn annotation(f: &Finding) -> String {
    let end = if f.end >= f.start { f.end } else { f.start };
    let title = format!("{} {}: {}", f.rule.code, f.rule.id, f.rule.title);
    let mut message = format!("[{}] {}", f.severity, f.message);
    if !f.rule.help.is_empty() {
        let _ = write!(message, "\nhelp: {}", f.rule.help);
    }
    let _ = write!(message, "\n{}", f.rule.docs_url());
    format!(
        "::{} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
        level(f.severity),
        escape_property(f.path()),
        f.start.line,
        f.start.column,
        end.line,
        end.column,
        escape_property(&title),
        escape_data(&message)
    )
}

fn error_annotation(e: &LintError) -> String {
    let mut props = format!("file={}", escape_property(&e.path));
    if e.line > 0 {
        let _ = write!(props, ",line={}", e.line);
        if e.column > 0 {
            let _ = write!(props, ",col={}", e.column);
        }
    }
    format!(
        "::error {props},title={}::{}\n",
        escape_property("kspm: input could not be linted"),
        escape_data(&e.message)
    )
}

/// The workflow commands: findings, then errors and notes, in report order.
pub fn render(report: &Report) -> String {
    let mut out = String::with_capacity(256 * (report.findings.len() + report.errors.len()) + 64);
    for f in &report.findings {
        out.push_str(&annotation(f));
    }
    for e in &report.errors {
        out.push_str(&error_annotation(e));
    }
    for n in &report.notes {
        let _ = writeln!(out, "::notice title=kspm::{}", escape_data(n));
    }
    out
}

/// Text for a code span in a Markdown table cell: one line, pipes escaped, no backticks.
fn code(s: &str) -> String {
    s.replace('`', "'")
        .replace('|', "\\|")
        .replace(['\r', '\n'], " ")
}

/// A Markdown table cell: one line, pipes escaped, no HTML.
fn cell(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace(['\r', '\n'], " ")
}

/// The job summary: counts by severity, the findings and the inputs that failed.
pub fn step_summary(report: &Report, suppressed: usize) -> String {
    let mut s = String::new();
    let n = report.findings.len();
    let files: std::collections::BTreeSet<&str> =
        report.findings.iter().map(Finding::path).collect();
    let _ = writeln!(
        s,
        "## kspm: {n} finding{} in {} file{}\n",
        if n == 1 { "" } else { "s" },
        files.len(),
        if files.len() == 1 { "" } else { "s" }
    );
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let _ = writeln!(
        s,
        "Linted {}, {}.{}{}\n",
        plural(report.summary.files, "file", "files"),
        plural(report.summary.objects, "object", "objects"),
        if suppressed > 0 {
            format!(" {suppressed} suppressed.")
        } else {
            String::new()
        },
        if report.errors.is_empty() {
            String::new()
        } else {
            format!(
                " {} could not be linted.",
                plural(report.errors.len(), "input", "inputs")
            )
        }
    );
    if n > 0 {
        s.push_str("| Severity | Findings |\n|---|---:|\n");
        for (sev, count) in report.severity_counts() {
            if count > 0 {
                let _ = writeln!(s, "| {sev} | {count} |");
            }
        }
        s.push_str("\n| Severity | Rule | Location | Message |\n|---|---|---|---|\n");
        for f in report.findings.iter().take(SUMMARY_ROWS) {
            let _ = writeln!(
                s,
                "| {} | [`{}`]({}) {} | `{}:{}:{}` | {} |",
                f.severity,
                f.rule.id,
                f.rule.docs_url(),
                f.rule.code,
                code(f.path()),
                f.start.line,
                f.start.column,
                cell(&f.message)
            );
        }
        if n > SUMMARY_ROWS {
            let _ = writeln!(s, "\n… and {} more.", n - SUMMARY_ROWS);
        }
        s.push('\n');
    }
    if !report.errors.is_empty() {
        s.push_str("### Inputs that could not be linted\n\n| Location | Error |\n|---|---|\n");
        for e in &report.errors {
            let _ = writeln!(
                s,
                "| `{}:{}:{}` | {} |",
                code(&e.path),
                e.line,
                e.column,
                cell(&e.message)
            );
        }
        s.push('\n');
    }
    s
}

/// Append the job summary to `$GITHUB_STEP_SUMMARY` when it is set (GitHub concatenates
/// what each step appends).
pub fn append_step_summary(report: &Report, suppressed: usize) -> Result<(), String> {
    let Some(path) = std::env::var_os(STEP_SUMMARY_ENV).filter(|p| !p.is_empty()) else {
        return Ok(());
    };
    let fail = |e: std::io::Error| {
        format!(
            "cannot write {STEP_SUMMARY_ENV} ({}): {e}",
            path.to_string_lossy()
        )
    };
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .map_err(fail)?;
    f.write_all(step_summary(report, suppressed).as_bytes())
        .map_err(fail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_github_documents() {
        assert_eq!(escape_data("50%\nx\r"), "50%25%0Ax%0D");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
        assert_eq!(cell("a|b\nc"), "a\\|b c");
        assert_eq!(cell("<b>&"), "&lt;b&gt;&amp;");
    }
}
