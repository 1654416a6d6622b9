//! Suppressions: one model, four places, each with a reason and an optional expiry.
//!
//! 1. An object annotation `ignore.kspm.dev/<rule-id-or-code>: "[until=YYYY-MM-DD ]reason"`
//!    covers the object's findings (a `List`'s annotation covers its items).
//! 2. A comment `# kspm-ignore: <rule>[,<rule>] [until=YYYY-MM-DD] -- <reason>` at the end
//!    of the offending line, or on its own line above it (comment lines stack); and
//!    `# kspm-ignore-document:` / `# kspm-ignore-file:` with the same body for the whole
//!    document / file. `all` names every rule.
//! 3. A `.kspm.yaml` `ignore:` entry: rules, file globs, kind/namespace/name globs, reason,
//!    until.
//! 4. A baseline file (`kspm baseline`, `--baseline`), see `baseline.rs`.
//!
//! A suppression past its `until` day no longer suppresses and is reported
//! (`expired-suppression`); one that matched nothing, for a rule that ran, is reported
//! (`unused-suppression`); one that cannot be read is reported where it is written and
//! suppresses nothing (`malformed-suppression`). Those three findings are never suppressed
//! themselves: disable the rule to silence them.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use globset::{Glob, GlobBuilder, GlobMatcher, GlobSet, GlobSetBuilder};
use rayon::prelude::*;

use crate::baseline::Baseline;
use crate::config::{Config, IgnoreEntry};
use crate::k8s::ObjectView;
use crate::registry;
use crate::report::{Finding, ObjectRef, Report, Suppressed, SuppressedBy, SuppressedFinding};
use crate::rule::{Rule, RuleContext, RuleMeta};
use crate::source::SourceFile;
use crate::yaml::load::load_all;
use crate::yaml::{Node, Span, YamlPath};

/// The annotation prefix; the rest of the key is a rule id or code.
pub const ANNOTATION_PREFIX: &str = "ignore.kspm.dev/";
/// The comment directive; `:`, `-document:` or `-file:` follows.
pub const COMMENT_DIRECTIVE: &str = "kspm-ignore";
/// Names every rule in a suppression.
pub const ALL_RULES: &str = "all";

pub const EXPIRED_RULE: &str = "expired-suppression";
pub const UNUSED_RULE: &str = "unused-suppression";
pub const MALFORMED_RULE: &str = "malformed-suppression";

/// Whether a rule is one of the three about suppressions (never suppressed, never in a
/// baseline).
pub fn is_about_suppressions(id: &str) -> bool {
    [EXPIRED_RULE, UNUSED_RULE, MALFORMED_RULE].contains(&id)
}

/// Tests and reproducible runs set the day with this variable (`YYYY-MM-DD`).
pub const TODAY_ENV: &str = "KSPM_TODAY";

// ---------------------------------------------------------------------------------------
// Dates

/// A calendar day (proleptic Gregorian).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

impl Date {
    /// Strictly `YYYY-MM-DD`, and a day that exists.
    pub fn parse(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' || !digits(0..4) {
            return None;
        }
        if !digits(5..7) || !digits(8..10) {
            return None;
        }
        let year = s[0..4].parse().ok()?;
        let month = s[5..7].parse().ok()?;
        let day = s[8..10].parse().ok()?;
        (day >= 1 && day <= days_in_month(year, month)).then_some(Date { year, month, day })
    }

    /// The day `days` days after 1970-01-01 (negative: before).
    pub fn from_unix_days(days: i64) -> Date {
        // Count in 400-year eras from 0000-03-01, so that the leap day ends each year.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// Today: `KSPM_TODAY` when set, else the UTC date of the system clock.
    pub fn today() -> Result<Date, String> {
        if let Some(v) = std::env::var_os(TODAY_ENV) {
            let v = v.to_string_lossy();
            return Date::parse(v.trim())
                .ok_or_else(|| format!("{TODAY_ENV}=`{v}`: expected a date YYYY-MM-DD"));
        }
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_err(|e| format!("the system clock is before 1970: {e}"))?
            .as_secs();
        Ok(Date::from_unix_days((secs / 86_400) as i64))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

// ---------------------------------------------------------------------------------------
// What a suppression says

/// The rules a suppression names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RuleSet {
    All,
    /// Rule ids, in the order written, without duplicates.
    Ids(Vec<&'static str>),
}

impl RuleSet {
    fn covers(&self, id: &str) -> Option<usize> {
        match self {
            RuleSet::All => Some(0),
            RuleSet::Ids(ids) => ids.iter().position(|r| *r == id),
        }
    }

    fn len(&self) -> usize {
        match self {
            RuleSet::All => 1,
            RuleSet::Ids(ids) => ids.len(),
        }
    }
}

/// Rule names as written (ids, codes or `all`) -> a rule set.
pub fn parse_rules<'a>(names: impl IntoIterator<Item = &'a str>) -> Result<RuleSet, String> {
    let mut ids: Vec<&'static str> = Vec::new();
    let mut all = false;
    for name in names {
        if name.eq_ignore_ascii_case(ALL_RULES) || name == "*" {
            all = true;
            continue;
        }
        let rule = registry::find(name).ok_or_else(|| {
            format!("unknown rule `{name}` (see `kspm rules`); nothing is suppressed")
        })?;
        if !ids.contains(&rule.meta().id) {
            ids.push(rule.meta().id);
        }
    }
    match (all, ids.is_empty()) {
        (true, _) => Ok(RuleSet::All),
        (false, true) => Err("no rule named; name rule ids or codes, or `all`".to_string()),
        (false, false) => Ok(RuleSet::Ids(ids)),
    }
}

fn parse_until(text: &str) -> Result<Date, String> {
    Date::parse(text)
        .ok_or_else(|| format!("`until={text}` is not a date YYYY-MM-DD; nothing is suppressed"))
}

/// What comment directive a line holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CommentScope {
    /// `kspm-ignore:` — this line (trailing comment) or the next code line.
    Line,
    /// `kspm-ignore-document:`
    Document,
    /// `kspm-ignore-file:`
    File,
}

/// A parsed comment or annotation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parsed {
    pub rules: RuleSet,
    pub until: Option<Date>,
    pub reason: String,
}

/// Parse the text after `kspm-ignore` (`: rule,rule until=... -- reason`).
pub fn parse_comment(after_directive: &str) -> Result<(CommentScope, Parsed), String> {
    let (scope, body) = if let Some(b) = after_directive.strip_prefix(':') {
        (CommentScope::Line, b)
    } else if let Some(b) = after_directive.strip_prefix("-document:") {
        (CommentScope::Document, b)
    } else if let Some(b) = after_directive.strip_prefix("-file:") {
        (CommentScope::File, b)
    } else {
        return Err(
            "not a kspm-ignore directive: write `kspm-ignore: RULE -- REASON`, `kspm-ignore-document:` or `kspm-ignore-file:`"
                .to_string(),
        );
    };
    // The reason follows the first `--` that starts a word; rule names never contain it.
    let sep = body
        .match_indices("--")
        .map(|(i, _)| i)
        .find(|&i| i == 0 || body[..i].ends_with([' ', '\t']));
    let Some(sep) = sep else {
        return Err("missing reason: end the comment with `-- REASON`".to_string());
    };
    let reason = body[sep + 2..].trim();
    let mut until = None;
    let mut names = Vec::new();
    for token in body[..sep]
        .split([',', ' ', '\t'])
        .filter(|t| !t.is_empty())
    {
        match token.strip_prefix("until=") {
            Some(_) if until.is_some() => return Err("`until=` is given twice".to_string()),
            Some(d) => until = Some(parse_until(d)?),
            None => names.push(token),
        }
    }
    let rules = parse_rules(names)?;
    if reason.is_empty() {
        return Err("empty reason: say why after `--`".to_string());
    }
    Ok((
        scope,
        Parsed {
            rules,
            until,
            reason: reason.to_string(),
        },
    ))
}

/// Parse an annotation: its key's rule and its value `[until=YYYY-MM-DD ]reason`.
pub fn parse_annotation(rule: &str, value: &str) -> Result<Parsed, String> {
    let rules = parse_rules([rule])?;
    let value = value.trim();
    let (until, reason) = match value.strip_prefix("until=") {
        Some(rest) => {
            let (date, reason) = rest.split_once([' ', '\t']).unwrap_or((rest, ""));
            (Some(parse_until(date)?), reason.trim())
        }
        None => (None, value),
    };
    if reason.is_empty() {
        return Err(format!(
            "empty reason: the value of `{ANNOTATION_PREFIX}{rule}` says why (`[until=YYYY-MM-DD ]REASON`)"
        ));
    }
    Ok(Parsed {
        rules,
        until,
        reason: reason.to_string(),
    })
}

// ---------------------------------------------------------------------------------------
// Suppressions found in sources and the configuration

/// Sources are told apart by address: the engine shares one `Arc` per source. Comment
/// suppressions are keyed by path instead, because a template file that several renders
/// map findings to may be loaded once per render.
fn key(src: &Arc<SourceFile>) -> usize {
    Arc::as_ptr(src) as usize
}

/// Where a suppression (or a problem with one) is written.
#[derive(Clone, Debug)]
struct Written {
    source: Arc<SourceFile>,
    span: Span,
    document: usize,
    yaml_path: String,
    object: Option<ObjectRef>,
}

#[derive(Debug)]
enum Scope {
    Line {
        path: String,
        line: usize,
    },
    Document {
        path: String,
        document: usize,
    },
    File {
        path: String,
    },
    /// Findings of one object: same source, document, and a yaml path under `base`. A
    /// finding whose source was replaced (a render mapped back to its template) matches by
    /// object identity instead.
    Object {
        src: usize,
        path: String,
        document: usize,
        base: String,
        object: Option<ObjectRef>,
    },
    Config(Box<ConfigMatcher>),
}

impl Scope {
    /// Lower ranks win when several suppressions cover a finding (the most specific).
    fn rank(&self) -> u8 {
        match self {
            Scope::Line { .. } => 0,
            Scope::Document { .. } => 1,
            Scope::File { .. } => 2,
            Scope::Object { .. } => 3,
            Scope::Config(_) => 4,
        }
    }
}

#[derive(Debug)]
struct Suppression {
    by: SuppressedBy,
    scope: Scope,
    rules: RuleSet,
    reason: String,
    until: Option<Date>,
    at: Written,
    /// Per entry of `rules`: whether it suppressed a finding.
    used: Vec<bool>,
}

/// A suppression that cannot be read.
#[derive(Debug)]
struct Problem {
    at: Written,
    message: String,
}

#[derive(Default)]
struct Scanned {
    suppressions: Vec<Suppression>,
    problems: Vec<Problem>,
}

impl Scanned {
    fn add(&mut self, parsed: Result<Parsed, String>, by: SuppressedBy, scope: Scope, at: Written) {
        match parsed {
            Ok(p) => self.suppressions.push(Suppression {
                by,
                scope,
                used: vec![false; p.rules.len()],
                rules: p.rules,
                reason: p.reason,
                until: p.until,
                at,
            }),
            Err(message) => self.problems.push(Problem { at, message }),
        }
    }
}

/// The document index of each line (1-based; `[0]` unused), numbered as the loader numbers
/// non-empty documents; `None` on lines of a document with no content.
fn document_of_lines(text: &str) -> Vec<Option<usize>> {
    fn is_marker(line: &str, m: &str) -> bool {
        line.strip_prefix(m)
            .is_some_and(|r| r.is_empty() || r.starts_with([' ', '\t', '\r']))
    }
    fn blank_or_comment(line: &str) -> bool {
        let t = line.trim_start_matches([' ', '\t', '\r']);
        t.is_empty() || t.starts_with('#')
    }
    let mut out = vec![None];
    let mut next = 0;
    let mut piece_start = 1;
    let mut has_content = false;
    let mut has_marker = false;
    let close = |out: &mut Vec<Option<usize>>,
                 upto: usize,
                 start: usize,
                 content: bool,
                 next: &mut usize| {
        let idx = content.then(|| {
            *next += 1;
            *next - 1
        });
        out.resize(upto, None);
        for slot in &mut out[start..upto] {
            *slot = idx;
        }
    };
    let lines: Vec<&str> = text.split('\n').collect();
    for (i, raw) in lines.iter().enumerate() {
        let n = i + 1;
        let line = raw.strip_prefix('\u{feff}').unwrap_or(raw);
        if is_marker(line, "---") {
            if has_content || has_marker {
                close(&mut out, n, piece_start, has_content, &mut next);
                piece_start = n;
            }
            has_marker = true;
            has_content = !blank_or_comment(&line[3..]);
        } else if is_marker(line, "...") {
            close(&mut out, n + 1, piece_start, has_content, &mut next);
            piece_start = n + 1;
            has_content = false;
            has_marker = false;
        } else if line.starts_with('%') && (has_content || has_marker) {
            close(&mut out, n, piece_start, has_content, &mut next);
            piece_start = n;
            has_content = false;
            has_marker = false;
        } else if !has_content && !line.starts_with('%') && !blank_or_comment(line) {
            has_content = true;
        }
    }
    close(
        &mut out,
        lines.len() + 1,
        piece_start,
        has_content,
        &mut next,
    );
    out
}

/// Comments and annotations of one source. Only sources that mention a directive or the
/// annotation prefix are read further (a substring search), so clean files cost nothing.
fn scan_source(src: &Arc<SourceFile>) -> Scanned {
    let mut out = Scanned::default();
    if src.text.contains(COMMENT_DIRECTIVE) {
        scan_comments(src, &mut out);
    }
    if src.text.contains(ANNOTATION_PREFIX) {
        scan_annotations(src, &mut out);
    }
    out
}

fn scan_comments(src: &Arc<SourceFile>, out: &mut Scanned) {
    let text = src.text.as_str();
    let documents = document_of_lines(text);
    let comment_only = |line: usize| src.line_text(line).trim_start().starts_with('#');
    let mut last_line = 0;
    for (at, _) in text.match_indices(COMMENT_DIRECTIVE) {
        let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        // A directive is the first word of a comment: `#`, blanks, then the directive.
        let before = &text[line_start..at];
        let Some(hash) = before.trim_end_matches([' ', '\t']).strip_suffix('#') else {
            continue;
        };
        if !(hash.is_empty() || hash.ends_with([' ', '\t'])) {
            continue;
        }
        let hash_at = line_start + hash.len();
        let line = src.position(hash_at).line;
        if line == last_line {
            continue;
        }
        last_line = line;
        let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
        let comment = text[at..line_end].trim_end();
        let end = at + comment.len();
        let document = documents.get(line).copied().flatten();
        let written = Written {
            source: src.clone(),
            span: Span::new(hash_at, end),
            document: document.unwrap_or(0),
            yaml_path: String::new(),
            object: None,
        };
        let parsed = parse_comment(&comment[COMMENT_DIRECTIVE.len()..]);
        let path = src.path.clone();
        let scope = match parsed.as_ref().map(|(scope, _)| *scope) {
            Ok(CommentScope::Line) if !hash.trim().is_empty() => Scope::Line { path, line },
            Ok(CommentScope::Line) => {
                // A comment on its own line covers the next line that is not a comment.
                let mut target = line + 1;
                while target < src.line_count() && comment_only(target) {
                    target += 1;
                }
                Scope::Line { path, line: target }
            }
            Ok(CommentScope::Document) => Scope::Document {
                path,
                // A document without content holds no finding: the suppression stays unused.
                document: document.unwrap_or(usize::MAX),
            },
            _ => Scope::File { path },
        };
        out.add(
            parsed.map(|(_, p)| p),
            SuppressedBy::Comment,
            scope,
            written,
        );
    }
}

fn object_ref(obj: &ObjectView<'_>) -> ObjectRef {
    ObjectRef {
        api_version: obj.api_version().to_string(),
        kind: obj.kind().to_string(),
        namespace: obj.namespace().map(str::to_string),
        name: obj.name().map(str::to_string),
    }
}

fn scan_annotations(src: &Arc<SourceFile>, out: &mut Scanned) {
    for doc in load_all(src).into_iter().flatten() {
        let root_path = YamlPath::root();
        let Some(obj) = ObjectView::new(&doc.root, &root_path, doc.index) else {
            continue;
        };
        annotations_of(src, &obj, out);
        if obj.kind().ends_with("List") {
            for (i, item) in doc
                .root
                .get("items")
                .map(Node::items)
                .unwrap_or(&[])
                .iter()
                .enumerate()
            {
                let base = YamlPath::root().key("items").index(i);
                if let Some(o) = ObjectView::new(item, &base, doc.index) {
                    annotations_of(src, &o, out);
                }
            }
        }
    }
}

fn annotations_of(src: &Arc<SourceFile>, obj: &ObjectView<'_>, out: &mut Scanned) {
    let Some(annotations) = obj.annotations() else {
        return;
    };
    let base = obj.base.to_string();
    let object = object_ref(obj);
    for e in annotations.entries() {
        let Some(rule) = e.key_str.strip_prefix(ANNOTATION_PREFIX) else {
            continue;
        };
        let written = Written {
            source: src.clone(),
            span: Span::new(e.key.span.start, e.value.span.end.max(e.key.span.end)),
            document: obj.document,
            yaml_path: obj
                .base
                .key("metadata")
                .key("annotations")
                .key(&e.key_str)
                .to_string(),
            object: Some(object.clone()),
        };
        let parsed = match e.value.as_str() {
            Some(v) => parse_annotation(rule, v),
            None => Err(format!(
                "the value of `{}` must be a string `[until=YYYY-MM-DD ]REASON`",
                e.key_str
            )),
        };
        let scope = Scope::Object {
            src: key(src),
            path: src.path.clone(),
            document: obj.document,
            base: base.clone(),
            object: Some(object.clone()),
        };
        out.add(parsed, SuppressedBy::Annotation, scope, written);
    }
}

/// An `ignore:` entry, compiled.
#[derive(Debug)]
struct ConfigMatcher {
    paths: Option<GlobSet>,
    kind: Option<GlobMatcher>,
    namespace: Option<GlobMatcher>,
    name: Option<GlobMatcher>,
    /// Resolve finding paths against these: the configuration's folder and the working
    /// directory the paths are displayed relative to.
    dir: PathBuf,
    cwd: PathBuf,
}

impl ConfigMatcher {
    fn matches(&self, f: &Finding, rel_path: &str) -> bool {
        if self.paths.as_ref().is_some_and(|p| !p.is_match(rel_path)) {
            return false;
        }
        let selectors = [
            (&self.kind, f.object.as_ref().map(|o| o.kind.as_str())),
            (
                &self.namespace,
                f.object.as_ref().and_then(|o| o.namespace.as_deref()),
            ),
            (
                &self.name,
                f.object.as_ref().and_then(|o| o.name.as_deref()),
            ),
        ];
        selectors.iter().all(|(glob, value)| match glob {
            None => true,
            Some(g) => value.is_some_and(|v| g.is_match(v)),
        })
    }
}

fn path_glob(pattern: &str) -> Result<Glob, String> {
    let p = pattern.trim_start_matches("./");
    // A glob without a slash matches a file name at any depth, as in .gitignore.
    let p = if p.contains('/') {
        p.to_string()
    } else {
        format!("**/{p}")
    };
    GlobBuilder::new(&p)
        .literal_separator(true)
        .build()
        .map_err(|e| format!("bad glob `{pattern}`: {e}"))
}

fn name_glob(pattern: &str) -> Result<GlobMatcher, String> {
    Glob::new(pattern)
        .map(|g| g.compile_matcher())
        .map_err(|e| format!("bad glob `{pattern}`: {e}"))
}

fn config_suppressions(config: &Config, cwd: &Path, out: &mut Scanned) {
    let Some(src) = &config.source else {
        return;
    };
    for entry in &config.ignore {
        let written = |span: Span| Written {
            source: src.clone(),
            span,
            document: 0,
            yaml_path: entry.yaml_path.to_string(),
            object: None,
        };
        match compile_entry(entry, config, cwd) {
            Ok((parsed, matcher)) => out.add(
                Ok(parsed),
                SuppressedBy::Config,
                Scope::Config(Box::new(matcher)),
                written(entry.span),
            ),
            Err((span, message)) => out.problems.push(Problem {
                at: written(span),
                message,
            }),
        }
    }
}

fn compile_entry(
    entry: &IgnoreEntry,
    config: &Config,
    cwd: &Path,
) -> Result<(Parsed, ConfigMatcher), (Span, String)> {
    let rules = parse_rules(entry.rules.iter().map(|r| r.value.as_str())).map_err(|m| {
        let span = entry
            .rules
            .iter()
            .find(|r| registry::find(&r.value).is_none() && r.value != ALL_RULES)
            .map_or(entry.span, |r| r.span);
        (span, m)
    })?;
    let until = match &entry.until {
        Some(u) => Some(parse_until(&u.value).map_err(|m| (u.span, m))?),
        None => None,
    };
    if entry.reason.value.trim().is_empty() {
        return Err((
            entry.reason.span,
            "empty reason: say why these findings are accepted".to_string(),
        ));
    }
    let paths = if entry.paths.is_empty() {
        None
    } else {
        let mut b = GlobSetBuilder::new();
        for p in &entry.paths {
            b.add(path_glob(&p.value).map_err(|m| (p.span, m))?);
        }
        Some(b.build().map_err(|e| (entry.span, e.to_string()))?)
    };
    let selector = |v: &Option<String>| -> Result<Option<GlobMatcher>, (Span, String)> {
        v.as_deref()
            .map(name_glob)
            .transpose()
            .map_err(|m| (entry.span, m))
    };
    Ok((
        Parsed {
            rules,
            until,
            reason: entry.reason.value.trim().to_string(),
        },
        ConfigMatcher {
            paths,
            kind: selector(&entry.kind)?,
            namespace: selector(&entry.namespace)?,
            name: selector(&entry.name)?,
            dir: config.dir.clone(),
            cwd: cwd.to_path_buf(),
        },
    ))
}

// ---------------------------------------------------------------------------------------
// Applying

/// Which of the three suppression rules report (the engine does not run them; `suppress`
/// does).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MetaRules {
    pub expired: bool,
    pub unused: bool,
    pub malformed: bool,
}

impl MetaRules {
    pub const ALL: MetaRules = MetaRules {
        expired: true,
        unused: true,
        malformed: true,
    };

    /// On unless excluded by `--exclude-rule` or the configuration, or left out of `--rule`.
    pub fn select(config: &Config, cli_only: &[String], cli_exclude: &[String]) -> MetaRules {
        let on = |id| config.reports_rule(id, cli_only, cli_exclude);
        MetaRules {
            expired: on(EXPIRED_RULE),
            unused: on(UNUSED_RULE),
            malformed: on(MALFORMED_RULE),
        }
    }
}

/// A render's mapping hook (`render::map_findings` over the linted sources).
pub type MapFindings<'a> = dyn Fn(&mut [Finding]) + 'a;

/// Everything `apply` reads besides the report.
pub struct Inputs<'a> {
    /// Every linted source (suppressions in a file without findings can still be unused).
    pub sources: Vec<Arc<SourceFile>>,
    pub config: &'a Config,
    pub baseline: Option<&'a Baseline>,
    /// The working directory finding paths are relative to.
    pub cwd: &'a Path,
    pub today: Date,
    pub meta: MetaRules,
    /// Moves findings on a rendered stream (Helm, Kustomize) to the files they came from;
    /// applied to the findings about annotations, which are found in the rendered objects.
    pub map: Option<&'a MapFindings<'a>>,
}

/// Where a finding mapped back from a render sat in the rendered stream (`origin.rendered`):
/// path, line and document. Comments and annotations there still apply to it.
fn rendered_at(f: &Finding) -> Option<(&str, usize, usize)> {
    let r = f.origin.as_ref()?.get("rendered")?;
    Some((
        r.get("path")?.as_str()?,
        usize::try_from(r.get("line")?.as_u64()?).ok()?,
        usize::try_from(r.get("document")?.as_u64()?).ok()?,
    ))
}

fn meta(id: &str) -> Option<&'static RuleMeta> {
    registry::find(id).map(|r| r.meta())
}

fn meta_finding(rule: &'static RuleMeta, at: &Written, message: String) -> Finding {
    let src = &at.source;
    Finding {
        rule,
        severity: rule.severity,
        message,
        source: src.clone(),
        span: at.span,
        start: src.position(at.span.start),
        end: src.position(at.span.end),
        document: at.document,
        object: at.object.clone().map(Arc::new),
        yaml_path: at.yaml_path.clone(),
        controls: std::sync::Arc::from(Vec::new()),
        origin: None,
        secret: None,
        fix: None,
    }
}

fn names(ids: &[&str]) -> String {
    ids.iter()
        .map(|r| format!("`{r}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn describe_rules(rules: &RuleSet) -> String {
    match rules {
        RuleSet::All => "all rules".to_string(),
        RuleSet::Ids(ids) => names(ids),
    }
}

/// Apply severity overrides and suppressions to `report`: suppressed findings move out
/// (returned, sorted), findings about suppressions are added, and the report is re-sorted.
/// `--fail-on` is decided on what remains.
pub fn apply(report: &mut Report, input: &Inputs<'_>) -> Vec<SuppressedFinding> {
    let findings = std::mem::take(&mut report.findings);
    // Every source once: the linted ones, and any a finding was mapped to.
    let mut suppressor = Suppressor::new(
        input
            .sources
            .iter()
            .chain(findings.iter().map(|f| &f.source)),
        input.config,
        input.cwd,
        input.today,
    );
    let matched = suppressor.match_batch(findings);
    let (mut kept, mut suppressed) = suppressor.take(matched);

    // The baseline hides exactly the findings it recorded, one each.
    let mut stale_baseline = None;
    if let Some(b) = input.baseline {
        let (rest, hidden, stale) = b.apply(kept, input.cwd);
        kept = rest;
        suppressed.extend(hidden);
        stale_baseline = stale;
    }

    let ran: BTreeSet<&str> = report.rules.iter().map(|r| r.id).collect();
    kept.extend(suppressor.finish(&ran, input.meta, stale_baseline, input.map));
    report.findings = kept;
    report.sort();
    suppressed.sort_by(|a, b| a.finding.sort_key().cmp(&b.finding.sort_key()));
    report.notes.extend(suppressed_note(&counts(&suppressed)));
    suppressed
}

/// The report's note on how many findings were suppressed, and by what.
pub fn suppressed_note(counts: &BTreeMap<SuppressedBy, usize>) -> Option<String> {
    let n: usize = counts.values().sum();
    if n == 0 {
        return None;
    }
    let by: Vec<String> = counts
        .iter()
        .map(|(by, count)| format!("{count} by {}", by.as_str()))
        .collect();
    Some(format!(
        "{n} finding{} suppressed: {}",
        if n == 1 { "" } else { "s" },
        by.join(", ")
    ))
}

/// The suppressions of a run, read from every source and the configuration once, then
/// matched against findings batch by batch (in parallel when the batches are), so a run
/// that writes its findings as it goes never holds them all. What matched is recorded, for
/// the findings about unused suppressions at the end.
pub struct Suppressor {
    overrides: BTreeMap<&'static str, crate::rule::Severity>,
    suppressions: Vec<Suppression>,
    active: Vec<bool>,
    index: Index,
    problems: Vec<Problem>,
}

/// A batch of findings after matching: what stays reported, what was suppressed, and which
/// suppressions matched.
pub struct Matched {
    pub kept: Vec<Finding>,
    pub suppressed: Vec<SuppressedFinding>,
    pub used: Used,
}

/// The suppression entries (index, rule slot) a batch matched, for `Suppressor::record`.
#[derive(Default)]
pub struct Used(Vec<(usize, usize)>);

impl Suppressor {
    /// Scan `sources` (each distinct text once) and the configuration's `ignore:` entries.
    pub fn new<'s>(
        sources: impl IntoIterator<Item = &'s Arc<SourceFile>>,
        config: &Config,
        cwd: &Path,
        today: Date,
    ) -> Suppressor {
        // The same file loaded twice (a template mapped to by two renders) counts once.
        let mut seen = BTreeSet::new();
        let mut by_path: HashMap<&str, Vec<&Arc<SourceFile>>> = HashMap::new();
        let mut distinct: Vec<Arc<SourceFile>> = Vec::new();
        for s in sources {
            if !seen.insert(key(s)) {
                continue;
            }
            let same = by_path.entry(s.path.as_str()).or_default();
            if same.iter().any(|o| o.text == s.text) {
                continue;
            }
            same.push(s);
            distinct.push(s.clone());
        }
        let scans: Vec<Scanned> = distinct.par_iter().map(scan_source).collect();
        let mut all = Scanned::default();
        for s in scans {
            all.suppressions.extend(s.suppressions);
            all.problems.extend(s.problems);
        }
        config_suppressions(config, cwd, &mut all);
        let active: Vec<bool> = all
            .suppressions
            .iter()
            .map(|s| s.until.is_none_or(|u| u >= today))
            .collect();
        let index = Index::new(&all.suppressions, &active);
        Suppressor {
            overrides: config.severity_overrides(),
            suppressions: all.suppressions,
            active,
            index,
            problems: all.problems,
        }
    }

    /// Whether any suppression could suppress a finding (an expired one cannot).
    pub fn is_empty(&self) -> bool {
        !self.active.iter().any(|a| *a)
    }

    /// Apply severity overrides to `findings`, then suppress each by its most specific
    /// active suppression; every suppression that covers it counts as used. Order is kept.
    pub fn match_batch(&self, mut findings: Vec<Finding>) -> Matched {
        for f in &mut findings {
            if let Some(s) = self.overrides.get(f.rule.id) {
                f.severity = *s;
            }
        }
        let mut out = Matched {
            kept: Vec::with_capacity(findings.len()),
            suppressed: Vec::new(),
            used: Used::default(),
        };
        if self.is_empty() {
            out.kept = findings;
            return out;
        }
        let mut rel_paths: HashMap<usize, String> = HashMap::new();
        for f in findings {
            let mut best: Option<(u8, usize)> = None;
            for i in self.index.candidates(&f) {
                let s = &self.suppressions[i];
                let Some(slot) = s.rules.covers(f.rule.id) else {
                    continue;
                };
                let hit = match &s.scope {
                    Scope::Object {
                        src,
                        path,
                        document,
                        base,
                        object,
                    } => {
                        let same_source = *src == key(&f.source) || *path == f.source.path;
                        let in_object =
                            same_source && *document == f.document && under(&f.yaml_path, base);
                        let in_rendered = rendered_at(&f).is_some_and(|(p, _, d)| {
                            p == path && d == *document && under(&f.yaml_path, base)
                        });
                        let mapped = !same_source
                            && f.origin.is_some()
                            && object.as_ref().is_some_and(|o| {
                                o.name.is_some() && f.object.as_deref() == Some(o)
                            });
                        in_object || in_rendered || mapped
                    }
                    Scope::Config(m) => {
                        let rel = rel_paths
                            .entry(key(&f.source))
                            .or_insert_with(|| crate::config::path_from(f.path(), &m.cwd, &m.dir));
                        m.matches(&f, rel)
                    }
                    // The index only offers line, document and file suppressions that apply.
                    _ => true,
                };
                if !hit {
                    continue;
                }
                out.used.0.push((i, slot));
                let rank = s.scope.rank();
                if best.is_none_or(|(r, _)| rank < r) {
                    best = Some((rank, i));
                }
            }
            match best {
                Some((_, i)) => {
                    let s = &self.suppressions[i];
                    out.suppressed.push(SuppressedFinding {
                        finding: f,
                        suppressed: Suppressed {
                            by: s.by,
                            reason: s.reason.clone(),
                            until: s.until.map(|d| d.to_string()),
                            location: Some(location(&s.at)),
                        },
                    });
                }
                None => out.kept.push(f),
            }
        }
        // Many findings of a batch match the same few suppressions.
        out.used.0.sort_unstable();
        out.used.0.dedup();
        out
    }

    /// Record which suppressions a batch matched.
    pub fn record(&mut self, used: Used) {
        for (i, slot) in used.0 {
            self.suppressions[i].used[slot] = true;
        }
    }

    /// Record what a batch matched; returns its kept and suppressed findings.
    pub fn take(&mut self, matched: Matched) -> (Vec<Finding>, Vec<SuppressedFinding>) {
        self.record(matched.used);
        (matched.kept, matched.suppressed)
    }

    /// The findings about suppressions, once every finding was matched: unreadable ones,
    /// expired ones, unused ones (for rules in `ran`), and a stale baseline.
    pub fn finish(
        self,
        ran: &BTreeSet<&str>,
        meta_rules: MetaRules,
        stale_baseline: Option<(crate::baseline::EntryAt, usize)>,
        map: Option<&MapFindings<'_>>,
    ) -> Vec<Finding> {
        let mut meta_findings = Vec::new();
        if let (true, Some(rule)) = (meta_rules.malformed, meta(MALFORMED_RULE)) {
            for p in &self.problems {
                meta_findings.push(meta_finding(rule, &p.at, p.message.clone()));
            }
        }
        for (s, active) in self.suppressions.iter().zip(&self.active) {
            if !active {
                if let (true, Some(rule), Some(until)) =
                    (meta_rules.expired, meta(EXPIRED_RULE), s.until)
                {
                    let msg = format!(
                        "suppression of {} expired on {until}; its findings are reported again (reason was: {})",
                        describe_rules(&s.rules),
                        s.reason
                    );
                    meta_findings.push(meta_finding(rule, &s.at, msg));
                }
                continue;
            }
            let unused: Vec<&str> = match &s.rules {
                RuleSet::All if !s.used[0] && !ran.is_empty() => vec![ALL_RULES],
                RuleSet::All => Vec::new(),
                RuleSet::Ids(ids) => ids
                    .iter()
                    .zip(&s.used)
                    .filter(|(id, used)| !**used && ran.contains(**id))
                    .map(|(id, _)| *id)
                    .collect(),
            };
            if let (false, true, Some(rule)) =
                (unused.is_empty(), meta_rules.unused, meta(UNUSED_RULE))
            {
                let what = if unused == [ALL_RULES] {
                    "all rules".to_string()
                } else {
                    names(&unused)
                };
                let msg = format!("suppression of {what} matches no finding; remove it");
                meta_findings.push(meta_finding(rule, &s.at, msg));
            }
        }
        if let (true, Some(rule), Some((at, count))) =
            (meta_rules.unused, meta(UNUSED_RULE), stale_baseline)
        {
            let msg = format!(
                "{count} baseline {} no finding (fixed, or changed); regenerate it with `kspm baseline`",
                if count == 1 {
                    "entry matches"
                } else {
                    "entries match"
                }
            );
            let mut f = meta_finding(rule, &at_of(&at), msg);
            // Fixing a finding must not fail the build: stale entries are informational.
            f.severity = crate::rule::Severity::Info;
            meta_findings.push(f);
        }
        for f in &mut meta_findings {
            if let Some(s) = self.overrides.get(f.rule.id) {
                f.severity = *s;
            }
        }
        // Findings about annotations have a yaml path, so a render's mapper can move them to
        // the file that declares the annotation; those about comments are already where the
        // comment is written.
        if let Some(map) = map {
            let (mut mappable, rest): (Vec<Finding>, Vec<Finding>) = meta_findings
                .into_iter()
                .partition(|f| f.object.is_some() && !f.yaml_path.is_empty());
            map(&mut mappable);
            meta_findings = rest;
            meta_findings.extend(mappable);
        }
        meta_findings
    }
}

/// Where a baseline entry is, as a `Written`.
fn at_of(at: &crate::baseline::EntryAt) -> Written {
    Written {
        source: at.source.clone(),
        span: at.span,
        document: 0,
        yaml_path: at.yaml_path.clone(),
        object: None,
    }
}

fn location(at: &Written) -> (String, usize, usize) {
    let p = at.source.position(at.span.start);
    (at.source.path.clone(), p.line, p.column)
}

/// Whether `path` is `base` or below it (`items[1]` is not below `items[10]`'s sibling).
fn under(path: &str, base: &str) -> bool {
    base.is_empty()
        || path
            .strip_prefix(base)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
}

/// Suppressions by where they apply, so matching is a few lookups per finding.
struct Index {
    /// path -> line or document -> suppressions.
    lines: HashMap<String, HashMap<usize, Vec<usize>>>,
    documents: HashMap<String, HashMap<usize, Vec<usize>>>,
    files: HashMap<String, Vec<usize>>,
    /// Object and configuration suppressions are checked one by one (they are few per
    /// document and per repository).
    objects: HashMap<String, HashMap<usize, Vec<usize>>>,
    mapped_objects: Vec<usize>,
    config: Vec<usize>,
}

impl Index {
    fn new(suppressions: &[Suppression], active: &[bool]) -> Index {
        let mut ix = Index {
            lines: HashMap::new(),
            documents: HashMap::new(),
            files: HashMap::new(),
            objects: HashMap::new(),
            mapped_objects: Vec::new(),
            config: Vec::new(),
        };
        for (i, s) in suppressions.iter().enumerate().filter(|(i, _)| active[*i]) {
            match &s.scope {
                Scope::Line { path, line } => ix
                    .lines
                    .entry(path.clone())
                    .or_default()
                    .entry(*line)
                    .or_default()
                    .push(i),
                Scope::Document { path, document } => ix
                    .documents
                    .entry(path.clone())
                    .or_default()
                    .entry(*document)
                    .or_default()
                    .push(i),
                Scope::File { path } => ix.files.entry(path.clone()).or_default().push(i),
                Scope::Object {
                    path,
                    document,
                    object,
                    ..
                } => {
                    ix.objects
                        .entry(path.clone())
                        .or_default()
                        .entry(*document)
                        .or_default()
                        .push(i);
                    if object.as_ref().is_some_and(|o| o.name.is_some()) {
                        ix.mapped_objects.push(i);
                    }
                }
                Scope::Config(_) => ix.config.push(i),
            }
        }
        ix
    }

    fn candidates(&self, f: &Finding) -> Vec<usize> {
        let path = f.source.path.as_str();
        let mut out: Vec<usize> = Vec::new();
        let mut take = |v: Option<&Vec<usize>>| out.extend(v.into_iter().flatten().copied());
        take(self.lines.get(path).and_then(|m| m.get(&f.start.line)));
        take(self.documents.get(path).and_then(|m| m.get(&f.document)));
        take(self.files.get(path));
        take(self.objects.get(path).and_then(|m| m.get(&f.document)));
        if let Some((path, line, document)) = rendered_at(f) {
            take(self.lines.get(path).and_then(|m| m.get(&line)));
            take(self.documents.get(path).and_then(|m| m.get(&document)));
            take(self.files.get(path));
            take(self.objects.get(path).and_then(|m| m.get(&document)));
        }
        if f.origin.is_some() {
            out.extend(self.mapped_objects.iter().copied());
        }
        out.extend(self.config.iter().copied());
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// Lint one source with `rules`, then apply suppressions as `kspm lint` does with no
/// configuration file (the fixture harness and library users).
pub fn lint_source(
    src: Arc<SourceFile>,
    rules: &[&'static dyn Rule],
    cx: &RuleContext,
    today: Date,
) -> (Report, Vec<SuppressedFinding>) {
    let mut report = crate::engine::lint_source(src.clone(), rules, cx);
    let cwd = PathBuf::from(".");
    let config = Config {
        dir: cwd.clone(),
        ..Config::default()
    };
    let suppressed = apply(
        &mut report,
        &Inputs {
            sources: vec![src],
            config: &config,
            baseline: None,
            cwd: &cwd,
            today,
            meta: MetaRules::ALL,
            map: None,
        },
    );
    (report, suppressed)
}

/// Counts of suppressed findings per mechanism (for summaries).
pub fn counts(suppressed: &[SuppressedFinding]) -> BTreeMap<SuppressedBy, usize> {
    let mut m = BTreeMap::new();
    for s in suppressed {
        *m.entry(s.suppressed.by).or_insert(0) += 1;
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(Date::parse("2024-02-29").unwrap().to_string(), "2024-02-29");
        assert!(Date::parse("2023-02-29").is_none());
        assert!(Date::parse("2024-13-01").is_none());
        assert!(Date::parse("2024-1-01").is_none());
        assert!(Date::parse("24-01-01x").is_none());
        assert_eq!(Date::from_unix_days(0).to_string(), "1970-01-01");
        assert_eq!(Date::from_unix_days(19_782).to_string(), "2024-02-29");
        assert_eq!(Date::from_unix_days(-1).to_string(), "1969-12-31");
        assert_eq!(Date::from_unix_days(11_016).to_string(), "2000-02-29");
        assert!(Date::parse("2025-01-02") > Date::parse("2025-01-01"));
    }

    #[test]
    fn document_lines_follow_markers() {
        let t = "# head\na: 1\n---\n# only a comment\n---\nb: 2\n...\nc: 3\n";
        let d = document_of_lines(t);
        assert_eq!(d[1], Some(0));
        assert_eq!(d[2], Some(0));
        assert_eq!(d[4], None);
        assert_eq!(d[6], Some(1));
        assert_eq!(d[8], Some(2));
        // A comment before the first `---` belongs to the first document.
        let d = document_of_lines("# c\n---\na: 1\n");
        assert_eq!(d[1], Some(0));
        assert_eq!(d[3], Some(0));
    }

    #[test]
    fn under_respects_segments() {
        assert!(under("items[1].spec", "items[1]"));
        assert!(!under("items[10].spec", "items[1]"));
        assert!(under("spec.x", ""));
    }
}
