//! Changes -> byte edits, laid out the way the surrounding text is written.

use super::Edit;
use super::build::{Change, MapAt, SeqAt};
use super::layout::{
    blank_after, blank_before, colon_after, column, dash_before, eol, line_end, line_start,
    next_line, style_at,
};
use super::value::{Style, Val, block_entry, block_item, block_value, flow, flow_entry};
use crate::yaml::Span;

fn edit(start: usize, end: usize, text: impl Into<String>) -> Edit {
    Edit {
        span: Span::new(start, end),
        text: text.into(),
    }
}

fn at(text: &str, pos: usize) -> Option<u8> {
    text.as_bytes().get(pos).copied()
}

/// The edits for one change, or `None` when the text around it is not laid out in a way
/// the change can be written into safely.
pub fn resolve(c: &Change, text: &str) -> Option<Vec<Edit>> {
    match c {
        Change::Replace { span, text: t } => {
            (!t.is_empty() || span.start < span.end).then(|| vec![edit(span.start, span.end, t)])
        }
        Change::FillNull {
            key,
            value,
            val,
            parent,
            json,
        } => fill_null(text, *key, *value, val, *parent, *json),
        Change::AddEntries { map, entries } => add_entries(text, map, entries),
        Change::RemoveEntries {
            map,
            indices,
            fallback,
        } => remove_entries(text, map, indices).or_else(|| {
            // A layout lines cannot be cut from (a flow mapping's neighbour, the first key
            // of a `- ` item): set the value instead.
            let f = fallback.as_ref()?;
            indices
                .iter()
                .map(|&i| {
                    let &(_, v) = map.entries.get(i)?;
                    (v.end > v.start).then(|| edit(v.start, v.end, f.clone()))
                })
                .collect()
        }),
        Change::RemoveItems { seq, indices } => remove_items(text, seq, indices),
        Change::AppendItems { seq, items } => append_items(text, seq, items),
    }
}

fn fill_null(
    text: &str,
    key: Span,
    value: Span,
    val: &Val,
    parent: Span,
    json: bool,
) -> Option<Vec<Edit>> {
    let colon = colon_after(text, key.end)?;
    // An empty null may be placed at the next token; only a written one on the key's line
    // is replaced.
    let written = value.start > colon
        && value.end > value.start
        && line_start(text, value.start) == line_start(text, colon);
    let flow_parent = at(text, parent.start) == Some(b'{');
    if val.is_scalar() || flow_parent || json {
        let v = flow(val, json);
        return Some(vec![if written {
            edit(value.start, value.end, v)
        } else {
            edit(colon + 1, colon + 1, format!(" {v}"))
        }]);
    }
    let st = style_at(text, key.start, false);
    let lines = block_value(val, &st, column(text, key.start));
    let mut edits = Vec::new();
    let mut after = colon + 1;
    if written {
        // ` null` goes; the block starts on the next line.
        let only_blanks = text[colon + 1..value.start]
            .bytes()
            .all(|b| b == b' ' || b == b'\t');
        let gap_start = if only_blanks { colon + 1 } else { value.start };
        edits.push(edit(gap_start, value.end, ""));
        after = value.end;
    }
    if !blank_after(text, after) {
        return None;
    }
    let p = line_end(text, after);
    let nl = eol(text);
    edits.push(edit(p, p, format!("{nl}{}", lines.join(nl))));
    Some(edits)
}

/// Where an entry ends: its value, or the colon after the last key when the last value
/// inside it is an empty null (whose span is empty, at that key's end).
fn entry_end(text: &str, k: Span, v: Span) -> usize {
    let end = k.end.max(v.end);
    colon_after(text, end).map_or(end, |c| c + 1)
}

fn add_entries(text: &str, map: &MapAt, entries: &[(String, Val)]) -> Option<Vec<Edit>> {
    let nl = eol(text);
    if at(text, map.span.start) == Some(b'{') {
        let json = map.json;
        let parts: Vec<String> = entries
            .iter()
            .map(|(k, v)| flow_entry(k, v, json))
            .collect();
        let close = map.span.end.checked_sub(1)?;
        if at(text, close) != Some(b'}') {
            return None;
        }
        let inner = text.get(map.span.start + 1..close)?;
        if inner.trim().is_empty() {
            let p = map.span.start + 1;
            return Some(vec![edit(p, p, parts.join(", "))]);
        }
        // After the last entry; a pruned copy of the mapping may list none, so fall back
        // to the last character before the closing brace.
        let (first, last) = match (map.entries.first(), map.entries.last()) {
            (Some(&(fk, _)), Some(&(lk, lv))) => (fk.start, entry_end(text, lk, lv)),
            _ => {
                let lead = inner.len() - inner.trim_start().len();
                let trail = inner.trim_end().len();
                (map.span.start + 1 + lead, map.span.start + 1 + trail)
            }
        };
        let t = if line_start(text, last) != line_start(text, close) {
            let pad = " ".repeat(column(text, first));
            parts
                .iter()
                .map(|p| format!(",{nl}{pad}{p}"))
                .collect::<String>()
        } else {
            parts.iter().map(|p| format!(", {p}")).collect::<String>()
        };
        return Some(vec![edit(last, last, t)]);
    }
    // A block mapping starts at its first key and ends with its last content, also when
    // the tree a rule read lists only some of its entries.
    let last = colon_after(text, map.span.end).map_or(map.span.end, |c| c + 1);
    if map.span.end <= map.span.start || !blank_after(text, last) {
        return None;
    }
    let st = style_at(text, map.span.start, map.json);
    let pad = " ".repeat(column(text, map.span.start));
    let lines: Vec<String> = entries
        .iter()
        .flat_map(|(k, v)| block_entry(k, v, &st))
        .map(|l| format!("{pad}{l}"))
        .collect();
    let p = line_end(text, last);
    Some(vec![edit(p, p, format!("{nl}{}", lines.join(nl)))])
}

/// Runs of consecutive indices (sorted, deduplicated): `[1,2,4]` -> `[(1,2),(4,4)]`.
fn runs(indices: &[usize]) -> Vec<(usize, usize)> {
    let mut sorted = indices.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let mut out: Vec<(usize, usize)> = Vec::new();
    for i in sorted {
        match out.last_mut() {
            Some((_, b)) if *b + 1 == i => *b = i,
            _ => out.push((i, i)),
        }
    }
    out
}

/// Delete elements (each `(start, end)`) of a flow collection, with their commas.
fn flow_removals(elems: &[(usize, usize)], indices: &[usize]) -> Option<Vec<Edit>> {
    let n = elems.len();
    let mut edits = Vec::new();
    for (a, b) in runs(indices) {
        if b + 1 < n {
            edits.push(edit(elems[a].0, elems[b + 1].0, ""));
        } else if a > 0 {
            edits.push(edit(elems[a - 1].1, elems[b].1, ""));
        } else {
            edits.push(edit(elems[a].0, elems[b].1, ""));
        }
    }
    Some(edits)
}

/// Delete the whole lines from `start` (first on its line) to `end` (last on its line); a
/// file without a final newline keeps none.
fn delete_lines(text: &str, start: usize, end: usize) -> Option<Edit> {
    if !blank_after(text, end) {
        return None;
    }
    let from = line_start(text, start);
    let to = next_line(text, end);
    if to == text.len() && !text.ends_with('\n') && from > 0 {
        let nl = eol(text).len();
        return Some(edit(from.saturating_sub(nl), to, ""));
    }
    Some(edit(from, to, ""))
}

fn remove_entries(text: &str, map: &MapAt, indices: &[usize]) -> Option<Vec<Edit>> {
    if at(text, map.span.start) == Some(b'{') {
        let elems: Vec<(usize, usize)> = map
            .entries
            .iter()
            .map(|&(k, v)| (k.start, entry_end(text, k, v)))
            .collect();
        return flow_removals(&elems, indices);
    }
    let mut edits = Vec::new();
    for &i in indices {
        let &(k, v) = map.entries.get(i)?;
        if !blank_before(text, k.start) {
            return None;
        }
        edits.push(delete_lines(text, k.start, entry_end(text, k, v))?);
    }
    Some(edits)
}

fn remove_items(text: &str, seq: &SeqAt, indices: &[usize]) -> Option<Vec<Edit>> {
    let mut uniq = indices.to_vec();
    uniq.sort_unstable();
    uniq.dedup();
    let all = uniq.len() == seq.items.len();
    if at(text, seq.span.start) == Some(b'[') {
        if all {
            return Some(vec![edit(seq.span.start, seq.span.end, "[]")]);
        }
        let elems: Vec<(usize, usize)> = seq.items.iter().map(|s| (s.start, s.end)).collect();
        return flow_removals(&elems, indices);
    }
    let mut edits = Vec::new();
    for &i in indices {
        let item = seq.items.get(i)?;
        let dash = dash_before(text, item.start)?;
        let end = colon_after(text, item.end).map_or(item.end, |c| c + 1);
        edits.push(delete_lines(text, dash, end)?);
    }
    if all {
        // `key:` with nothing under it would be null; write the empty list.
        let key = seq.key?;
        let colon = colon_after(text, key.end)?;
        edits.push(edit(colon + 1, colon + 1, " []"));
    }
    Some(edits)
}

fn append_items(text: &str, seq: &SeqAt, items: &[Val]) -> Option<Vec<Edit>> {
    let nl = eol(text);
    if at(text, seq.span.start) == Some(b'[') {
        let json = seq
            .items
            .first()
            .is_some_and(|s| at(text, s.start) == Some(b'"'));
        let parts: Vec<String> = items.iter().map(|v| flow(v, json)).collect();
        let Some(first) = seq.items.first() else {
            // The span of an empty flow sequence may run on over a comment after its `]`.
            let rest = text.get(seq.span.start + 1..seq.span.end)?;
            let inner = &rest[..rest.find(']')?];
            if !inner.trim().is_empty() {
                return None;
            }
            let p = seq.span.start + 1;
            return Some(vec![edit(p, p, parts.join(", "))]);
        };
        let last = seq.items.last()?.end;
        let close = seq.span.end.checked_sub(1)?;
        if at(text, close) != Some(b']') {
            return None;
        }
        let t: String = if line_start(text, last) != line_start(text, close) {
            let pad = " ".repeat(column(text, first.start));
            parts.iter().map(|p| format!(",{nl}{pad}{p}")).collect()
        } else {
            parts.iter().map(|p| format!(", {p}")).collect()
        };
        return Some(vec![edit(last, last, t)]);
    }
    let first = seq.items.first()?;
    let dash = dash_before(text, first.start)?;
    let last = seq.items.last()?.end;
    let last = colon_after(text, last).map_or(last, |c| c + 1);
    if !blank_after(text, last) {
        return None;
    }
    let st: Style = style_at(text, seq.span.start, false);
    let col = column(text, dash);
    let lines: Vec<String> = items.iter().flat_map(|v| block_item(v, &st, col)).collect();
    let p = line_end(text, last);
    Some(vec![edit(p, p, format!("{nl}{}", lines.join(nl)))])
}

#[cfg(test)]
mod tests {
    use super::super::apply::apply_edits;
    use super::super::build::{append, remove_entries, remove_items, set};
    use super::*;
    use crate::source::SourceFile;
    use crate::yaml::Node;
    use crate::yaml::load::load_all;

    /// Load `text`, build a change on its root, lay it out, apply it.
    fn fixed(text: &str, change: impl Fn(&Node) -> Option<Change>) -> Option<String> {
        let src = SourceFile::new("t.yaml", text);
        let root = load_all(&src).remove(0).ok()?.root;
        let mut edits = resolve(&change(&root)?, text)?;
        edits.sort();
        Some(apply_edits(text, &edits))
    }

    fn c(root: &Node) -> &Node {
        &root.get("containers").unwrap().items()[0]
    }

    #[test]
    fn inserts_a_block_in_the_file_s_style() {
        let t = "containers:\n    -   name: a # the app\n        image: x\nkind: Pod\n";
        assert_eq!(
            fixed(t, |r| set(c(r), &["securityContext", "privileged"], Val::bool(false))),
            Some(
                "containers:\n    -   name: a # the app\n        image: x\n        securityContext:\n            privileged: false\nkind: Pod\n"
                    .to_string()
            )
        );
    }

    #[test]
    fn flow_json_crlf_and_no_final_newline() {
        let flow = "containers:\n- {name: a, securityContext: {}}\n";
        assert_eq!(
            fixed(flow, |r| set(
                c(r),
                &["securityContext", "x"],
                Val::bool(true)
            ))
            .as_deref(),
            Some("containers:\n- {name: a, securityContext: {x: true}}\n")
        );
        let flow = "containers:\n- {name: a}\n";
        assert_eq!(
            fixed(flow, |r| set(
                c(r),
                &["securityContext", "x"],
                Val::bool(true)
            ))
            .as_deref(),
            Some("containers:\n- {name: a, securityContext: {x: true}}\n")
        );
        let json = "{\"containers\": [\n  {\n    \"name\": \"a\"\n  }\n]}";
        assert_eq!(
            fixed(json, |r| append(
                c(r),
                &["caps", "drop"],
                vec![Val::str("ALL")]
            ))
            .as_deref(),
            Some(
                "{\"containers\": [\n  {\n    \"name\": \"a\",\n    \"caps\": {\"drop\": [\"ALL\"]}\n  }\n]}"
            )
        );
        let crlf = "containers:\r\n  - name: a\r\n    image: x";
        assert_eq!(
            fixed(crlf, |r| set(c(r), &["sc", "p"], Val::bool(false))).as_deref(),
            Some("containers:\r\n  - name: a\r\n    image: x\r\n    sc:\r\n      p: false")
        );
    }

    #[test]
    fn replaces_keeping_quotes_and_comments() {
        let t = "containers:\n- name: a\n  policy: 'IfNotPresent' # pinned\n";
        assert_eq!(
            fixed(t, |r| set(c(r), &["policy"], Val::str("Always"))).as_deref(),
            Some("containers:\n- name: a\n  policy: 'Always' # pinned\n")
        );
        let null = "containers:\n- name: a\n  sc: ~ # later\n";
        assert_eq!(
            fixed(null, |r| set(c(r), &["sc", "p"], Val::bool(false))).as_deref(),
            Some("containers:\n- name: a\n  sc: # later\n    p: false\n")
        );
    }

    #[test]
    fn removes_lines_items_and_empties_lists() {
        let t = "spec:\n  hostPID: true  # why\n  containers: []\n";
        assert_eq!(
            fixed(t, |r| remove_entries(
                r.get("spec").unwrap(),
                &["hostPID"],
                None
            ))
            .as_deref(),
            Some("spec:\n  containers: []\n")
        );
        // The first key of a `- ` item cannot lose its line: fall back to a value.
        let item = "c:\n- hostPID: true\n  x: 1\n";
        let first =
            |r: &Node| remove_entries(&r.get("c").unwrap().items()[0], &["hostPID"], Some("false"));
        assert_eq!(
            fixed(item, first).as_deref(),
            Some("c:\n- hostPID: false\n  x: 1\n")
        );
        let add = "caps:\n  add:\n  - A\n  - B\n";
        let all = |r: &Node| {
            let caps = r.get("caps").unwrap();
            let e = caps.entry("add").unwrap();
            remove_items(&e.value, Some(&e.key), &[0, 1])
        };
        assert_eq!(fixed(add, all).as_deref(), Some("caps:\n  add: []\n"));
        let flow = "add: [A, B, C]\n";
        let mid = |r: &Node| remove_items(r.get("add").unwrap(), None, &[1]);
        assert_eq!(fixed(flow, mid).as_deref(), Some("add: [A, C]\n"));
    }

    #[test]
    fn refuses_aliases_and_merge_keys() {
        let alias = "base: &b {p: true}\ncontainers:\n- name: a\n  sc: *b\n";
        assert_eq!(
            fixed(alias, |r| set(c(r), &["sc", "p"], Val::bool(false))),
            None
        );
        let merge = "base: &b {p: true}\ncontainers:\n- <<: *b\n  name: a\n";
        assert_eq!(fixed(merge, |r| set(c(r), &["p"], Val::bool(false))), None);
    }
}
