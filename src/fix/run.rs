//! `kspm lint --fix` / `--diff`: gather the fixes of a report per file, fix each file's text
//! (re-linting between rounds), then write the files or print unified diffs.
//!
//! A finding on a rendered object (Helm, Kustomize) has edits on the rendered stream, not
//! on the file it is reported in: a template or a patch produces that text, so changing
//! the file at the same offsets would be wrong. Such fixes are never applied: they are
//! shown as diffs of the files kspm traced each change to exactly (`origin`), and the
//! rest as a diff of the rendered output, under the traced source positions.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;

use super::apply::{Candidate, FindingKey, Outcome, apply_edits, fix_text};
use super::origin::{OriginFix, SourceEdits, SourceKind};
use super::{Applicability, Edit, diff, write};
use crate::engine::Engine;
use crate::report::{Finding, Report};
use crate::source::SourceFile;
use crate::yaml::Span;
use crate::yaml::load::load_all;

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
        rendered(stream, &findings, report, engine, mode, &mut res);
    }
    res
}

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

/// Fixes on rendered objects (a Helm chart, a Kustomize build), never applied: shown as
/// diffs of the files kspm traced each change to, and the rest as one diff of the
/// rendered output, under the traced position of every finding.
fn rendered(
    stream: &str,
    findings: &[&Finding],
    report: &Report,
    engine: &Engine,
    mode: Mode,
    res: &mut RunResult,
) {
    let how = renderer(findings[0]);
    let why = format!(
        "{stream}: {} fix{} not applied: the objects are {how}, so each change belongs in \
         the template, values file or patch kspm traced it to, and a template line, values \
         entry or resource may produce many objects",
        findings.len(),
        if findings.len() == 1 { "" } else { "es" }
    );
    if mode.write {
        res.notes.push(format!("{why} (see --diff)"));
        return;
    }
    let mut traced = source_diffs(findings, report, engine, mode);
    let mut s = format!("# {why}; review these changes before making them:\n");
    for f in findings {
        let desc = f.fix.as_ref().map_or("", |x| x.description.as_str());
        let at = match traced.placed.get(&by_finding(f)) {
            Some(file) => format!("in {file}"),
            None => format!(
                "on the rendered output only: {}",
                traced
                    .rendered
                    .iter()
                    .find(|(g, _)| by_finding(g) == by_finding(f))
                    .map_or("", |(_, why)| why.as_str())
            ),
        };
        s.push_str(&format!(
            "#   {}:{}:{}: {}: {desc} ({at})\n",
            f.path(),
            f.start.line,
            f.start.column,
            f.rule.id
        ));
    }
    s.push_str(&std::mem::take(&mut traced.diff));
    let rest: Vec<&Finding> = traced.rendered.iter().map(|(f, _)| *f).collect();
    if !rest.is_empty() {
        s.push_str(&format!(
            "# {stream}: {} fix{} shown on the rendered output (not exact in a source file):\n",
            rest.len(),
            if rest.len() == 1 { "" } else { "es" }
        ));
        // Secrets found in this rendered stream (their spans are in its text).
        let secrets: Vec<Span> = report
            .findings
            .iter()
            .filter(|f| f.origin.as_ref().is_some_and(|o| built_from(o, stream)))
            .filter_map(|f| f.secret)
            .collect();
        s.push_str(&rendered_diff(stream, &rest, engine, mode, &secrets));
    }
    res.diff.push_str(&s);
}

/// Identifies a finding across the lists of one stream.
fn by_finding(f: &Finding) -> FindingId<'_> {
    (
        f.path(),
        f.span.start,
        f.span.end,
        f.rule.id,
        f.yaml_path.as_str(),
    )
}

/// The source files' diffs of a stream's traced fixes, and the fixes left to the rendered
/// output (with why).
#[derive(Default)]
struct Traced<'a> {
    diff: String,
    /// Finding -> the source file(s) its change is in.
    placed: HashMap<FindingId<'a>, String>,
    rendered: Vec<(&'a Finding, String)>,
}

fn source_diffs<'a>(
    findings: &[&'a Finding],
    report: &Report,
    engine: &Engine,
    mode: Mode,
) -> Traced<'a> {
    let mut out = Traced::default();
    let mut by_file: BTreeMap<String, Vec<(&'a Finding, SourceEdits)>> = BTreeMap::new();
    for &f in findings {
        match f.fix.as_ref().and_then(|x| x.origin.as_ref()) {
            Some(OriginFix::Source(edits)) if !edits.is_empty() => {
                for e in edits {
                    by_file
                        .entry(e.source.path.clone())
                        .or_default()
                        .push((f, e.clone()));
                }
            }
            Some(OriginFix::Rendered(why)) => out.rendered.push((f, why.clone())),
            _ => out
                .rendered
                .push((f, "kspm did not trace it to a file".to_string())),
        }
    }
    let joined = join_insertions(findings, &mut by_file, engine, mode);
    // Insertions of several fixes at one template or values place are written one after the other
    // when the rendered output with all of them still verifies; else they wait.
    let mut merge = true;
    let (mut texts, mut refused) = file_fixes(&by_file, engine, mode, merge);
    if !rendered_verifies(findings, &by_file, &refused, &joined) {
        merge = false;
        (texts, refused) = file_fixes(&by_file, engine, mode, merge);
    }
    if !refused.is_empty() {
        // Recompute without the refused fixes, so that no file shows part of one.
        let mut kept: BTreeMap<String, Vec<(&'a Finding, SourceEdits)>> = BTreeMap::new();
        for (path, items) in &by_file {
            let left: Vec<_> = items
                .iter()
                .filter(|(f, _)| !refused.contains_key(&by_finding(f)))
                .cloned()
                .collect();
            if !left.is_empty() {
                kept.insert(path.clone(), left);
            }
        }
        texts = file_fixes(&kept, engine, mode, merge).0;
        by_file = kept;
        for &f in findings {
            if let Some(why) = refused.get(&by_finding(f)) {
                out.rendered.push((f, why.clone()));
            }
        }
    }
    for (path, items) in &by_file {
        for (f, _) in items {
            let e = out.placed.entry(by_finding(f)).or_default();
            if !e.is_empty() {
                e.push_str(", ");
            }
            e.push_str(path);
        }
    }
    for (path, (src, text)) in &texts {
        let secrets: Vec<Span> = report
            .findings
            .iter()
            .filter(|f| f.path() == path)
            .filter_map(|f| f.secret)
            .collect();
        let d = diff::unified(path, &src.text, text);
        out.diff
            .push_str(&mask_diff(&d, &masked_lines(&src.text, &secrets)));
    }
    out
}

/// Fixes that each insert new lines at one template place and need each other's lines
/// (each would create the same missing `securityContext:`): their rendered fixes made
/// together, round by round as for a plain file, come to one insertion at that rendered
/// place, written once at the template place. Their source edits become that one edit;
/// the answer holds, per finding, the joined rendered edit (for the rendered check).
fn join_insertions<'a>(
    findings: &[&'a Finding],
    by_file: &mut BTreeMap<String, Vec<(&'a Finding, SourceEdits)>>,
    engine: &Engine,
    mode: Mode,
) -> HashMap<FindingId<'a>, Vec<Edit>> {
    let mut joined = HashMap::new();
    let Some(src) = findings.iter().find_map(|f| f.fix.as_ref()?.source.clone()) else {
        return joined;
    };
    let starts: Vec<usize> = load_all(&src)
        .into_iter()
        .map(|d| d.map_or(usize::MAX, |d| d.root.span.start))
        .collect();
    for items in by_file.values_mut() {
        // (template offset, rendered offset) -> the members.
        let mut groups: BTreeMap<(usize, usize), Vec<usize>> = BTreeMap::new();
        for (i, (f, e)) in items.iter().enumerate() {
            let rendered = f.fix.as_deref().map_or(&[][..], |x| x.edits.as_slice());
            if let ([t], [r]) = (e.edits.as_slice(), rendered)
                && e.kind == SourceKind::Template
                && t.span.start == t.span.end
                && r.span.start == r.span.end
            {
                groups
                    .entry((t.span.start, r.span.start))
                    .or_default()
                    .push(i);
            }
        }
        for ((at, p), members) in groups {
            let texts: std::collections::BTreeSet<&str> = members
                .iter()
                .filter_map(|&i| Some(items[i].0.fix.as_deref()?.edits.first()?.text.as_str()))
                .collect();
            if texts.len() < 2 {
                continue;
            }
            let want: std::collections::BTreeSet<(&str, &str)> = members
                .iter()
                .map(|&i| (items[i].0.rule.id, items[i].0.yaml_path.as_str()))
                .collect();
            // The rendered document of the place: other objects have the same fields.
            let doc = starts.iter().rposition(|&s| s <= p).unwrap_or(0);
            let relint = |t: &str| -> Vec<Candidate> {
                let r = engine.lint(&[SourceFile::new(src.path.clone(), t)]);
                candidates(r.findings.iter(), mode)
                    .into_iter()
                    .filter(|c| {
                        c.key.document == doc
                            && want.contains(&(c.key.rule, c.key.yaml_path.as_str()))
                    })
                    .collect()
            };
            let first = relint(&src.text);
            let out = fix_text(&src.text, first, &relint);
            let (old, new) = (&src.text, &out.text);
            let len = new.len().saturating_sub(old.len());
            if out.applied.len() < want.len()
                || len == 0
                || !new.starts_with(&old[..p])
                || !new.ends_with(&old[p..])
            {
                continue;
            }
            let Some(inserted) = new.get(p..p + len) else {
                continue;
            };
            // The template text is the rendered text less what includes indent.
            let (f0, e0) = &items[members[0]];
            let Some(r0) = f0.fix.as_deref().and_then(|x| x.edits.first()) else {
                continue;
            };
            let shift = super::origin::indent(&r0.text)
                .saturating_sub(super::origin::indent(&e0.edits[0].text));
            let Some(text) = super::origin::outdent(inserted, shift) else {
                continue;
            };
            if !super::origin::fits_before(&e0.source.text, at, &text) {
                continue;
            }
            let edit = Edit {
                span: Span::new(at, at),
                text,
            };
            let rendered = Edit {
                span: Span::new(p, p),
                text: inserted.to_string(),
            };
            for &i in &members {
                items[i].1.edits = vec![edit.clone()];
                joined.insert(by_finding(items[i].0), vec![rendered.clone()]);
            }
        }
    }
    joined
}

type FindingId<'a> = (&'a str, usize, usize, &'a str, &'a str);
type FileFixes<'a> = (
    BTreeMap<String, (Arc<SourceFile>, String)>,
    HashMap<FindingId<'a>, String>,
);

/// Every file's new text, and the fixes refused (with why).
fn file_fixes<'a>(
    by_file: &BTreeMap<String, Vec<(&'a Finding, SourceEdits)>>,
    engine: &Engine,
    mode: Mode,
    merge: bool,
) -> FileFixes<'a> {
    let mut texts = BTreeMap::new();
    let mut refused: HashMap<FindingId<'a>, String> = HashMap::new();
    for (path, items) in by_file {
        match file_fix(path, items, engine, mode, merge) {
            Ok((src, text, rejected)) => {
                for (f, why) in rejected {
                    refused.entry(by_finding(f)).or_insert(why);
                }
                texts.insert(path.clone(), (src, text));
            }
            Err(why) => {
                for (f, _) in items {
                    refused.entry(by_finding(f)).or_insert_with(|| why.clone());
                }
            }
        }
    }
    (texts, refused)
}

/// Whether the rendered output with the rendered edits of every template fix taken (the
/// insertions at one place one after the other, as in the template) still loads and
/// differs only at the fixed fields.
fn rendered_verifies(
    findings: &[&Finding],
    by_file: &BTreeMap<String, Vec<(&Finding, SourceEdits)>>,
    refused: &HashMap<FindingId<'_>, String>,
    joined: &HashMap<FindingId<'_>, Vec<Edit>>,
) -> bool {
    let templated: std::collections::HashSet<FindingId<'_>> = by_file
        .values()
        .flatten()
        .filter(|(_, e)| matches!(e.kind, SourceKind::Template | SourceKind::Values))
        .map(|(f, _)| by_finding(f))
        .collect();
    let Some(src) = findings.iter().find_map(|f| f.fix.as_ref()?.source.clone()) else {
        return true;
    };
    let starts: Vec<usize> = load_all(&src)
        .into_iter()
        .filter_map(Result::ok)
        .map(|d| d.root.span.start)
        .collect();
    let mut taken = Taken::default();
    let mut allowed: BTreeMap<usize, Vec<crate::yaml::YamlPath>> = BTreeMap::new();
    for f in findings {
        let id = by_finding(f);
        let Some(fix) = f.fix.as_deref() else {
            continue;
        };
        if !templated.contains(&id) || refused.contains_key(&id) {
            continue;
        }
        let edits = joined.get(&id).unwrap_or(&fix.edits);
        if !taken.add(edits, true) {
            return false;
        }
        if let Some(first) = fix.edits.first() {
            let doc = starts
                .iter()
                .rposition(|&s| s <= first.span.start)
                .unwrap_or(0);
            allowed
                .entry(doc)
                .or_default()
                .extend(fix.paths.iter().cloned());
        }
    }
    let after = apply_edits(&src.text, &taken.edits());
    // Two fixes that each create a missing parent at one place would write it twice.
    loads_like(&src.text, &after) && super::verify::check(&src.text, &after, &allowed).is_ok()
}

/// Edits taken so far; an insertion place may hold the insertions of several fixes.
#[derive(Default)]
struct Taken {
    /// Each place and the edits there, in the order taken.
    places: Vec<(Span, Vec<Edit>)>,
}

impl Taken {
    /// Add a fix's edits: identical ones once, insertions at a taken insertion's place
    /// next to it (with `merge`). False, leaving everything as it was, when one overlaps.
    fn add(&mut self, edits: &[Edit], merge: bool) -> bool {
        let point = |s: Span| s.start == s.end;
        let mut plan: Vec<(Option<usize>, &Edit)> = Vec::new();
        for a in edits {
            if self.places.iter().any(|(_, es)| es.contains(a)) {
                continue;
            }
            let mut at = None;
            for (i, (span, _)) in self.places.iter().enumerate() {
                // Only whole new lines can follow each other (flow entries need commas).
                let lines = |e: &Edit| e.text.starts_with(['\n', '\r']);
                if merge
                    && point(a.span)
                    && point(*span)
                    && a.span.start == span.start
                    && lines(a)
                    && self.places[i].1.iter().all(lines)
                {
                    at = Some(i);
                } else if a.span.start < span.end.max(span.start + 1)
                    && span.start < a.span.end.max(a.span.start + 1)
                {
                    return false;
                }
            }
            plan.push((at, a));
        }
        for (at, a) in plan {
            match at {
                Some(i) => self.places[i].1.push(a.clone()),
                None => self.places.push((a.span, vec![a.clone()])),
            }
        }
        true
    }

    /// The edits, sorted; the insertions at one place joined, those nested deeper first
    /// (they end the block the place is at).
    fn edits(&self) -> Vec<Edit> {
        let mut out: Vec<Edit> = self
            .places
            .iter()
            .map(|(span, es)| {
                let mut es: Vec<&Edit> = es.iter().collect();
                es.sort_by_key(|e| std::cmp::Reverse(indent(&e.text)));
                Edit {
                    span: *span,
                    text: es.iter().map(|e| e.text.as_str()).collect(),
                }
            })
            .collect();
        out.sort();
        out
    }
}

/// The indentation of the first line of inserted text (after its line break).
fn indent(text: &str) -> usize {
    let body = text.trim_start_matches(['\r', '\n']);
    body.len() - body.trim_start_matches(' ').len()
}

/// One source file with the traced fixes of a stream: the fixes' own edits (a fix whose
/// edits overlap another's is left out), then the Kustomize resource fixes round by round
/// as for a plain file. The file's source, its new text, and the fixes left out.
#[allow(clippy::type_complexity)]
fn file_fix<'a>(
    path: &str,
    items: &[(&'a Finding, SourceEdits)],
    engine: &Engine,
    mode: Mode,
    merge: bool,
) -> Result<(Arc<SourceFile>, String, Vec<(&'a Finding, String)>), String> {
    let Some(src) = items.first().map(|(_, e)| e.source.clone()) else {
        return Err("no file".to_string());
    };
    let mut taken = Taken::default();
    let mut rejected = Vec::new();
    for (f, e) in items.iter().filter(|(_, e)| e.base.is_none()) {
        let merge = merge && matches!(e.kind, SourceKind::Template | SourceKind::Values);
        if !taken.add(&e.edits, merge) {
            rejected.push((*f, format!("its change to {path} overlaps another fix's")));
        }
    }
    let mut text = apply_edits(&src.text, &taken.edits());
    let kind = items.first().map(|(_, e)| e.kind);
    if kind != Some(SourceKind::Template) && !loads_like(&src.text, &text) {
        return Err(format!("{path} would not load as YAML after the changes"));
    }
    let want: std::collections::BTreeSet<(&str, &str)> = items
        .iter()
        .filter_map(|(f, e)| Some((f.rule.id, e.base.as_ref()?.1.as_str())))
        .collect();
    if !want.is_empty() {
        let relint = |t: &str| -> Vec<Candidate> {
            let r = engine.lint(&[SourceFile::new(path, t)]);
            candidates(r.findings.iter(), mode)
                .into_iter()
                .filter(|c| want.contains(&(c.key.rule, c.key.yaml_path.as_str())))
                .collect()
        };
        let first = relint(&text);
        let out = fix_text(&text, first, &relint);
        for (f, e) in items {
            let Some((_, p)) = &e.base else { continue };
            if !out
                .applied
                .iter()
                .any(|a| a.key.rule == f.rule.id && &a.key.yaml_path == p)
            {
                let why = out
                    .skipped
                    .iter()
                    .find(|s| s.key.rule == f.rule.id && &s.key.yaml_path == p)
                    .map_or_else(
                        || format!("its fix in {path} was not made"),
                        |s| format!("in {path}: {}", s.reason),
                    );
                rejected.push((*f, why));
            }
        }
        text = out.text;
    }
    Ok((src, text, rejected))
}

/// Whether `new` loads as YAML whenever `old` did, with as many documents and no more
/// duplicate keys.
fn loads_like(old: &str, new: &str) -> bool {
    let count = |t: &str| {
        let docs = load_all(&SourceFile::new("", t));
        let dups: usize = docs
            .iter()
            .filter_map(|d| d.as_ref().ok())
            .map(|d| d.duplicate_keys.len())
            .sum();
        docs.iter().all(Result::is_ok).then_some((docs.len(), dups))
    };
    match count(old) {
        Some(n) => count(new) == Some(n),
        None => true,
    }
}

/// One diff of the rendered output with the fixes of `findings`.
fn rendered_diff(
    stream: &str,
    findings: &[&Finding],
    engine: &Engine,
    mode: Mode,
    secrets: &[Span],
) -> String {
    let Some(src) = findings.iter().find_map(|f| f.fix.as_ref()?.source.clone()) else {
        return String::new();
    };
    // The findings' documents are those of the traced files: find their fixes again on
    // the rendered stream by rendered document (where their edits are), rule and field.
    let starts: Vec<usize> = load_all(&src)
        .into_iter()
        .map(|d| d.map_or(usize::MAX, |d| d.root.span.start))
        .collect();
    let want: std::collections::BTreeSet<(usize, &str, &str)> = findings
        .iter()
        .filter_map(|f| {
            let at = f.fix.as_deref()?.edits.first()?.span.start;
            let doc = starts.iter().rposition(|&s| s <= at).unwrap_or(0);
            Some((doc, f.rule.id, f.yaml_path.as_str()))
        })
        .collect();
    let relint = |text: &str| -> Vec<Candidate> {
        let r = engine.lint(&[SourceFile::new(stream, text)]);
        candidates(r.findings.iter(), mode)
            .into_iter()
            .filter(|c| want.contains(&(c.key.document, c.key.rule, c.key.yaml_path.as_str())))
            .collect()
    };
    let first: Vec<Candidate> = relint(&src.text);
    let out = fix_text(&src.text, first, &relint);
    let d = diff::unified_with(
        &format!("a/{stream} (rendered)"),
        &format!("b/{stream} (rendered, with the fixes)"),
        &src.text,
        &out.text,
    );
    mask_diff(&d, &masked_lines(&src.text, secrets))
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
