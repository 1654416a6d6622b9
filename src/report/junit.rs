//! `--format junit`: JUnit XML, as CI test-report views read it.
//!
//! One `<testsuite>` per file with findings or errors; in it one `<testcase>` per object and
//! rule, failing with every finding of that rule on that object (location, yaml path,
//! message); an input that could not be linted is a testcase with an `<error>`. Passing
//! object × rule pairs are not listed: a repository has tens of thousands of them. No
//! timestamps or durations, so the same report renders to the same bytes.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::{Finding, LintError, Report};

/// Text for XML content and attribute values; characters XML 1.0 cannot hold become U+FFFD.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

fn object_label(f: &Finding) -> String {
    match &f.object {
        Some(o) => {
            let name = o.name.as_deref().unwrap_or("(unnamed)");
            match &o.namespace {
                Some(ns) => format!("{} {ns}/{name}", o.kind),
                None => format!("{} {name}", o.kind),
            }
        }
        None => format!("document {}", f.document),
    }
}

#[derive(Default)]
struct Suite<'a> {
    /// (object label, rule id) -> findings, in report order of first appearance.
    cases: Vec<((String, &'a str), Vec<&'a Finding>)>,
    errors: Vec<&'a LintError>,
}

/// The report as JUnit XML.
pub fn render(report: &Report) -> String {
    let mut suites: BTreeMap<&str, Suite<'_>> = BTreeMap::new();
    for f in &report.findings {
        let suite = suites.entry(f.path()).or_default();
        let key = (object_label(f), f.rule.id);
        match suite.cases.iter_mut().find(|(k, _)| *k == key) {
            Some((_, list)) => list.push(f),
            None => suite.cases.push((key, vec![f])),
        }
    }
    for e in &report.errors {
        suites.entry(e.path.as_str()).or_default().errors.push(e);
    }
    let tests: usize = suites
        .values()
        .map(|s| s.cases.len() + s.errors.len())
        .sum();
    let failures: usize = suites.values().map(|s| s.cases.len()).sum();
    let errors: usize = suites.values().map(|s| s.errors.len()).sum();

    let mut x = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        x,
        "<testsuites name=\"kspm\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\">"
    );
    for (path, suite) in &suites {
        let p = escape(path);
        let _ = writeln!(
            x,
            "  <testsuite name=\"{p}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"0\">",
            suite.cases.len() + suite.errors.len(),
            suite.cases.len(),
            suite.errors.len()
        );
        for ((object, rule), findings) in &suite.cases {
            let first = findings[0];
            let _ = writeln!(
                x,
                "    <testcase name=\"{} {}\" classname=\"{p}\" file=\"{p}\" line=\"{}\">",
                escape(rule),
                escape(object),
                first.start.line
            );
            let mut body = String::new();
            for f in findings {
                let _ = writeln!(
                    body,
                    "{}:{}:{}: {} {} {}: {}\n  at {}",
                    f.path(),
                    f.start.line,
                    f.start.column,
                    f.severity,
                    f.rule.code,
                    f.rule.id,
                    f.message,
                    f.yaml_path
                );
            }
            if !first.rule.help.is_empty() {
                let _ = writeln!(body, "help: {}", first.rule.help);
            }
            let _ = writeln!(body, "{}", first.rule.docs_url());
            let _ = writeln!(
                x,
                "      <failure message=\"{}\" type=\"{}\">{}</failure>",
                escape(&first.message),
                first.severity,
                escape(&body)
            );
            x.push_str("    </testcase>\n");
        }
        for e in &suite.errors {
            let _ = writeln!(
                x,
                "    <testcase name=\"load\" classname=\"{p}\" file=\"{p}\" line=\"{}\">",
                e.line
            );
            let _ = writeln!(
                x,
                "      <error message=\"{}\" type=\"input-error\">{}:{}:{}: {}</error>",
                escape(&e.message),
                p,
                e.line,
                e.column,
                escape(&e.message)
            );
            x.push_str("    </testcase>\n");
        }
        x.push_str("  </testsuite>\n");
    }
    x.push_str("</testsuites>\n");
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_control_characters() {
        assert_eq!(
            escape("a<b & \"c\"\u{1}"),
            "a&lt;b &amp; &quot;c&quot;\u{fffd}"
        );
    }
}
