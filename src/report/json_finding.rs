//! One finding of the JSON report, written straight into a byte buffer.
//!
//! The bytes are exactly those serde_json's pretty printer gives the finding as an element
//! of the top-level `findings` array (tests in `json.rs` compare the two). Writing them by
//! hand borrows every field instead of building a serializable copy, and writes each
//! rule's constant members (title, help, docs URL) from a fragment escaped once per rule:
//! a large report has hundreds of thousands of findings and a few hundred rules.

use std::collections::HashMap;
use std::io::Write;

use serde::Serialize;

use super::{Finding, Suppressed};
use crate::fix::Applicability;
use crate::rule::RuleMeta;

/// Indentation of a finding's members (the finding itself is at depth 2).
const MEMBER: &str = "\n      ";
const NESTED: &str = "\n        ";
const NESTED2: &str = "\n          ";
const NESTED3: &str = "\n            ";

/// The constant members of each rule's findings, escaped once.
#[derive(Default)]
pub struct RuleFragments {
    by_rule: HashMap<&'static str, (&'static RuleMeta, Vec<u8>)>,
}

impl RuleFragments {
    /// Every registered rule's (a few hundred, each a few hundred bytes).
    pub fn all() -> Self {
        RuleFragments {
            by_rule: crate::registry::metas()
                .map(|m| (m.id, (m, fragment(m))))
                .collect(),
        }
    }

    /// The fragment of exactly this rule (a library user's own rule may reuse an id).
    fn get(&self, rule: &'static RuleMeta) -> Option<&[u8]> {
        self.by_rule
            .get(rule.id)
            .filter(|(m, _)| std::ptr::eq(*m, rule))
            .map(|(_, b)| b.as_slice())
    }
}

/// `"title"`, `"help"` and `"docs_url"`, each on its member line, with their leading commas.
fn fragment(rule: &'static RuleMeta) -> Vec<u8> {
    let mut b = Vec::new();
    member(&mut b, "title", true);
    string(&mut b, rule.title);
    member(&mut b, "help", true);
    string(&mut b, rule.help);
    member(&mut b, "docs_url", true);
    string(&mut b, &rule.docs_url());
    b
}

/// Write one finding as serde_json pretty-prints it at depth 2, without leading newline or
/// indentation (the caller writes those with the separating comma).
pub fn write(
    b: &mut Vec<u8>,
    f: &Finding,
    suppressed: Option<&Suppressed>,
    fragments: &RuleFragments,
) {
    b.push(b'{');
    member(b, "rule", false);
    string(b, f.rule.id);
    member(b, "code", true);
    string(b, f.rule.code);
    member(b, "severity", true);
    string(b, f.severity.as_str());
    member(b, "message", true);
    string(b, &f.message);
    member(b, "path", true);
    string(b, f.path());
    for (key, n) in [
        ("line", f.start.line),
        ("column", f.start.column),
        ("end_line", f.end.line),
        ("end_column", f.end.column),
        ("document", f.document),
    ] {
        member(b, key, true);
        number(b, n);
    }
    member(b, "object", true);
    match &f.object {
        None => b.extend_from_slice(b"null"),
        Some(o) => {
            b.push(b'{');
            nested(b, NESTED, "api_version", false);
            string(b, &o.api_version);
            nested(b, NESTED, "kind", true);
            string(b, &o.kind);
            nested(b, NESTED, "namespace", true);
            opt_string(b, o.namespace.as_deref());
            nested(b, NESTED, "name", true);
            opt_string(b, o.name.as_deref());
            b.extend_from_slice(MEMBER.as_bytes());
            b.push(b'}');
        }
    }
    member(b, "yaml_path", true);
    string(b, &f.yaml_path);
    member(b, "controls", true);
    array(b, &f.controls, MEMBER, |b, c| string(b, c));
    member(b, "origin", true);
    match &f.origin {
        None => b.extend_from_slice(b"null"),
        Some(v) => indented(b, v),
    }
    match fragments.get(f.rule) {
        Some(frag) => b.extend_from_slice(frag),
        None => b.extend_from_slice(&fragment(f.rule)),
    }
    if let Some(s) = suppressed {
        member(b, "suppressed", true);
        b.push(b'{');
        nested(b, NESTED, "by", false);
        string(b, s.by.as_str());
        nested(b, NESTED, "reason", true);
        string(b, &s.reason);
        nested(b, NESTED, "until", true);
        opt_string(b, s.until.as_deref());
        b.extend_from_slice(MEMBER.as_bytes());
        b.push(b'}');
    }
    write_fix(b, f);
    b.extend_from_slice(b"\n    }");
}

/// The additive `fix` member (see `crate::fix::serial::JsonFix`), when the finding has one.
fn write_fix(b: &mut Vec<u8>, f: &Finding) {
    let Some(fix) = f.fix.as_deref() else {
        return;
    };
    let Some(src) = fix.source.as_ref() else {
        return;
    };
    // A rendered object's fix also names its source files: rare, so serde writes it.
    if fix.origin.is_some() {
        if let Some(json) = crate::fix::serial::JsonFix::of(f) {
            member(b, "fix", true);
            indented(b, &json);
        }
        return;
    }
    member(b, "fix", true);
    b.push(b'{');
    nested(b, NESTED, "description", false);
    string(b, &fix.description);
    nested(b, NESTED, "applicability", true);
    string(b, fix.applicability.as_str());
    nested(b, NESTED, "path", true);
    string(b, &src.path);
    nested(b, NESTED, "applicable", true);
    let applicable = f.origin.is_none() && fix.applicability != Applicability::Display;
    b.extend_from_slice(if applicable { b"true" } else { b"false" });
    nested(b, NESTED, "edits", true);
    array(b, &fix.edits, NESTED, |b, e| {
        b.push(b'{');
        let (s, t) = (src.position(e.span.start), src.position(e.span.end));
        for (j, (key, n)) in [
            ("start", e.span.start),
            ("end", e.span.end),
            ("line", s.line),
            ("column", s.column),
            ("end_line", t.line),
            ("end_column", t.column),
        ]
        .into_iter()
        .enumerate()
        {
            nested(b, NESTED3, key, j > 0);
            number(b, n);
        }
        nested(b, NESTED3, "replacement", true);
        string(b, &e.text);
        b.extend_from_slice(NESTED2.as_bytes());
        b.push(b'}');
    });
    b.extend_from_slice(MEMBER.as_bytes());
    b.push(b'}');
}

/// An array whose closing bracket is at `indent` and whose items are one level deeper.
fn array<T>(b: &mut Vec<u8>, items: &[T], indent: &str, mut item: impl FnMut(&mut Vec<u8>, &T)) {
    if items.is_empty() {
        b.extend_from_slice(b"[]");
        return;
    }
    b.push(b'[');
    for (i, x) in items.iter().enumerate() {
        if i > 0 {
            b.push(b',');
        }
        b.extend_from_slice(indent.as_bytes());
        b.extend_from_slice(b"  ");
        item(b, x);
    }
    b.extend_from_slice(indent.as_bytes());
    b.push(b']');
}

fn member(b: &mut Vec<u8>, key: &str, comma: bool) {
    nested(b, MEMBER, key, comma);
}

/// `,` (unless first), the line break and indentation, then `"key": `.
fn nested(b: &mut Vec<u8>, indent: &str, key: &str, comma: bool) {
    if comma {
        b.push(b',');
    }
    b.extend_from_slice(indent.as_bytes());
    string(b, key);
    b.extend_from_slice(b": ");
}

/// A JSON string with serde_json's escaping.
fn string(b: &mut Vec<u8>, s: &str) {
    // Serializing a str into a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *b, s);
}

fn opt_string(b: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => string(b, s),
        None => b.extend_from_slice(b"null"),
    }
}

fn number(b: &mut Vec<u8>, n: usize) {
    let _ = write!(b, "{n}");
}

/// A value pretty-printed as a member at depth 3: its inner lines indented by six spaces.
fn indented(b: &mut Vec<u8>, v: &impl Serialize) {
    let mut one = Vec::new();
    if serde_json::to_writer_pretty(&mut one, v).is_err() {
        b.extend_from_slice(b"null");
        return;
    }
    // Strings escape their newlines, so every raw newline starts a line to indent.
    for (j, line) in one.split(|&c| c == b'\n').enumerate() {
        if j > 0 {
            b.extend_from_slice(MEMBER.as_bytes());
        }
        b.extend_from_slice(line);
    }
}
