//! Text helpers of the traced edits: lines, indentation, the scalar a line holds, quoting.

use std::collections::BTreeSet;

use crate::fix::Val;
use crate::source::SourceFile;
use crate::yaml::load::load_all;
use crate::yaml::{Entry, Node, Scalar, ScalarKind, ScalarStyle, Seg, Span, Value, YamlPath};

/// The first line's indentation of inserted text (after its line break).
pub(crate) fn indent(text: &str) -> usize {
    let body = text.trim_start_matches(['\r', '\n']);
    body.len() - body.trim_start_matches(' ').len()
}

/// Whether new lines inserted at `at` in a template stay where they belong however its
/// actions render: the next line the template writes itself (past its actions and
/// comments) is less indented (the new lines end their block), or a sibling at the same
/// column that is not one of the new keys (a conditional `seccompProfile:` after a new
/// `seccompProfile:` would write it twice; a list continuing after would take them in).
pub(crate) fn fits_before(template: &str, at: usize, text: &str) -> bool {
    let first = text.trim_start_matches(['\r', '\n']);
    let col = first.len() - first.trim_start_matches(' ').len();
    let item = |l: &str| l.trim_start().starts_with("- ");
    let key = |l: &str| l.trim().split(':').next().unwrap_or("").trim().to_string();
    let new_keys: BTreeSet<String> = first
        .lines()
        .filter(|l| l.len() - l.trim_start().len() == col && !item(l))
        .map(key)
        .collect();
    let bytes = template.as_bytes();
    let mut i = at;
    while i < bytes.len() {
        let rest = &template[i..];
        if rest.starts_with("{{") {
            match rest.find("}}") {
                Some(n) => i += n + 2,
                None => return false,
            }
            continue;
        }
        if bytes[i].is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let start = template[..i].rfind('\n').map_or(0, |n| n + 1);
        let end = template[i..].find('\n').map_or(template.len(), |n| i + n);
        let line = &template[start..end];
        if line.trim_start().starts_with('#') {
            i = end;
            continue;
        }
        let next_col = i - start;
        return next_col < col
            || (next_col == col
                && item(line) == item(first)
                && (item(line) || !new_keys.contains(&key(line))));
    }
    true
}

/// Inserted lines (each after a line break) `shift` columns less indented; `None` when
/// a line is not indented that much.
pub(crate) fn outdent(text: &str, shift: usize) -> Option<String> {
    if shift == 0 {
        return Some(text.to_string());
    }
    let mut out = String::with_capacity(text.len());
    for (i, part) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
            let cut = part.get(..shift)?;
            if !cut.bytes().all(|b| b == b' ') {
                return None;
            }
            out.push_str(&part[shift..]);
        } else {
            out.push_str(part);
        }
    }
    Some(out)
}

/// Inserted lines without their common indentation.
pub(super) fn dedent(text: &str) -> String {
    let body = text.trim_start_matches(['\r', '\n']);
    let cut = indent(text);
    body.lines()
        .map(|l| {
            l.get(cut.min(l.len() - l.trim_start().len())..)
                .unwrap_or(l)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A parsed value as a fix writes it.
pub(super) fn val_of(n: &Node) -> Option<Val> {
    Some(match &n.value {
        Value::Scalar(s) if is_str(&s.kind) => Val::Str(s.text.clone()),
        Value::Scalar(s) => Val::Raw(s.text.clone()),
        Value::Map(m) => Val::Map(
            m.iter()
                .map(|e| Some((e.key_str.clone(), val_of(&e.value)?)))
                .collect::<Option<_>>()?,
        ),
        Value::Seq(items) => Val::Seq(items.iter().map(val_of).collect::<Option<_>>()?),
    })
}

/// Whether `span` of `text` is whole lines (from a line start to the start of a line or
/// the end).
pub(super) fn whole_lines(text: &str, span: Span) -> bool {
    span.start < span.end
        && (span.start == 0 || text.as_bytes().get(span.start - 1) == Some(&b'\n'))
        && (span.end == text.len() || text.as_bytes().get(span.end - 1) == Some(&b'\n'))
}

/// The whole lines of `text` that hold `span` and nothing else but indentation, with
/// their line break.
pub(super) fn source_lines(text: &str, span: Span) -> Option<Span> {
    let start = text[..span.start].rfind('\n').map_or(0, |n| n + 1);
    if !text[start..span.start].bytes().all(|b| b == b' ') {
        return None;
    }
    let rest = &text[span.end..];
    let end = match rest.find('\n') {
        Some(n) if rest[..n].trim().is_empty() => span.end + n + 1,
        None if rest.trim().is_empty() => text.len(),
        _ => return None,
    };
    Some(Span::new(start, end))
}

/// The scalar node whose span is `span`, and its path.
pub(super) fn scalar_at(root: &Node, span: Span) -> Option<(YamlPath, &Node)> {
    if root.scalar().is_some() {
        return (root.span == span).then(|| (YamlPath(Vec::new()), root));
    }
    find_path(
        root,
        &|n| n.span.end < span.start || n.span.start > span.end,
        &|item| item.scalar().is_some() && item.span == span,
        &|e| e.value.scalar().is_some() && e.value.span == span,
    )
}

/// The path of the entry whose key starts at `at`, or of the sequence item whose dash is
/// there.
pub(super) fn path_on_line(root: &Node, at: usize) -> Option<YamlPath> {
    find_path(
        root,
        &|n| n.span.end < at,
        // `- value`: the item starts after the dash.
        &|item| item.scalar().is_some() && item.span.start > at && item.span.start <= at + 4,
        &|e| e.key.span.start == at && e.value.scalar().is_some(),
    )
    .map(|(path, _)| path)
}

/// Depth first, the first sequence item `item` accepts or mapping entry `entry` accepts
/// (the entry's value is returned), not descending into nodes `skip` rules out; its path
/// from `root`.
fn find_path<'a>(
    root: &'a Node,
    skip: &impl Fn(&Node) -> bool,
    item: &impl Fn(&Node) -> bool,
    entry: &impl Fn(&Entry) -> bool,
) -> Option<(YamlPath, &'a Node)> {
    fn walk<'a>(
        n: &'a Node,
        path: &mut Vec<Seg>,
        skip: &impl Fn(&Node) -> bool,
        item: &impl Fn(&Node) -> bool,
        entry: &impl Fn(&Entry) -> bool,
    ) -> Option<&'a Node> {
        if skip(n) {
            return None;
        }
        let children: Box<dyn Iterator<Item = (Seg, &'a Node, bool)>> = match &n.value {
            Value::Scalar(_) => return None,
            Value::Map(m) => Box::new(
                m.iter()
                    .map(|e| (Seg::Key(e.key_str.clone()), &e.value, entry(e))),
            ),
            Value::Seq(s) => Box::new(
                s.iter()
                    .enumerate()
                    .map(|(i, c)| (Seg::Index(i), c, item(c))),
            ),
        };
        for (seg, child, hit) in children {
            path.push(seg);
            if hit {
                return Some(child);
            }
            if let Some(found) = walk(child, path, skip, item, entry) {
                return Some(found);
            }
            path.pop();
        }
        None
    }
    let mut path = Vec::new();
    let found = walk(root, &mut path, skip, item, entry)?;
    Some((YamlPath(path), found))
}

/// The one scalar written in `text[span]` as `value`, `key: value` or `- value` (a line
/// of a values file, a resource or patch field): its span in `text` and what it reads as.
pub(super) fn narrow(text: &str, span: Span, key: Option<&str>) -> Option<(Span, Scalar)> {
    let slice = text.get(span.start..span.end)?;
    let doc = load_all(&SourceFile::new("", slice))
        .into_iter()
        .next()?
        .ok()?;
    let mut node = &doc.root;
    let mut first = true;
    loop {
        match &node.value {
            Value::Scalar(s) => {
                let at = Span::new(span.start + node.span.start, span.start + node.span.end);
                return Some((at, s.clone()));
            }
            Value::Map(m) if m.len() == 1 => {
                if first && key.is_some_and(|k| k != m[0].key_str) {
                    return None;
                }
                node = &m[0].value;
            }
            Value::Seq(s) if s.len() == 1 => node = &s[0],
            _ => return None,
        }
        first = false;
    }
}

fn is_str(k: &ScalarKind) -> bool {
    matches!(k, ScalarKind::Str | ScalarKind::Timestamp)
}

/// Whether two scalars read as the same value (same type; same text for strings).
pub(super) fn same_value(a: &Scalar, b: &Scalar) -> bool {
    a.kind == b.kind && (a.text == b.text || !is_str(&a.kind))
}

/// The rendered replacement `new`, written in the quoting of the source scalar (the
/// rendered one may be quoted differently: `toYaml` rewrites values).
pub(super) fn restyle(new: &str, rendered: &Scalar, source: &Scalar) -> Option<String> {
    if rendered.style == source.style {
        return Some(new.to_string());
    }
    let doc = load_all(&SourceFile::new("", new))
        .into_iter()
        .next()?
        .ok()?;
    let s = doc.root.scalar()?;
    if !is_str(&s.kind) {
        return (source.style == ScalarStyle::Plain).then(|| new.to_string());
    }
    match source.style {
        ScalarStyle::SingleQuoted if !s.text.contains('\'') => Some(format!("'{}'", s.text)),
        ScalarStyle::DoubleQuoted => Some(crate::fix::value::scalar_text(&s.text, true)),
        ScalarStyle::Plain => Some(crate::fix::value::scalar_text(&s.text, false)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_narrows_to_its_scalar() {
        let text = "a:\n  privileged: true # x\n  - NET_RAW\n";
        let (span, s) = narrow(text, Span::new(5, 25), Some("privileged")).unwrap();
        assert_eq!(&text[span.start..span.end], "true");
        assert_eq!(s.kind, ScalarKind::Bool(true));
        assert!(narrow(text, Span::new(5, 25), Some("other")).is_none());
        let (span, _) = narrow(text, Span::new(28, 37), None).unwrap();
        assert_eq!(&text[span.start..span.end], "NET_RAW");
    }

    #[test]
    fn replacements_take_the_source_quoting() {
        let s = |t: &str| {
            load_all(&SourceFile::new("", t))
                .remove(0)
                .unwrap()
                .root
                .scalar()
                .unwrap()
                .clone()
        };
        assert_eq!(
            restyle("Always", &s("IfNotPresent"), &s("\"IfNotPresent\"")).as_deref(),
            Some("\"Always\"")
        );
        assert_eq!(
            restyle("Always", &s("IfNotPresent"), &s("'IfNotPresent'")).as_deref(),
            Some("'Always'")
        );
        assert_eq!(
            restyle("false", &s("true"), &s("true")).as_deref(),
            Some("false")
        );
        assert!(!same_value(&s("\"true\""), &s("true")));
    }

    #[test]
    fn lines_are_whole_or_refused() {
        let t = "a: 1\n  b: 2\nc: 3";
        assert_eq!(source_lines(t, Span::new(7, 11)), Some(Span::new(5, 12)));
        assert_eq!(source_lines(t, Span::new(12, 16)), Some(Span::new(12, 16)));
        assert_eq!(source_lines(t, Span::new(7, 9)), None);
        assert!(whole_lines(t, Span::new(5, 12)));
        assert!(!whole_lines(t, Span::new(5, 11)));
    }
}
