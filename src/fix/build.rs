//! Changes described on the tree a rule read: which mapping gets which entries, which
//! scalar is replaced, which entries or items go. Spans only; the text comes later.
//!
//! Every builder refuses (returns `None`) when the node is not written where the tree says
//! it is: a value reached through an alias or a `<<` merge key lies in the anchor, so
//! editing it would change every object that shares it.

use super::{Fix, Val};
use crate::yaml::{Entry, Node, Span, Value, YamlPath};

/// A mapping as it is written: its span and each entry's key and value spans.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MapAt {
    pub span: Span,
    pub entries: Vec<(Span, Span)>,
    /// The first key is double-quoted (a JSON file).
    pub json: bool,
}

/// A sequence as it is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeqAt {
    pub span: Span,
    pub items: Vec<Span>,
    /// The key that owns the sequence, so that emptying a block sequence can write `[]`.
    pub key: Option<Span>,
}

/// One change a fix makes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// Replace a scalar (its whole span, quotes included) with `text`.
    Replace { span: Span, text: String },
    /// Give an entry whose value is null (`key:`, `key: null`, `key: ~`) a value.
    FillNull {
        key: Span,
        value: Span,
        val: Val,
        /// The mapping holding the entry.
        parent: Span,
        json: bool,
    },
    /// Add entries at the end of a mapping.
    AddEntries {
        map: MapAt,
        entries: Vec<(String, Val)>,
    },
    /// Remove entries (by index) from a mapping; when their lines cannot be cut out, set
    /// their values to `fallback` instead (if given).
    RemoveEntries {
        map: MapAt,
        indices: Vec<usize>,
        fallback: Option<String>,
    },
    /// Remove items (by index) from a sequence.
    RemoveItems { seq: SeqAt, indices: Vec<usize> },
    /// Append items to a sequence.
    AppendItems { seq: SeqAt, items: Vec<Val> },
}

fn within(inner: Span, outer: Span) -> bool {
    inner.start >= outer.start && inner.end <= outer.end
}

/// An entry written in its mapping (not merged in, its value not an alias).
fn own_entry(map: &Node, e: &Entry) -> bool {
    within(e.key.span, map.span)
        && within(e.value.span, map.span)
        && e.value.span.start >= e.key.span.end
}

fn map_at(node: &Node) -> Option<MapAt> {
    let entries = node.as_map()?;
    let mut prev_end = node.span.start;
    let mut out = Vec::with_capacity(entries.len());
    for e in entries {
        if !own_entry(node, e) || e.key.span.start < prev_end {
            return None;
        }
        prev_end = e.value.span.end.max(e.key.span.end);
        out.push((e.key.span, e.value.span));
    }
    let json = entries
        .first()
        .and_then(|e| e.key.scalar())
        .is_some_and(|s| s.style == crate::yaml::ScalarStyle::DoubleQuoted);
    Some(MapAt {
        span: node.span,
        entries: out,
        json,
    })
}

fn seq_at(node: &Node, key: Option<Span>) -> Option<SeqAt> {
    let items = node.as_seq()?;
    let mut prev_end = node.span.start;
    let mut out = Vec::with_capacity(items.len());
    for i in items {
        if !within(i.span, node.span) || i.span.start < prev_end {
            return None;
        }
        prev_end = i.span.end;
        out.push(i.span);
    }
    Some(SeqAt {
        span: node.span,
        items: out,
        key,
    })
}

/// The last entry for `key` (the one the API server keeps), if written in `map`.
fn find<'a>(map: &'a Node, key: &str) -> Option<Option<&'a Entry>> {
    match map.entry(key) {
        Some(e) if own_entry(map, e) => Some(Some(e)),
        Some(_) => None,
        None => Some(None),
    }
}

/// Set `keys` (a path of mapping keys below `base`, a mapping) to `val`, creating the
/// mappings on the way. An existing scalar leaf is replaced; an existing collection leaf
/// cannot be set (callers merge into it with the other builders).
pub fn set(base: &Node, keys: &[&str], val: Val) -> Option<Change> {
    let (first, rest) = keys.split_first()?;
    let Some(e) = find(base, first)? else {
        let map = map_at(base)?;
        return Some(Change::AddEntries {
            entries: vec![((*first).to_string(), Val::nest(rest, val))],
            map,
        });
    };
    if e.value.is_null() {
        return Some(Change::FillNull {
            key: e.key.span,
            value: e.value.span,
            val: Val::nest(rest, val),
            parent: base.span,
            json: map_at(base)?.json,
        });
    }
    if rest.is_empty() {
        // A mapping into an existing empty one (`securityContext: {}`): add its entries.
        if let (Val::Map(entries), Some(m)) = (&val, e.value.as_map())
            && m.is_empty()
        {
            return Some(Change::AddEntries {
                map: map_at(&e.value)?,
                entries: entries.clone(),
            });
        }
        let old = e.value.scalar()?;
        let text = match &val {
            Val::Raw(s) => s.clone(),
            Val::Str(s) => match old.style {
                // Keep the person's quoting when the new string allows it.
                crate::yaml::ScalarStyle::SingleQuoted if !s.contains('\'') => format!("'{s}'"),
                crate::yaml::ScalarStyle::DoubleQuoted => super::value::scalar_text(s, true),
                _ => super::value::scalar_text(s, false),
            },
            _ => return None,
        };
        return Some(Change::Replace {
            span: e.value.span,
            text,
        });
    }
    e.value.as_map()?;
    set(&e.value, rest, val)
}

/// Remove the entries for `keys` from mapping `map`. Refused when that would empty it.
pub fn remove_entries(map: &Node, keys: &[&str], fallback: Option<&str>) -> Option<Change> {
    let at = map_at(map)?;
    let indices: Vec<usize> = map
        .entries()
        .iter()
        .enumerate()
        .filter(|(_, e)| keys.contains(&e.key_str.as_str()))
        .map(|(i, _)| i)
        .collect();
    if indices.is_empty() || indices.len() == at.entries.len() {
        return None;
    }
    Some(Change::RemoveEntries {
        map: at,
        indices,
        fallback: fallback.map(str::to_string),
    })
}

/// Remove the items at `indices` of sequence `seq` (the value of `key`, when it has one).
pub fn remove_items(seq: &Node, key: Option<&Node>, indices: &[usize]) -> Option<Change> {
    let at = seq_at(seq, key.map(|k| k.span))?;
    if indices.is_empty() || indices.iter().any(|&i| i >= at.items.len()) {
        return None;
    }
    Some(Change::RemoveItems {
        seq: at,
        indices: indices.to_vec(),
    })
}

/// Append `items` to the sequence at `keys` below mapping `base`, creating it (and the
/// mappings on the way) when missing.
pub fn append(base: &Node, keys: &[&str], items: Vec<Val>) -> Option<Change> {
    let (last, parents) = keys.split_last()?;
    let mut node = base;
    for (i, k) in parents.iter().enumerate() {
        match find(node, k)? {
            Some(e) if e.value.as_map().is_some() => node = &e.value,
            _ => return set(node, &keys[i..], Val::Seq(items)),
        }
    }
    match find(node, last)? {
        Some(e) if matches!(e.value.value, Value::Seq(_)) => {
            let seq = seq_at(&e.value, Some(&e.key).map(|k| k.span))?;
            Some(Change::AppendItems { seq, items })
        }
        _ => set(node, &[last], Val::Seq(items)),
    }
}

/// The builders as `Fix` methods: each records the field the change is about, which the
/// verifier allows to differ.
impl Fix {
    /// Set `keys` below the mapping `base` (at `base_path`) to `val`.
    pub fn set(self, base: &Node, base_path: &YamlPath, keys: &[&str], val: Val) -> Fix {
        let path = keys.iter().fold(base_path.clone(), |p, k| p.key(k));
        let change = set(base, keys, val);
        self.change(path, change)
    }

    /// Remove the entries `keys` from the mapping `map` (at `map_path`); where the layout
    /// does not allow cutting their lines, set them to `fallback`.
    pub fn remove(
        self,
        map: &Node,
        map_path: &YamlPath,
        keys: &[&str],
        fallback: Option<&str>,
    ) -> Fix {
        let change = remove_entries(map, keys, fallback);
        let first = keys.first().copied().unwrap_or_default();
        let mut fix = self.change(map_path.key(first), change);
        for k in keys.iter().skip(1) {
            let p = map_path.key(k);
            if !fix.paths.contains(&p) {
                fix.paths.push(p);
            }
        }
        fix
    }

    /// Remove items of the sequence `seq` (at `seq_path`, the value of `key`).
    pub fn remove_items(
        self,
        seq: &Node,
        key: Option<&Node>,
        seq_path: &YamlPath,
        indices: &[usize],
    ) -> Fix {
        let change = remove_items(seq, key, indices);
        self.change(seq_path.clone(), change)
    }

    /// Append `items` to the sequence at `keys` below `base` (at `base_path`).
    pub fn append(self, base: &Node, base_path: &YamlPath, keys: &[&str], items: Vec<Val>) -> Fix {
        let path = keys.iter().fold(base_path.clone(), |p, k| p.key(k));
        let change = append(base, keys, items);
        self.change(path, change)
    }

    /// Remove the entries `keys` from the mapping reached through `parents` below `base`
    /// (at `base_path`). A mapping the removal would leave empty is removed from its own
    /// parent instead, up to `base`, so that no `securityContext: {}` is left behind.
    pub fn remove_nested(
        self,
        base: &Node,
        base_path: &YamlPath,
        parents: &[&str],
        keys: &[&str],
    ) -> Fix {
        let mut nodes = vec![base];
        for k in parents {
            match nodes.last().and_then(|n| n.get(k)) {
                Some(n) => nodes.push(n),
                None => return self.change(base_path.join(&parents.join(".")), None),
            }
        }
        let mut depth = parents.len();
        let mut keys: Vec<&str> = keys.to_vec();
        while depth > 0
            && nodes[depth]
                .entries()
                .iter()
                .all(|e| keys.contains(&e.key_str.as_str()))
        {
            depth -= 1;
            keys = vec![parents[depth]];
        }
        let path = parents[..depth]
            .iter()
            .fold(base_path.clone(), |p, k| p.key(k));
        self.remove(nodes[depth], &path, &keys, None)
    }

    /// Another field the fix changes (a renamed key's new name).
    pub fn also(mut self, path: YamlPath) -> Fix {
        if !self.paths.contains(&path) {
            self.paths.push(path);
        }
        self
    }

    /// Remove the entry at `index` of mapping `map` (at `map_path`; `path` names the field):
    /// for duplicate keys, where the key alone does not say which entry.
    pub fn remove_at(self, map: &Node, path: YamlPath, index: usize) -> Fix {
        let change = map_at(map).and_then(|at| {
            (index < at.entries.len() && at.entries.len() > 1).then_some(Change::RemoveEntries {
                map: at,
                indices: vec![index],
                fallback: None,
            })
        });
        self.change(path, change)
    }

    /// Replace the scalar `node` (at `path`) with `text` as written.
    pub fn replace(self, node: &Node, path: YamlPath, text: &str) -> Fix {
        let change = node.scalar().map(|_| Change::Replace {
            span: node.span,
            text: text.to_string(),
        });
        self.change(path, change)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;
    use crate::yaml::load::load_all;

    fn doc(text: &str) -> Node {
        let src = SourceFile::new("t.yaml", text);
        load_all(&src).remove(0).map(|d| d.root).unwrap()
    }

    #[test]
    fn adds_after_a_last_entry_whose_value_is_an_empty_null() {
        let text = "spec:\n  containers:\n    - name: a\n      securityContext:\n";
        let root = doc(text);
        let spec = root.get("spec").unwrap();
        let c = set(
            spec,
            &["securityContext"],
            Val::map(&[("x", Val::bool(true))]),
        );
        let src = SourceFile::new("t.yaml", text);
        let edits = super::super::resolve::resolve(c.as_ref().unwrap(), &src.text);
        assert_eq!(
            edits.map(|e| super::super::apply::apply_edits(text, &e)),
            Some("spec:\n  containers:\n    - name: a\n      securityContext:\n  securityContext:\n    x: true\n".to_string()),
            "{c:?} {:?}",
            spec
        );
    }

    #[test]
    fn appending_to_an_empty_sequence_writes_the_items_in_its_brackets() {
        let text = "spec:\n  tls: [] # none yet\n  rules: []\n";
        let root = doc(text);
        let spec = root.get("spec").unwrap();
        let c = append(
            spec,
            &["tls"],
            vec![Val::map(&[("secretName", Val::str("s"))])],
        );
        let edits = super::super::resolve::resolve(c.as_ref().unwrap(), text);
        assert_eq!(
            edits.map(|e| super::super::apply::apply_edits(text, &e)),
            Some("spec:\n  tls: [{secretName: s}] # none yet\n  rules: []\n".to_string())
        );
    }
}
