//! Resolve a `YamlPath` to the span a finding should point at.

use super::{Node, Seg, Span, Value, YamlPath};

/// Where a path lands in a document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Located {
    /// The span to underline: the key (with its value when that is a scalar) of an
    /// existing field, or the nearest existing parent when the field is missing.
    pub span: Span,
    /// Whether the whole path exists.
    pub exact: bool,
}

/// The head of a node: a scalar itself, or a block collection's first entry/item, so that
/// an underline stays on one line (`- name: app` for a container). A flow collection's
/// head is its opening bracket, which may sit on a line of its own (JSON).
fn head(node: &Node) -> Span {
    let first_start = match &node.value {
        Value::Map(m) => m.first().map(|e| e.key.span.start),
        Value::Seq(s) => s.first().map(|n| n.span.start),
        Value::Scalar(_) => return node.span,
    };
    match (&node.value, first_start) {
        (_, Some(start)) if start > node.span.start => {
            Span::new(node.span.start, node.span.start + 1)
        }
        (Value::Map(m), Some(_)) => m.first().map_or(node.span, entry_span),
        (Value::Seq(s), Some(_)) => s.first().map_or(node.span, head),
        _ => node.span,
    }
}

fn entry_span(e: &super::Entry) -> Span {
    match e.value.value {
        Value::Scalar(_) if e.value.span.end > e.key.span.start => {
            Span::new(e.key.span.start, e.value.span.end)
        }
        _ => e.key.span,
    }
}

pub fn locate(root: &Node, path: &YamlPath) -> Located {
    let mut node = root;
    let mut span = head(root);
    for seg in path.segs() {
        let next = match seg {
            Seg::Key(k) => node
                .as_map()
                .and_then(|m| m.iter().rev().find(|e| &e.key_str == k))
                .map(|e| (entry_span(e), &e.value)),
            Seg::Index(i) => node.as_seq().and_then(|s| s.get(*i)).map(|n| (head(n), n)),
        };
        match next {
            Some((s, n)) => {
                span = s;
                node = n;
            }
            None => return Located { span, exact: false },
        }
    }
    Located { span, exact: true }
}
