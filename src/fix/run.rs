//! `kspm lint --fix` / `--diff`: gather the fixes of a report per file, fix each file's text
//! (re-linting between rounds), then write the files or print unified diffs.
//!
//! A finding on a rendered object (Helm, Kustomize) has edits on the rendered stream, not
//! on the file it is reported in: a template or a patch produces that text, so changing
//! the file at the same offsets would be wrong. Such fixes are shown (as a diff of the
//! rendered output, under the traced source position) and never applied.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use super::apply::{Candidate, FindingKey, Outcome, fix_text};
use super::{Applicability, diff, write};
use crate::engine::Engine;
use crate::report::{Finding, Report};
use crate::source::SourceFile;
use crate::yaml::Span;

/// What the run does with the fixes.
#[derive(Clone, Copy, Debug)]
pub struct Mode {
    /// Write the fixed files (`--fix`); otherwise only compute them (`--diff`).
    pub write: bool,
    /// Apply unsafe fixes too (`--unsafe-fixes`).
    pub unsafe_fixes: bool,
}

/// What a fix run did.
#[derive(Clone, Debug, Default)]
pub struct RunResult {
    /// Unified diffs, file by file in path order.
    pub diff: String,
    /// Lines for stderr: skipped fixes, rendered objects, files that could not be written.
    pub notes: Vec<String>,
    /// Fixes applied (or that `--fix` would apply).
    pub fixed: usize,
    /// Files changed (or that would change).
    pub files: usize,
    /// Findings whose fix needs `--unsafe-fixes`.
    pub unsafe_hidden: usize,
    /// Whether a file could not be read or written.
    pub failed: bool,
}

fn key(f: &Finding) -> FindingKey {
    FindingKey {
        rule: f.rule.id,
        document: f.document,
        yaml_path: f.yaml_path.clone(),
    }
}

/// The candidates of a report's findings on one source, for the fixes the mode applies.
fn candidates<'a>(findings: impl Iterator<Item = &'a Finding>, mode: Mode) -> Vec<Candidate> {
    candidates_where(findings, &|a| a.applies(mode.unsafe_fixes))
}

fn candidates_where<'a>(
    findings: impl Iterator<Item = &'a Finding>,
    take: &dyn Fn(Applicability) -> bool,
) -> Vec<Candidate> {
    findings
        .filter_map(|f| {
            let fix = f.fix.as_deref()?;
            take(fix.applicability).then(|| Candidate {
                key: key(f),
                fix: fix.clone(),
            })
        })
        .collect()
}

/// Lint one text with `engine` and apply the fixes `take` accepts, round by round (the
/// library form of `--fix` for one file, without suppressions).
pub fn fix_source(
    engine: &Engine,
    path: &str,
    text: &str,
    take: &dyn Fn(Applicability) -> bool,
) -> Outcome {
    let lint = |t: &str| -> Vec<Candidate> {
        let r = engine.lint(&[SourceFile::new(path, t)]);
        candidates_where(r.findings.iter(), take)
    };
    let first = lint(text);
    fix_text(text, first, &lint)
}

/// How a rendered finding came to be, for the note.
fn renderer(f: &Finding) -> String {
    match f.origin.as_ref().and_then(|o| o.get("renderer")?.as_str()) {
        Some("kustomize") => "built by Kustomize".to_string(),
        Some("helm") => "rendered by Helm".to_string(),
        Some(r) => format!("rendered by {r}"),
        None => "rendered".to_string(),
    }
}

/// Lines of `text` that hold a secret, masked from the secret's start to the line end (as
/// every other output shows them).
fn masked_lines(text: &str, secrets: &[Span]) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for s in secrets {
        let start = super::layout::line_start(text, s.start.min(text.len()));
        let end = super::layout::line_end(text, s.start.min(text.len()));
        let Some(line) = text.get(start..end) else {
            continue;
        };
        let cut = s.start.saturating_sub(start).min(line.len());
        if !line.is_char_boundary(cut) {
            continue;
        }
        let masked = format!(
            "{}{}",
            &line[..cut],
            "*".repeat(line[cut..].chars().count())
        );
        out.insert(line.to_string(), masked);
    }
    out
}

fn mask_diff(diff: &str, masked: &HashMap<String, String>) -> String {
    if masked.is_empty() {
        return diff.to_string();
    }
    diff.split_inclusive('\n')
        .map(|l| {
            let (body, end) = match l.strip_suffix('\n') {
                Some(b) => (
                    b.trim_end_matches('\r'),
                    &l[b.trim_end_matches('\r').len()..],
                ),
                None => (l, ""),
            };
            let Some(first) = body.chars().next().filter(|c| matches!(c, ' ' | '-' | '+')) else {
                return l.to_string();
            };
            match masked.get(&body[1..]) {
                Some(m) if !body.starts_with("---") && !body.starts_with("+++") => {
                    format!("{first}{m}{end}")
                }
                _ => l.to_string(),
            }
        })
        .collect()
}

/// Fix every file of the report (or compute the diffs).
pub fn run(report: &Report, engine: &Engine, cwd: &Path, mode: Mode) -> RunResult {
    let mut res = RunResult::default();
    let mut by_path: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    let mut by_stream: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for f in &report.findings {
        let Some(fix) = f.fix.as_deref() else {
            continue;
        };
        if !fix.applicability.applies(mode.unsafe_fixes) {
            if fix.applicability == Applicability::Unsafe {
                res.unsafe_hidden += 1;
            }
            continue;
        }
        match (&f.origin, &fix.source) {
            (Some(_), Some(src)) => by_stream.entry(src.path.as_str()).or_default().push(f),
            (Some(_), None) => {}
            (None, _) => by_path.entry(f.path()).or_default().push(f),
        }
    }
    for (path, findings) in by_path {
        fix_file(path, &findings, report, engine, cwd, mode, &mut res);
    }
    for (stream, findings) in by_stream {
        // Secrets found in this rendered stream (their spans are in its text).
        let secrets: Vec<Span> = report
            .findings
            .iter()
            .filter(|f| f.origin.as_ref().is_some_and(|o| built_from(o, stream)))
            .filter_map(|f| f.secret)
            .collect();
        rendered(stream, &findings, engine, mode, &secrets, &mut res);
    }
    res
}

/// Fixes on rendered objects (a Helm chart, a Kustomize build): shown as one diff of the
/// rendered output under the traced source positions, never applied.
/// Whether a finding's origin trail names `stream` as the build or chart it came from.
fn built_from(origin: &serde_json::Value, stream: &str) -> bool {
    [
        &origin["build"],
        &origin["chart"],
        &origin["rendered"]["path"],
    ]
    .iter()
    .any(|v| v.as_str() == Some(stream))
}

fn rendered(
    stream: &str,
    findings: &[&Finding],
    engine: &Engine,
    mode: Mode,
    secrets: &[Span],
    res: &mut RunResult,
) {
    let Some(src) = findings.iter().find_map(|f| f.fix.as_ref()?.source.clone()) else {
        return;
    };
    let how = renderer(findings[0]);
    let why = format!(
        "{stream}: {} fix{} not applied: the objects are {how}, so each change belongs in \
         the template, values file or patch at the position kspm traced, not in the \
         rendered text",
        findings.len(),
        if findings.len() == 1 { "" } else { "es" }
    );
    if mode.write {
        res.notes.push(format!("{why} (see --diff)"));
        return;
    }
    // The findings' documents are those of the traced files: find their fixes again on
    // the rendered stream by rule and field.
    let want: std::collections::BTreeSet<(&str, &str)> = findings
        .iter()
        .map(|f| (f.rule.id, f.yaml_path.as_str()))
        .collect();
    let relint = |text: &str| -> Vec<Candidate> {
        let r = engine.lint(&[SourceFile::new(stream, text)]);
        candidates(r.findings.iter(), mode)
    };
    let first: Vec<Candidate> = relint(&src.text)
        .into_iter()
        .filter(|c| want.contains(&(c.key.rule, c.key.yaml_path.as_str())))
        .collect();
    let out = fix_text(&src.text, first, &relint);
    let mut s = format!("# {why}:\n");
    for f in findings {
        let desc = f.fix.as_ref().map_or("", |x| x.description.as_str());
        s.push_str(&format!(
            "#   {}:{}:{}: {}: {desc}\n",
            f.path(),
            f.start.line,
            f.start.column,
            f.rule.id
        ));
    }
    let d = diff::unified_with(
        &format!("a/{stream} (rendered)"),
        &format!("b/{stream} (rendered, with the fixes)"),
        &src.text,
        &out.text,
    );
    s.push_str(&mask_diff(&d, &masked_lines(&src.text, secrets)));
    res.diff.push_str(&s);
}

fn fix_file(
    path: &str,
    findings: &[&Finding],
    report: &Report,
    engine: &Engine,
    cwd: &Path,
    mode: Mode,
    res: &mut RunResult,
) {
    let Some(source) = findings.iter().find_map(|f| f.fix.as_ref()?.source.clone()) else {
        return;
    };
    if path == crate::discover::STDIN_NAME && mode.write {
        res.notes
            .push("<stdin>: fixes are not applied to standard input (use --diff)".to_string());
        return;
    }
    let file = cwd.join(path);
    if path != crate::discover::STDIN_NAME {
        match std::fs::read_to_string(&file) {
            Ok(t) if t == source.text => {}
            Ok(_) => {
                res.notes.push(format!(
                    "{path}: not fixed: the file changed since it was linted"
                ));
                return;
            }
            Err(e) => {
                res.notes
                    .push(format!("{path}: not fixed: cannot read it: {e}"));
                res.failed = true;
                return;
            }
        }
    }
    let first = candidates(findings.iter().copied(), mode);
    let relint = |text: &str| -> Vec<Candidate> {
        let r = engine.lint(&[SourceFile::new(path, text)]);
        candidates(r.findings.iter(), mode)
    };
    let out: Outcome = fix_text(&source.text, first, &relint);
    for s in &out.skipped {
        res.notes.push(format!(
            "{path}: {} at {}: {} ({})",
            s.key.rule, s.key.yaml_path, s.reason, s.description
        ));
    }
    if out.text == source.text {
        return;
    }
    res.fixed += out.applied.len();
    res.files += 1;
    if mode.write {
        if let Err(e) = write::write_preserving(&file, &out.text) {
            res.notes.push(e);
            res.failed = true;
        }
        return;
    }
    let secrets: Vec<Span> = report
        .findings
        .iter()
        .filter(|f| f.path() == path && f.origin.is_none())
        .filter_map(|f| f.secret)
        .collect();
    let d = diff::unified(path, &source.text, &out.text);
    res.diff
        .push_str(&mask_diff(&d, &masked_lines(&source.text, &secrets)));
}

/// The line `--fix` prints on stderr after writing.
pub fn summary(res: &RunResult, mode: Mode) -> String {
    let verb = if mode.write { "fixed" } else { "would fix" };
    let mut s = format!(
        "kspm: {verb} {} finding{} in {} file{}",
        res.fixed,
        if res.fixed == 1 { "" } else { "s" },
        res.files,
        if res.files == 1 { "" } else { "s" }
    );
    if res.unsafe_hidden > 0 && !mode.unsafe_fixes {
        s.push_str(&format!("; {} more with --unsafe-fixes", res.unsafe_hidden));
    }
    s
}
